"""Courses, modules, course users and user course results (docs/litmos.md)."""

from __future__ import annotations

import re

import pytest
from litmos_support import (
    ADMIN, OWNER, SEEDED_COURSES, WCF_JSON, bad_seed_error, by_name, detail, get_json, is_bodiless, url, user_id,
    xml_of,
)

COURSE_MEMBERS = ["Id", "Code", "Name", "Active", "ForSale", "OriginalId", "Description", "EcommerceShortDescription",
                  "EcommerceLongDescription", "CourseCodeForBulkImport", "Price", "AccessTillDate", "AccessTillDays"]
XML_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?$")


@pytest.fixture
def client(litmos_client):
    return litmos_client


def course(client, code: str) -> dict:
    return by_name(client, "/courses", "Code", code)


def test_course_list_members_order_and_decimals(client) -> None:
    courses = get_json(client, "/courses", limit="1000")
    assert [c["Name"] for c in courses] == sorted((c["Name"] for c in courses), key=str.casefold)
    assert len(courses) == SEEDED_COURSES and list(courses[0]) == COURSE_MEMBERS
    haccp = course(client, "HACCP2")
    assert haccp["CourseCodeForBulkImport"] == f"{haccp['OriginalId']}-HACCP2" and haccp["AccessTillDate"] is None
    raw = client.get(url(f"/courses/{haccp['Id']}", format="json"), headers=OWNER).content
    assert b'"Price":49.00' in raw
    root = xml_of(client.get(url(f"/courses/{haccp['Id']}"), headers=OWNER))
    assert root.tag == "Course" and [c.tag for c in root] == COURSE_MEMBERS
    assert root.findtext("Price") == "49.00"
    assert root.find("AccessTillDays").get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    assert [c["Code"] for c in get_json(client, "/courses", search="safety")] == ["FS101", "FORK1"]


def test_unknown_course_is_404_with_litmos_text(client) -> None:
    message = "The course nope does not exist."
    for path in ("/courses/nope", "/courses/nope/modules", "/courses/nope/users"):
        assert detail(client.get(url(path, format="json"), headers=OWNER)) == (404, message, message)


def test_modules_in_course_order(client) -> None:
    fs = course(client, "FS101")
    modules = get_json(client, f"/courses/{fs['Id']}/modules")
    assert [m["Code"] for m in modules] == ["FS101-1", "FS101-2", "FS101-3"]
    root = xml_of(client.get(url(f"/courses/{fs['Id']}/modules"), headers=OWNER))
    assert root.tag == "Modules" and [c.tag for c in root[0]] == ["Id", "Code", "Name", "Description"]


def test_course_users_with_results(client) -> None:
    fs = course(client, "FS101")
    users = get_json(client, f"/courses/{fs['Id']}/users")
    assert [(u["FirstName"], u["Completed"], u["PercentageComplete"]) for u in users] == [
        ("Amelia", True, 100.0), ("Chloé", False, 33.33), ("Sofia", True, 100.0)]
    raw = client.get(url(f"/courses/{fs['Id']}/users", format="json"), headers=OWNER).content
    assert b'"PercentageComplete":33.33' in raw and b'"PercentageComplete":100.00' in raw


def test_user_courses_dates_in_both_styles(client) -> None:
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    listed = get_json(client, f"/users/{sofia}/courses")
    assert [(c["Code"], c["Complete"]) for c in listed] == [("CODE1", False), ("FS101", True), ("HACCP2", False)]
    done = listed[1]
    assert all(WCF_JSON.match(done[k]) for k in ("AssignedDate", "StartDate", "DateCompleted", "CourseCreatedDate"))
    assert done["AssignedDate"] == "/Date(1767600000000+0000)/"  # 2026-01-05T08:00:00Z
    raw = client.get(url(f"/users/{sofia}/courses", format="json"), headers=OWNER).content
    assert b'"AssignedDate":"\\/Date(1767600000000+0000)\\/"' in raw
    root = xml_of(client.get(url(f"/users/{sofia}/courses"), headers=OWNER))
    assert root.tag == "Courses" and root[1].findtext("AssignedDate") == "2026-01-05T08:00:00"
    assert all(XML_DATE.match(root[1].findtext(k)) for k in ("StartDate", "DateCompleted"))
    assert root[0].find("DateCompleted").get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    assert [c.tag for c in root[0]] == list(listed[0])


def test_user_course_detail_lists_every_module(client) -> None:
    sofia, haccp = user_id(client, "sofia.alvarez@harbourline.example"), course(client, "HACCP2")
    result = get_json(client, f"/users/{sofia}/courses/{haccp['Id']}")
    assert result["PercentageComplete"] == 50.0 and result["Complete"] is False
    assert [(m["Code"], m["Completed"], m["Score"]) for m in result["Modules"]] == [
        ("HACCP2-1", True, 100), ("HACCP2-2", False, 0)]
    assert result["Modules"][1]["LastUpdated"] is None and WCF_JSON.match(result["Modules"][0]["LastUpdated"])
    root = xml_of(client.get(url(f"/users/{sofia}/courses/{haccp['Id']}"), headers=OWNER))
    assert root.tag == "Course" and root[-1].tag == "Modules" and root[-1][0].tag == "Module"
    assert [c.tag for c in root[-1][0]] == ["Id", "Code", "Name", "Passmark", "Score", "Completed", "LastUpdated",
                                            "Attempt", "OriginalId", "ResultId"]


