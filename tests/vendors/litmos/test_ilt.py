"""Instructor-led training: instructors, sessions, registration and roll call (docs/litmos.md)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from litmos_support import (
    ADMIN, OWNER, SEED, WCF_JSON, assert_same_in_both_formats, by_name, detail, get_json, is_bodiless, url, user_id,
    xml_of,
)

LEADER = {"apikey": "litmos-teamleader-key"}
LEARNER = {"apikey": "litmos-learner-key"}
SESSION_MEMBERS = ["Id", "Name", "InstructorUserId", "InstructorName", "SessionType", "Days", "TimeZone", "Location",
                   "LocationId", "ResourceId", "Resources", "StartDate", "EndDate", "CourseName", "ModuleName", "Slots",
                   "Accepted", "EnableWaitList", "Details"]
DAY_MEMBERS = ["Id", "StartDate", "EndDate", "StartTime", "EndTime", "SendReminder", "ReminderValue", "ReminderMetric",
               "CreatedDate"]
EVENT_USER_MEMBERS = ["Id", "EventStatus", "FirstName", "LastName", "Email", "CompanyName", "Score", "Completed"]
MSG_SESSION = "The session in the xml/json request does not exist."
MSG_INSTRUCTOR = "The instructor in the xml/json request does not exist."
XML_SESSION = ("<Session><Name>Night practical</Name><SessionType>3</SessionType><Days><SessionDay>"
               "<StartDate>2031-01-06T09:00:00</StartDate><EndDate>2031-01-06T17:30:00</EndDate></SessionDay>"
               "</Days><Location>Bay 2</Location><Slots>1</Slots></Session>")


@pytest.fixture
def client(litmos_client):
    return litmos_client


def ilt(client) -> tuple[str, str]:
    """(course Id, module Id) of the seeded ILT module."""
    seed = SEED["ilt_sessions"][0]
    course = by_name(client, "/courses", "Code", seed["CourseCode"])
    module = next(m for m in get_json(client, f"/courses/{course['Id']}/modules") if m["Code"] == seed["ModuleCode"])
    return course["Id"], module["Id"]


def sessions_path(client) -> str:
    course, module = ilt(client)
    return f"/courses/{course}/modules/{module}/sessions"


def session_named(client, name: str) -> dict:
    return next(s for s in get_json(client, sessions_path(client)) if s["Name"] == name)


# -- instructors ----------------------------------------------------------------------------------


def test_instructors_are_summary_users_in_both_formats(client) -> None:
    expected = sorted((u["UserName"] for u in SEED["instructors"]), key=str.casefold)
    listed = get_json(client, "/instructors")
    assert sorted(u["UserName"] for u in listed) == expected
    assert [u["FirstName"] for u in listed] == sorted((u["FirstName"] for u in listed), key=str.casefold)
    root = xml_of(client.get(url("/instructors"), headers=OWNER))
    assert root.tag == "Users" and [u.findtext("Id") for u in root] == [u["Id"] for u in listed]
    assert [c.tag for c in root[0]] == ["Id", "UserName", "FirstName", "LastName", "Active", "Email", "AccessLevel",
                                        "Brand"]
    assert [u["UserName"] for u in get_json(client, "/instructors", search="okafor")] == [
        "marcus.okafor@harbourline.example"]
    assert get_json(client, "/instructors", start="50") == []


def test_instructor_sessions_and_unknown_instructor(client) -> None:
    marcus = user_id(client, "marcus.okafor@harbourline.example")
    taught = [s["Name"] for s in SEED["ilt_sessions"] if s.get("Instructor") == "marcus.okafor@harbourline.example"]
    listed = get_json(client, f"/instructors/{marcus}/sessions")
    assert sorted(s["Name"] for s in listed) == sorted(taught)
    assert all(s["InstructorUserId"] == marcus and s["InstructorName"] == "Marcus Okafor" for s in listed)
    root = xml_of(client.get(url(f"/instructors/{marcus}/sessions"), headers=OWNER))
    assert root.tag == "Sessions" and [c.tag for c in root[0]] == SESSION_MEMBERS
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    for who in (sofia, "nosuchuser01"):
        for fmt in ("json", "xml"):
            response = client.get(url(f"/instructors/{who}/sessions", format=fmt), headers=OWNER)
            assert detail(response)[:2] == (404, MSG_INSTRUCTOR)


# -- sessions by date -----------------------------------------------------------------------------


def test_future_and_past_sessions_group_by_course_and_module(client) -> None:
    future = get_json(client, "/sessions/future", limit="1000")
    past = get_json(client, "/sessions/past", limit="1000")
    names = lambda courses: sorted(s["Name"] for c in courses for m in c["Modules"] for s in m["Sessions"])  # noqa: E731
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert names(future) == sorted(s["Name"] for s in SEED["ilt_sessions"] if min(d["Start"] for d in s["Days"]) > now)
    assert names(past) == sorted(s["Name"] for s in SEED["ilt_sessions"] if max(d["End"] for d in s["Days"]) < now)
    assert "Forklift practical, Portland, spring 2030" in names(future)
    assert "Forklift practical, Seattle, May 2026" in names(past)
    assert [c["Name"] for c in future] == sorted((c["Name"] for c in future), key=str.casefold)
    course = future[0]
    assert list(course) == ["Id", "Code", "Name", "Description", "Active", "ForSale", "OriginalId", "Price", "Modules"]
    assert list(course["Modules"][0]) == ["Id", "Code", "Name", "Description", "Sessions"]
    assert WCF_JSON.match(course["Modules"][0]["Sessions"][0]["StartDate"])
    root = xml_of(client.get(url("/sessions/future"), headers=OWNER))
    assert root.tag == "SessionCourses" and root[0].tag == "SessionCourse"
    assert root[0].find("Modules")[0].tag == "SessionModule" and root[0].findtext("Price") == "0.00"
    assert get_json(client, "/sessions/future", search="nothing like this") == []


def test_session_ranges(client) -> None:
    inside = get_json(client, "/sessions/future", since="2030-03-10", to="2030-03-15")
    assert [s["Name"] for c in inside for m in c["Modules"] for s in m["Sessions"]] == [
        s["Name"] for s in SEED["ilt_sessions"] if "2030-03-10" <= s["Days"][0]["Start"] <= "2030-03-15T00:00:00Z"]
    assert [s["Name"] for s in inside[0]["Modules"][0]["Sessions"]] == ["Forklift practical, Portland, spring 2030"]
    assert get_json(client, "/sessions/future", since="2030-04-01", to="2030-04-02 12:00") == []
    for query in ({"since": "2030-03-01"}, {"to": "2030-03-01"}, {"since": "2030-03-01", "to": "2030-03-09"},
                  {"since": "2030-03-05", "to": "2030-03-01"}, {"since": "yesterday", "to": "2030-03-01"}):
        for fmt in ("json", "xml"):
            response = client.get(url("/sessions/past", format=fmt, **query), headers=OWNER)
            assert detail(response)[:2] == (406, "Please provide a valid since and to query string parameters")


# -- module sessions ------------------------------------------------------------------------------


def test_module_sessions_list_and_read(client) -> None:
    listed = get_json(client, sessions_path(client))
    seeded = [s for s in SEED["ilt_sessions"] if s["CourseCode"] == SEED["ilt_sessions"][0]["CourseCode"]]
    assert len(listed) == len(seeded) and list(listed[0]) == SESSION_MEMBERS
    assert [s["StartDate"] for s in listed] == sorted(s["StartDate"] for s in listed)
    spring = session_named(client, "Forklift practical, Seattle, spring 2030")
    assert len(spring["Days"]) == 2 and list(spring["Days"][0]) == DAY_MEMBERS
    assert spring["Days"][0]["StartTime"] == "4:00PM" and spring["Days"][1]["EndTime"] == "8:30PM"
    assert spring["StartDate"] == spring["Days"][0]["StartDate"] and spring["EndDate"] == spring["Days"][1]["EndDate"]
    assert spring["Accepted"] == 1 and spring["CourseName"] == "Forklift Safety"
    one = get_json(client, f"{sessions_path(client)}/{spring['Id']}")
    assert one == spring
    root = xml_of(client.get(url(f"{sessions_path(client)}/{spring['Id']}"), headers=OWNER))
    assert root.tag == "Session" and [c.tag for c in root] == SESSION_MEMBERS
    assert [c.tag for c in root.find("Days")[0]] == DAY_MEMBERS
    assert root.findtext("StartDate") == "2030-03-04T16:00:00"


def test_module_session_lookups_fail_with_litmos_texts(client) -> None:
    course, module = ilt(client)
    other = next(m for m in get_json(client, f"/courses/{course}/modules") if m["Id"] != module)
    cases = [
        (f"/courses/nosuchcourse/modules/{module}/sessions", 404, "The course nosuchcourse does not exist."),
        (f"/courses/{course}/modules/nosuchmodule/sessions", 404, "The module nosuchmodule does not exist."),
        (f"/courses/{course}/modules/{other['Id']}/sessions", 409,
         f"The module {other['Id']} is not an instructor-led training module."),
        (f"/courses/{course}/modules/{module}/sessions/nosuchsession", 404, MSG_SESSION),
        (f"/courses/{course}/modules/{module}/sessions/nosuchsession/rollcall", 404, MSG_SESSION),
    ]
    for path, status, message in cases:
        for fmt in ("json", "xml"):
            assert detail(client.get(url(path, format=fmt), headers=OWNER))[:2] == (status, message)


def test_create_session_xml_and_json_then_update_and_delete(client) -> None:
    path = sessions_path(client)
    created = client.post(url(path), headers={**OWNER, "Content-Type": "application/xml"}, content=XML_SESSION)
    assert created.status_code == 201
    root = xml_of(created)
    assert root.tag == "Session" and root.findtext("Name") == "Night practical" and root.findtext("SessionType") == "3"
    assert root.find("Days")[0].findtext("StartTime") == "9:00AM" and root.findtext("Accepted") == "0"
    new_id = root.findtext("Id")
    marcus = user_id(client, "marcus.okafor@harbourline.example")
    body = {"Name": "Webinar", "InstructorUserId": marcus, "SessionType": 2,
            "Days": [{"StartDate": "/Date(1925000000000)/", "EndDate": "/Date(1925003600000)/", "SendReminder": True,
                      "ReminderValue": 2, "ReminderMetric": "days"}]}
    made = client.post(url(path, format="json"), headers=OWNER, json=body)
    assert made.status_code == 201 and made.json()["InstructorName"] == "Marcus Okafor"
    assert made.json()["Days"][0]["StartDate"] == "/Date(1925000000000+0000)/"
    assert made.json()["Days"][0]["ReminderMetric"] == "days"
    assert {new_id, made.json()["Id"]} <= {s["Id"] for s in get_json(client, path)}
    assert made.json()["Id"] in {s["Id"] for s in get_json(client, f"/instructors/{marcus}/sessions")}
    # partial update: only what is sent changes; a day sent back keeps its Id
    day = get_json(client, f"{path}/{new_id}")["Days"][0]
    changed = client.put(url(f"{path}/{new_id}"), headers=OWNER,
                         json={"Id": new_id, "Location": "Bay 3",
                               "Days": [{"Id": day["Id"], "StartDate": "/Date(1925000000000)/",
                                         "EndDate": "/Date(1925007200000)/"}]})
    assert is_bodiless(changed, 200)
    after = get_json(client, f"{path}/{new_id}")
    assert after["Location"] == "Bay 3" and after["Name"] == "Night practical" and after["Days"][0]["Id"] == day["Id"]
    assert after["EndDate"] == "/Date(1925007200000+0000)/"
    xml_put = client.put(url(f"{path}/{new_id}"), headers={**OWNER, "Content-Type": "text/xml"},
                         content="<Session><Name>Renamed</Name></Session>")
    assert is_bodiless(xml_put, 200) and get_json(client, f"{path}/{new_id}")["Name"] == "Renamed"
    assert is_bodiless(client.delete(url(f"{path}/{new_id}"), headers=OWNER), 200)
    assert detail(client.get(url(f"{path}/{new_id}", format="json"), headers=OWNER))[:2] == (404, MSG_SESSION)
    assert detail(client.delete(url(f"{path}/{new_id}"), headers=OWNER))[:2] == (404, MSG_SESSION)


def test_session_writes_refuse_bad_input_and_change_nothing(client) -> None:
    path = sessions_path(client)
    before = get_json(client, path)
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    day = {"StartDate": "/Date(1925000000000)/", "EndDate": "/Date(1925003600000)/"}
    cases = [
        ({"Name": "x", "Days": [day], "InstructorUserId": sofia}, 404, MSG_INSTRUCTOR),
        ({"Name": "x", "Days": [{**day, "EndDate": "/Date(1924990000000)/"}]}, 409,
         "Every session day must end after it starts."),
        ({"Name": "x", "Days": []}, 400, "Please check the xml/json in the body of the request."),
        ({"Name": "x"}, 400, "Please check the xml/json in the body of the request."),
        ({"Name": "x", "Days": [{"StartDate": "2031-01-06T09:00:00", "EndDate": "2031-01-06T10:00:00"}]}, 400,
         "Please check the xml/json in the body of the request."),
        ({"Name": "x", "Days": [day], "SessionType": 9}, 400, "Please check the xml/json in the body of the request."),
    ]
    for payload, status, message in cases:
        assert detail(client.post(url(path), headers=OWNER, json=payload))[:2] == (status, message)
    bad_xml = client.post(url(path), headers={**OWNER, "Content-Type": "application/xml"},
                          content=XML_SESSION.replace("2031-01-06T17:30:00", "/Date(1)/"))
    assert detail(bad_xml)[:2] == (400, "Please check the xml/json in the body of the request.")
    spring = session_named(client, "Forklift practical, Seattle, spring 2030")
    assert detail(client.put(url(f"{path}/{spring['Id']}"), headers=OWNER, json={"Id": "other", "Name": "y"}))[:2] == (
        404, MSG_SESSION)
    registered = client.post(url(f"{path}/{spring['Id']}/users/{user_id(client, 'charlotte.davies@harbourline.example')}/register"),
                             headers=OWNER)
    assert is_bodiless(registered, 200)
    assert detail(client.put(url(f"{path}/{spring['Id']}"), headers=OWNER, json={"Slots": 1}))[:2] == (
        409, "Slots cannot be fewer than the users registered for the session.")
    after = get_json(client, path)
    assert [s["Name"] for s in after] == [s["Name"] for s in before]


# -- registration and roll call -------------------------------------------------------------------


def test_registration_rules(client) -> None:
    path = sessions_path(client)
    spring = session_named(client, "Forklift practical, Seattle, spring 2030")  # Slots 2, one registered
    grace, charlotte = (user_id(client, f"{n}@harbourline.example") for n in ("grace.kim", "charlotte.davies"))
    sofia = user_id(client, "sofia.alvarez@harbourline.example")  # not assigned FORK1
    register = lambda who: client.post(url(f"{path}/{spring['Id']}/users/{who}/register", format="json"),  # noqa: E731
                                       headers=OWNER)
    assert detail(register(grace))[:2] == (409, "The user is already registered for this session.")
    assert detail(register(sofia))[:2] == (409, "The user is not assigned the course of this session.")
    assert detail(register("nosuchuser01"))[:2] == (404, "User - nosuchuser01 was not found")
    assert is_bodiless(register(charlotte), 200)
    assert get_json(client, f"{path}/{spring['Id']}")["Accepted"] == 2
    fork = next(c for c in get_json(client, "/courses") if c["Code"] == "FORK1")["Id"]
    assert client.post(url(f"/users/{sofia}/courses"), headers=OWNER, json=[{"Id": fork}]).status_code == 201
    assert detail(register(sofia))[:2] == (409, "The session is full.")


def test_roll_call_reads_in_both_formats(client) -> None:
    path = sessions_path(client)
    may = session_named(client, "Forklift practical, Seattle, May 2026")
    roll = get_json(client, f"{path}/{may['Id']}/rollcall")
    assert [e["FirstName"] for e in roll] == ["Charlotte", "Grace"] and list(roll[0]) == EVENT_USER_MEMBERS
    assert (roll[0]["EventStatus"], roll[0]["Score"], roll[0]["Completed"]) == (2, 92, True)
    assert (roll[1]["EventStatus"], roll[1]["Completed"]) == (3, False)
    root = xml_of(client.get(url(f"{path}/{may['Id']}/rollcall"), headers=LEADER))
    assert root.tag == "EventUsers" and [c.tag for c in root[0]] == EVENT_USER_MEMBERS
    assert root[0].findtext("Completed") == "true" and root[0].findtext("Score") == "92"
    assert get_json(client, f"{path}/{may['Id']}/rollcall", start="1", limit="1")[0]["FirstName"] == "Grace"


def test_roll_call_completes_the_module_and_the_course(client) -> None:
    path = sessions_path(client)
    spring = session_named(client, "Forklift practical, Seattle, spring 2030")
    grace = user_id(client, "grace.kim@harbourline.example")
    course, module = ilt(client)
    before = get_json(client, f"/users/{grace}/courses/{course}")
    assert before["Complete"] is False and before["PercentageComplete"] < 100
    achievements = len(get_json(client, "/achievements", userid=grace))
    xml_body = (f"<EventUsers><EventUser><Id>{grace}</Id><Score>88</Score><Completed>true</Completed></EventUser>"
                "<EventUser><Id>nosuchuser01</Id><Completed>true</Completed></EventUser></EventUsers>")
    taken = client.post(url(f"{path}/{spring['Id']}/rollcall"), headers={**LEADER, "Content-Type": "application/xml"},
                        content=xml_body)
    assert is_bodiless(taken, 200)
    entry = get_json(client, f"{path}/{spring['Id']}/rollcall")[0]
    assert (entry["EventStatus"], entry["Score"], entry["Completed"]) == (2, 88, True)
    after = get_json(client, f"/users/{grace}/courses/{course}")
    assert after["Complete"] is True and after["PercentageComplete"] == 100
    assert next(m for m in after["Modules"] if m["Id"] == module)["Score"] == 88
    assert len(get_json(client, "/achievements", userid=grace)) == achievements + 1
    # marking absent (JSON) withdraws the module completion again
    absent = client.post(url(f"{path}/{spring['Id']}/rollcall"), headers=OWNER, json=[{"Id": grace, "Completed": False}])
    assert is_bodiless(absent, 200)
    assert get_json(client, f"{path}/{spring['Id']}/rollcall")[0]["EventStatus"] == 3
    assert get_json(client, f"/users/{grace}/courses/{course}")["Complete"] is False


def test_roll_call_refuses_bad_bodies(client) -> None:
    path = sessions_path(client)
    spring = session_named(client, "Forklift practical, Seattle, spring 2030")
    grace = user_id(client, "grace.kim@harbourline.example")
    for payload in ([{"Id": grace, "Score": 101}], {"Id": grace}, [{"Score": 5}], [{"Id": grace, "Completed": "y"}]):
        response = client.post(url(f"{path}/{spring['Id']}/rollcall"), headers=OWNER, json=payload)
        assert detail(response)[:2] == (400, "Please check the xml/json in the body of the request.")
    wrong_root = client.post(url(f"{path}/{spring['Id']}/rollcall"), headers={**OWNER, "Content-Type": "text/xml"},
                             content=f"<Users><User><Id>{grace}</Id></User></Users>")
    assert detail(wrong_root)[:2] == (400, "Please check the xml/json in the body of the request.")
    assert get_json(client, f"{path}/{spring['Id']}/rollcall")[0]["EventStatus"] == 1
    assert detail(client.post(url(f"{path}/nosuchsession/rollcall"), headers=OWNER, json=[]))[:2] == (404, MSG_SESSION)


def test_deleting_a_session_keeps_earned_results_and_deleting_a_user_leaves_the_roll(client) -> None:
    path = sessions_path(client)
    may = session_named(client, "Forklift practical, Seattle, May 2026")
    charlotte = user_id(client, "charlotte.davies@harbourline.example")
    course, _ = ilt(client)
    assert client.delete(url(f"/users/{charlotte}"), headers=OWNER).status_code == 200
    assert [e["FirstName"] for e in get_json(client, f"{path}/{may['Id']}/rollcall")] == ["Grace"]
    grace = user_id(client, "grace.kim@harbourline.example")
    before = get_json(client, f"/users/{grace}/courses/{course}")
    assert client.delete(url(f"{path}/{may['Id']}"), headers=OWNER).status_code == 200
    assert get_json(client, f"/users/{grace}/courses/{course}") == before


def test_ilt_access_levels(client) -> None:
    path = sessions_path(client)
    spring = session_named(client, "Forklift practical, Seattle, spring 2030")
    assert client.get(url("/instructors"), headers=LEADER).status_code == 200
    assert client.get(url(f"{path}/{spring['Id']}/rollcall"), headers=LEADER).status_code == 200
    assert client.get(url("/sessions/future"), headers=LEADER).status_code == 403
    assert client.get(url("/sessions/future"), headers=ADMIN).status_code == 200
    assert client.post(url(path), headers=ADMIN, json={"Name": "A", "Days": [
        {"StartDate": "/Date(1925000000000)/", "EndDate": "/Date(1925003600000)/"}]}).status_code == 201
    for headers in (LEARNER, LEADER):
        assert detail(client.delete(url(f"{path}/{spring['Id']}"), headers=headers))[:2] == (
            403, "You do not have the proper permissions for this call.")
    assert client.get(url("/instructors"), headers=LEARNER).status_code == 403
    assert client.get(url("/instructors"), headers={"apikey": "nope"}).status_code == 401


def test_ilt_calls_count_towards_the_rate_limit(make_client) -> None:
    limited = make_client(vendor="litmos", litmos_rate_limit="2/60s")
    for _ in range(2):
        assert limited.get(url("/instructors"), headers=OWNER).status_code == 200
    for fmt in ("json", "xml"):
        response = limited.get(url("/sessions/future", format=fmt), headers=OWNER)
        assert detail(response) == (503, "Rating Limit Exceeded", "Rating Limit Exceeded")
        assert "retry-after" not in response.headers


def test_every_ilt_read_says_the_same_in_xml_and_json(client) -> None:
    path = sessions_path(client)
    marcus = user_id(client, "marcus.okafor@harbourline.example")
    may = session_named(client, "Forklift practical, Seattle, May 2026")
    for read in ("/instructors", f"/instructors/{marcus}/sessions", "/sessions/future", "/sessions/past", path,
                 f"{path}/{may['Id']}", f"{path}/{may['Id']}/rollcall"):
        assert assert_same_in_both_formats(client, read, limit="1000") is not None