def test_assign_is_201_empty_and_ignores_unknown_and_existing(client) -> None:
    paul, fork = user_id(client, "paul.smith@harbourline.example"), course(client, "FORK1")
    code = course(client, "CODE1")
    response = client.post(url(f"/users/{paul}/courses"), headers=OWNER,
                           json=[{"Id": fork["Id"]}, {"Id": "nope"}, {"Id": code["Id"]}])
    assert is_bodiless(response, 201)
    xml = f"<Courses><Course><Id>{fork['Id']}</Id><CourseTeamLibrary>false</CourseTeamLibrary></Course></Courses>"
    assert is_bodiless(client.post(url(f"/users/{paul}/courses"), headers={**OWNER, "Content-Type": "text/xml"},
                                   content=xml.encode()), 201)
    listed = get_json(client, f"/users/{paul}/courses")
    assert [c["Code"] for c in listed] == ["CODE1", "GDPR1", "FORK1"]
    new = listed[2]
    assert new["Complete"] is False and new["PercentageComplete"] == 0 and new["StartDate"] is None
    assert client.post(url("/users/nope/courses"), headers=OWNER, json=[]).status_code == 404
    assert client.post(url(f"/users/{paul}/courses", format="json"), headers=OWNER, json={"Id": "x"}).status_code == 400


def test_reset_and_remove(client) -> None:
    sofia, fs = user_id(client, "sofia.alvarez@harbourline.example"), course(client, "FS101")
    assert is_bodiless(client.put(url(f"/users/{sofia}/courses/{fs['Id']}/reset"), headers=OWNER), 200)
    after = get_json(client, f"/users/{sofia}/courses/{fs['Id']}")
    assert after["Complete"] is False and after["PercentageComplete"] == 0 and after["DateCompleted"] is None
    assert not any(m["Completed"] for m in after["Modules"])
    assert is_bodiless(client.delete(url(f"/users/{sofia}/courses/{fs['Id']}"), headers=OWNER), 200)
    message = f"The course {fs['Id']} does not exist."
    assert detail(client.get(url(f"/users/{sofia}/courses/{fs['Id']}", format="json"), headers=OWNER))[:2] == (
        404, message)
    assert client.delete(url(f"/users/{sofia}/courses/{fs['Id']}"), headers=OWNER).status_code == 404
    assert client.put(url(f"/users/{sofia}/courses/{fs['Id']}/reset"), headers=OWNER).status_code == 404
    assert "Sofia" not in [u["FirstName"] for u in get_json(client, f"/courses/{fs['Id']}/users")]


def test_course_access_levels(client) -> None:
    sofia, fs = user_id(client, "sofia.alvarez@harbourline.example"), course(client, "FS101")
    assert client.get(url("/courses"), headers=ADMIN).status_code == 403  # Account Owners only (x-access-levels)
    assert client.get(url(f"/courses/{fs['Id']}/users"), headers=ADMIN).status_code == 200
    assert client.delete(url(f"/users/{sofia}/courses/{fs['Id']}"), headers=ADMIN).status_code == 403
    assert client.get(url("/courses"), headers={"apikey": "litmos-learner-key"}).status_code == 403


def test_deleting_a_user_drops_its_results(client) -> None:
    chloe, fs = user_id(client, "chloe.martin@harbourline.example"), course(client, "FS101")
    assert client.delete(url(f"/users/{chloe}"), headers=OWNER).status_code == 200
    assert "Chloé" not in [u["FirstName"] for u in get_json(client, f"/courses/{fs['Id']}/users")]


@pytest.mark.parametrize(("collection", "record", "message"), [
    ("courses", {"Code": "fs101", "Name": "Again", "CreatedDate": "2024-01-01T00:00:00Z"}, "duplicates"),
    ("enrolments", {"UserName": "nobody@harbourline.example", "CourseCode": "FS101",
                    "AssignedDate": "2024-01-01T00:00:00Z"}, "no seeded user"),
    ("enrolments", {"UserName": "paul.smith@harbourline.example", "CourseCode": "FS101",
                    "AssignedDate": "2024-01-01T00:00:00Z", "CompletedModules": ["X"]}, "not modules of the course"),
    ("enrolments", {"UserName": "paul.smith@harbourline.example", "CourseCode": "CODE1",
                    "AssignedDate": "2024-01-01T00:00:00Z"}, "assigned twice"),
])
def test_bad_course_fixture_stops_startup(tmp_path, collection: str, record: dict, message: str) -> None:
    assert message in bad_seed_error(tmp_path, collection, record)


def test_courses_of_several_users(client) -> None:
    sofia, paul = user_id(client, "sofia.alvarez@harbourline.example"), user_id(client, "paul.smith@harbourline.example")
    response = client.post(url("/users/courses", format="json"), headers=OWNER,
                           json=[{"Id": paul}, {"Id": "nope"}, {"Id": sofia}, {"Id": paul}])
    assert response.status_code == 200
    answer = response.json()
    assert [u["FirstName"] for u in answer] == ["Paul", "Sofia"]
    assert list(answer[0]) == ["Id", "UserName", "FirstName", "LastName", "Courses"]
    assert answer[1]["Courses"] == get_json(client, f"/users/{sofia}/courses")
    xml = f"<Users><User><Id>{sofia}</Id></User></Users>"
    root = xml_of(client.post(url("/users/courses"), headers={**OWNER, "Content-Type": "application/xml"},
                              content=xml.encode()))
    assert root.tag == "Users" and root[0][-1].tag == "Courses" and root[0][-1][0].tag == "Course"


def test_courses_of_more_than_25_users_is_406(client) -> None:
    message = "No more than 25 users can be sent in one request."
    response = client.post(url("/users/courses", format="json"), headers=OWNER, json=[{"Id": "x"}] * 26)
    assert detail(response) == (406, message, message)
    wrong = client.get(url("/users/courses"), headers=OWNER)
    assert detail(wrong)[:2] == (405, "Method not allowed.") and wrong.headers["allow"] == "POST"
