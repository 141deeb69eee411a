"""Bulk imports (docs/litmos.md): user imports that create or update users by Username and
really assign teams and courses, their jobs and per-row outcomes, course imports that create and
update courses (and show in the course details), the 2000 KB bodies, access, reset and state."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

import pytest
import yaml
from litmos_support import (
    ADMIN, OWNER, SEED, SEEDED_USERS, WCF_JSON, by_name, detail, get_json, url, user_id, xml_of,
)

from mockserver.config import Settings
from mockserver.core.yamlcache import load_yaml
from mockserver.core.clock import Clock
from mockserver.core.ratelimit import Limit
from mockserver.core.store import Table
from mockserver.vendors.base import Backend
from mockserver.vendors.litmos.models import LitmosBackend

SPEC = load_yaml(Settings().specs / "litmos" / "openapi.yaml", yaml.CSafeLoader)  # as the server reads it
USER_MEMBERS = list(SPEC["components"]["schemas"]["UserImport"]["properties"])
COURSE_MEMBERS = list(SPEC["components"]["schemas"]["CourseImport"]["properties"])
TEAM_LEADER = {"apikey": "litmos-teamleader-key"}
JOB = ["Id", "ImportDate", "Status", "TotalRecords", "TotalUsersCreated", "Failed", "Duplicate", "InvalidEmail",
       "SendEmails", "SkipFirstLogin", "IsAPIImport"]
COURSE_JOB = ["ImportId", "ImportDate", "Status", "TotalRecords", "TotalCoursesCreated", "Failed"]
XML_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?$")
MSG_BODY = "Please check the xml/json in the body of the request."
MSG_NO_JOB = "Bulk Import Id was not found."
MSG_LEVEL = "You do not have the proper permissions for this call."
NEW = "lena.park@harbourline.example"


@pytest.fixture
def client(litmos_client):
    return litmos_client


# -- helpers ---------------------------------------------------------------------------------------


def xml_body(root: str, item: str, order: list[str], rows: list[dict[str, Any]]) -> bytes:
    """Rows as a WCF client writes them: members in contract order, None as i:nil."""
    out = [f'<{root} xmlns:i="http://www.w3.org/2001/XMLSchema-instance">']
    for row in rows:
        out.append(f"<{item}>")
        for name in order:
            if name not in row:
                continue
            value = row[name]
            if value is None:
                out.append(f'<{name} i:nil="true"/>')
            else:
                text = ("true" if value else "false") if isinstance(value, bool) else escape(str(value))
                out.append(f"<{name}>{text}</{name}>")
        out.append(f"</{item}>")
    out.append(f"</{root}>")
    return "".join(out).encode("utf-8")


def import_users(client, rows: list[dict[str, Any]], fmt: str = "json", headers: dict[str, str] = OWNER,
                 **query: str) -> Any:
    if fmt == "json":
        return client.post(url("/bulkimports", format="json", **query), headers=headers, json=rows)
    return client.post(url("/bulkimports", **query), headers={**headers, "Content-Type": "application/xml"},
                       content=xml_body("UserImports", "UserImport", USER_MEMBERS, rows))


def import_courses(client, rows: list[dict[str, Any]], fmt: str = "json", headers: dict[str, str] = OWNER) -> Any:
    if fmt == "json":
        return client.post(url("/bulkimports/courses", format="json"), headers=headers, json=rows)
    return client.post(url("/bulkimports/courses"), headers={**headers, "Content-Type": "text/xml"},
                       content=xml_body("CourseImports", "CourseImport", COURSE_MEMBERS, rows))


def job(client, job_id: str) -> dict[str, Any]:
    return get_json(client, f"/bulkimports/{job_id}")


def outcomes(client, job_id: str) -> list[tuple[str, str]]:
    return [(r["Username"], r["ImportStatus"]) for r in get_json(client, f"/bulkimports/{job_id}/usererrors",
                                                                 limit="1000")]


def team_code(client, name: str) -> str:
    return by_name(client, "/teams", "Name", name)["TeamCodeForBulkImport"]


def course(client, code: str) -> dict[str, Any]:
    return by_name(client, "/courses", "Code", code)


def user(client, username: str) -> dict[str, Any]:
    return get_json(client, f"/users/{username}")


def member_ids(client, team: str) -> set[str]:
    team_id = by_name(client, "/teams", "Name", team)["Id"]
    return {u["Id"] for u in get_json(client, f"/teams/{team_id}/users", limit="1000")}


def course_codes_of(client, user_key: str) -> set[str]:
    return {c["Code"] for c in get_json(client, f"/users/{user_key}/courses", limit="1000")}


def state(client) -> dict[str, Any]:
    return client.get("/__admin/state/litmos?secrets=true").json()  # with secrets: it imports back


# -- user imports: creates, assignments, formats ---------------------------------------------------


def test_xml_import_answers_200_waiting_then_reads_completed(client) -> None:
    rows = [{"Username": NEW, "FirstName": "Lena", "LastName": "Park", "Phone": "+15550001111", "Title": "Picker",
             "Address1": "1 Dock Road", "Zip": "98101", "CustomField3": "night", "Culture": "en-GB",
             "Team1": team_code(client, "Contractors"), "Course1": course(client, "FORK1")["CourseCodeForBulkImport"]},
            {"Username": "lena.custom", "FirstName": "Lena", "LastName": "Custom"}]
    response = import_users(client, rows, fmt="xml")
    assert response.status_code == 200 and response.headers["content-type"] == "application/xml; charset=utf-8"
    root = xml_of(response)
    assert root.tag == "UserBulkImport" and [c.tag for c in root] == JOB
    assert [root.findtext(k) for k in JOB[2:]] == ["Waiting", "2", "0", "0", "0", "0", "false", "false", "true"]
    assert XML_DATE.match(root.findtext("ImportDate"))
    done = job(client, root.findtext("Id"))
    assert (done["Status"], done["TotalRecords"], done["TotalUsersCreated"], done["Failed"]) == ("Completed", 2, 2, 0)
    assert WCF_JSON.match(done["ImportDate"])
    assert outcomes(client, done["Id"]) == [(NEW, "Created"), ("lena.custom", "Created")]
    lena = user(client, NEW)
    assert (lena["FirstName"], lena["PhoneWork"], lena["JobTitle"], lena["Street1"], lena["PostalCode"],
            lena["CustomField3"], lena["Culture"]) == ("Lena", "+15550001111", "Picker", "1 Dock Road", "98101",
                                                       "night", "en-GB")
    assert (lena["Email"], lena["IsCustomUsername"], lena["AccessLevel"], lena["Active"]) == (NEW, False, "Learner", True)
    assert user(client, "lena.custom")["IsCustomUsername"] is True and user(client, "lena.custom")["Email"] == ""
    # Really assigned: a member of the team, with Course1's course and whatever joining the team gives, exactly
    # as for a user added by POST /teams/{id}/users.
    assert lena["Id"] in member_ids(client, "Contractors")
    other = client.post(url("/users", format="json"), headers=OWNER,
                        json={"UserName": "other.joiner@harbourline.example", "FirstName": "O", "LastName": "J"}).json()
    contractors = by_name(client, "/teams", "Name", "Contractors")["Id"]
    assert client.post(url(f"/teams/{contractors}/users"), headers=OWNER, json=[{"Id": other["Id"]}]).status_code == 201
    from_team = course_codes_of(client, other["Id"])
    assert "CODE1" in from_team and course_codes_of(client, lena["Id"]) == from_team | {"FORK1"}
    assert len(get_json(client, "/users", limit="1000")) == SEEDED_USERS + 3  # the two imported, other.joiner


def test_json_import_updates_by_username_and_keeps_what_it_leaves_out(client) -> None:
    before = user(client, "sofia.alvarez@harbourline.example")
    rows = [{"Username": "SOFIA.Alvarez@harbourline.example", "Title": "Shift Supervisor", "FirstName": None,
             "Team2": team_code(client, "Logistics")}]
    answer = import_users(client, rows).json()
    assert list(answer) == JOB and answer["Status"] == "Waiting" and answer["TotalRecords"] == 1
    done = job(client, answer["Id"])
    assert (done["TotalUsersCreated"], done["Duplicate"], done["Failed"]) == (0, 1, 0)
    assert outcomes(client, answer["Id"]) == [("SOFIA.Alvarez@harbourline.example", "Updated")]
    after = user(client, "sofia.alvarez@harbourline.example")
    changed = {k for k in before if before[k] != after[k]} - {"LoginKey"}
    assert changed == {"JobTitle"} and after["JobTitle"] == "Shift Supervisor"
    assert after["UserName"] == "sofia.alvarez@harbourline.example"  # the key never changes
    assert after["Id"] in member_ids(client, "Logistics")


def test_xml_nil_members_change_nothing(client) -> None:
    before = user(client, "sofia.alvarez@harbourline.example")
    answer = import_users(client, [{"Username": "sofia.alvarez@harbourline.example", "FirstName": None,
                                    "Email": None, "Title": "Baker"}], fmt="xml")
    assert answer.status_code == 200
    after = user(client, "sofia.alvarez@harbourline.example")
    assert (after["FirstName"], after["Email"], after["JobTitle"]) == (before["FirstName"], before["Email"], "Baker")


def test_a_later_row_naming_the_same_user_updates_it(client) -> None:
    rows = [{"Username": NEW, "FirstName": "Lena", "LastName": "Park"},
            {"Username": NEW, "Title": "Forklift driver", "Team1": team_code(client, "Seattle Plant")}]
    answer = import_users(client, rows).json()
    done = job(client, answer["Id"])
    assert (done["TotalUsersCreated"], done["Duplicate"]) == (1, 1)
    assert outcomes(client, answer["Id"]) == [(NEW, "Created"), (NEW, "Updated")]
    lena = user(client, NEW)
    assert lena["JobTitle"] == "Forklift driver" and lena["Id"] in member_ids(client, "Seattle Plant")


def test_flags_manager_level_and_inactive_date(client) -> None:
    manager = user(client, "daniel.kowalski@harbourline.example")
    rows = [{"Username": NEW, "FirstName": "Lena", "LastName": "Park", "Manager": "daniel.kowalski@harbourline.example",
             "AccessLevel": "TL", "InActiveDate": "/Date(1798761600000)/", "Brand": "Retail", "Active": False},
            {"Username": "omar.new@harbourline.example", "FirstName": "Omar", "LastName": "New",
             "Manager": manager["Id"], "AccessLevel": "3"}]
    answer = import_users(client, rows, sendmessage="true", skipfirstlogin="true").json()
    assert (answer["SendEmails"], answer["SkipFirstLogin"]) == (True, True)
    lena, omar = user(client, NEW), user(client, "omar.new@harbourline.example")
    assert (lena["ManagerId"], lena["AccessLevel"], lena["ExpirationDate"], lena["Brand"], lena["Active"],
            lena["SkipFirstLogin"]) == (manager["Id"], "Team_Leader", "2027-01-01T00:00:00Z", "Retail", False, True)
    assert (omar["ManagerId"], omar["AccessLevel"]) == (manager["Id"], "Administrator")
    # XML dates are ISO; the same date in a JSON body must be WCF's /Date(ms)/.
    xml = import_users(client, [{"Username": NEW, "InActiveDate": "2027-02-01T08:30:00"}], fmt="xml")
    assert user(client, NEW)["ExpirationDate"] == "2027-02-01T08:30:00Z" and xml.status_code == 200
    iso = import_users(client, [{"Username": NEW, "InActiveDate": "2027-03-01T00:00:00Z"}]).json()
    assert outcomes(client, iso["Id"]) == [(NEW, "Failed - InActiveDate is not a valid date.")]


def test_access_levels_by_letter_number_and_name(client) -> None:
    values = {"L": "Learner", "TL": "Team_Leader", "ta": "Team_Leader", "2": "Account_Owner", "3": "Administrator",
              "4": "Team_Leader", "5": "Learner", "Administrator": "Administrator"}
    rows = [{"Username": f"level.{n}@harbourline.example", "FirstName": "L", "LastName": str(n), "AccessLevel": v}
            for n, v in enumerate(values)]
    import_users(client, rows)
    assert [user(client, f"level.{n}@harbourline.example")["AccessLevel"] for n in range(len(values))] == list(
        values.values())


# -- user imports: failures ------------------------------------------------------------------------


def test_rows_that_break_a_rule_fail_alone_with_their_reason(client) -> None:
    before = state(client)["tables"]["users"]["rows"]
    rows = [
        {"Username": "ab", "FirstName": "A", "LastName": "B"},
        {"Username": "bad.email@harbourline.example", "Email": "not-an-email", "FirstName": "B", "LastName": "E"},
        {"Username": "no.team@harbourline.example", "FirstName": "N", "LastName": "T", "Team1": "1-Nowhere"},
        {"Username": "no.course@harbourline.example", "FirstName": "N", "LastName": "C", "Course2": "1-NOPE"},
        {"Username": "no.names@harbourline.example"},
        {"Username": "bad.culture@harbourline.example", "FirstName": "B", "LastName": "C", "Culture": "xx-XX"},
        {"Username": "bad.level@harbourline.example", "FirstName": "B", "LastName": "L", "AccessLevel": "Boss"},
        {"Username": "no.manager@harbourline.example", "FirstName": "N", "LastName": "M", "Manager": "nobody"},
        {"Username": "bad chars!", "FirstName": "B", "LastName": "C"},
        {"Username": "", "FirstName": "E", "LastName": "U"},
        {"Username": "olivia.bennett@harbourline.example", "Active": False},
        {"Username": NEW, "FirstName": "Lena", "LastName": "Park"},
    ]
    answer = import_users(client, rows).json()
    done = job(client, answer["Id"])
    assert (done["TotalRecords"], done["TotalUsersCreated"], done["Failed"], done["InvalidEmail"]) == (12, 1, 11, 1)
    assert outcomes(client, answer["Id"]) == [
        ("ab", "Failed - Username must be greater than 3 characters."),
        ("bad.email@harbourline.example", "Failed - Invalid email address."),
        ("no.team@harbourline.example", "Failed - Team code 1-Nowhere was not found."),
        ("no.course@harbourline.example", "Failed - Course code 1-NOPE was not found."),
        ("no.names@harbourline.example", "Failed - FirstName and LastName are required for a new user."),
        ("bad.culture@harbourline.example", "Failed - Culture is invalid"),
        ("bad.level@harbourline.example", "Failed - AccessLevel is invalid."),
        ("no.manager@harbourline.example", "Failed - The manager Id in the xml/json is not valid."),
        ("bad chars!", "Failed - Invalid special character's in the username."),
        ("", "Failed - Username is required."),
        ("olivia.bennett@harbourline.example",
         "Failed - The Account Owner cannot be deleted, deactivated or given another access level."),
        (NEW, "Created"),
    ]
    after = state(client)["tables"]["users"]["rows"]
    assert [r for r in after if r["UserName"] != NEW] == before  # the failed rows wrote nothing


def test_no_level_above_the_callers_own(client) -> None:
    rows = [{"Username": NEW, "FirstName": "L", "LastName": "P", "AccessLevel": "2"},
            {"Username": "olivia.bennett@harbourline.example", "Title": "CEO"},
            {"Username": "sofia.alvarez@harbourline.example", "AccessLevel": "Administrator"}]
    answer = import_users(client, rows, headers=ADMIN).json()
    assert outcomes(client, answer["Id"]) == [(NEW, f"Failed - {MSG_LEVEL}"),
                                              ("olivia.bennett@harbourline.example", f"Failed - {MSG_LEVEL}"),
                                              ("sofia.alvarez@harbourline.example", "Updated")]
    assert user(client, "sofia.alvarez@harbourline.example")["AccessLevel"] == "Administrator"


def test_a_team_leader_imports_only_into_teams_it_leads(client) -> None:
    led, other = team_code(client, "Operations"), team_code(client, "Marketing")
    rows = [{"Username": NEW, "FirstName": "Lena", "LastName": "Park", "Team1": led},
            {"Username": "no.team@harbourline.example", "FirstName": "N", "LastName": "T"},
            {"Username": "other.team@harbourline.example", "FirstName": "O", "LastName": "T", "Team1": other},
            {"Username": "two.teams@harbourline.example", "FirstName": "T", "LastName": "T", "Team1": led,
             "Team2": other},
            {"Username": "too.high@harbourline.example", "FirstName": "T", "LastName": "H", "Team1": led,
             "AccessLevel": "Administrator"}]
    answer = import_users(client, rows, headers=TEAM_LEADER)
    assert answer.status_code == 200
    lead = "Failed - A Team Leader can only import people into teams it leads; Team1 must name one."
    assert outcomes(client, answer.json()["Id"]) == [
        (NEW, "Created"), ("no.team@harbourline.example", lead), ("other.team@harbourline.example", lead),
        ("two.teams@harbourline.example", lead), ("too.high@harbourline.example", f"Failed - {MSG_LEVEL}")]
    assert user(client, NEW)["Id"] in member_ids(client, "Operations")


def test_bad_bodies_are_400_and_change_nothing(client) -> None:
    before = state(client)
    xml = {**OWNER, "Content-Type": "application/xml"}
    bad = [
        (xml, b"<UserImports><UserImport><Username>x"),                                    # not well-formed
        (xml, b"<Users><User><Username>lena.park@harbourline.example</Username></User></Users>"),  # wrong root
        (xml, b"<UserImports/>"),                                                            # no rows
        (xml, b"<UserImports><UserImport><Active>yes</Active></UserImport></UserImports>"),  # not a boolean
        (xml, b'<UserImports xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><UserImport>'
              b'<AccessLevel i:nil="true"/></UserImport></UserImports>'),                    # AccessLevel never null
        (xml, b'<!DOCTYPE x [<!ENTITY e "x">]><UserImports/>'),                             # no DTDs
    ]
    users_bad = [{"Username": NEW}, [], [{"Username": "x" * 256}], [{"InActiveDate": None}], [{"Active": "yes"}],
                 [1], [{"Username": NEW, "FirstName": "L", "LastName": "P"}] * 5001]
    courses_bad = [{"CourseTitle": "X", "Active": True}, [], [{"CourseTitle": "x" * 256, "Active": True}],
                   [{"CourseTitle": "X", "Active": None}], [{"CourseTitle": "X", "Active": True, "DueDateSpan": 0}],
                   [{"CourseTitle": "X", "Active": True, "CourseAccessExpirationDateSpan": 101}], [1],
                   [{"CourseTitle": "X", "Active": True}] * 5001]
    for headers, content in bad:
        assert detail(client.post(url("/bulkimports"), headers=headers, content=content))[:2] == (400, MSG_BODY)
    for body in users_bad:
        assert detail(client.post(url("/bulkimports", format="json"), headers=OWNER, json=body))[:2] == (400, MSG_BODY)
    for body in courses_bad:
        assert detail(client.post(url("/bulkimports/courses", format="json"), headers=OWNER, json=body))[:2] == (
            400, MSG_BODY)
    after = state(client)
    assert after["tables"]["users"] == before["tables"]["users"] and after["tables"]["bulk_imports"]["rows"] == []
    assert after["tables"]["courses"] == before["tables"]["courses"]


def test_unknown_and_course_import_ids_are_400(client) -> None:
    course_job = import_courses(client, [{"CourseTitle": "Night Shift", "Active": True}]).json()["ImportId"]
    for job_id in ("nosuchjob001", course_job):
        for path in (f"/bulkimports/{job_id}", f"/bulkimports/{job_id}/usererrors"):
            for fmt in ("json", "xml"):
                assert detail(client.get(url(path, format=fmt), headers=OWNER)) == (400, MSG_NO_JOB, MSG_NO_JOB)


def test_get_on_the_course_import_path_is_405(client) -> None:
    response = client.get(url("/bulkimports/courses", format="json"), headers=OWNER)
    assert response.status_code == 405 and response.headers["allow"] == "POST"


# -- jobs --------------------------------------------------------------------------------------------


def test_list_is_latest_first_and_both_formats_agree(client) -> None:
    first = import_users(client, [{"Username": NEW, "FirstName": "L", "LastName": "P"}]).json()["Id"]
    second = import_users(client, [{"Username": NEW, "Title": "x"}], fmt="xml")
    second_id = xml_of(second).findtext("Id")
    jobs = get_json(client, "/bulkimports")
    assert [j["Id"] for j in jobs] == [second_id, first] and all(j["Status"] == "Completed" for j in jobs)
    root = xml_of(client.get(url("/bulkimports"), headers=OWNER))
    assert root.tag == "UserBulkImports" and [j.findtext("Id") for j in root] == [second_id, first]
    errors = xml_of(client.get(url(f"/bulkimports/{first}/usererrors"), headers=OWNER))
    assert errors.tag == "UserErrors" and [[c.tag for c in e] for e in errors] == [["Username", "ImportStatus"]]
    assert get_json(client, "/bulkimports", start="2") == []


def test_only_the_latest_jobs_are_kept(monkeypatch, client) -> None:
    from mockserver.vendors.litmos.models import bulk_imports

    monkeypatch.setattr(bulk_imports, "KEEP", 3)
    ids = [import_users(client, [{"Username": NEW, "Title": str(n)}]).json()["Id"] for n in range(5)]
    import_courses(client, [{"CourseTitle": "Kept apart", "Active": True}])
    assert [j["Id"] for j in get_json(client, "/bulkimports")] == ids[:1:-1]
    assert detail(client.get(url(f"/bulkimports/{ids[0]}", format="json"), headers=OWNER))[:2] == (400, MSG_NO_JOB)
    assert len(state(client)["tables"]["bulk_imports"]["rows"]) == 4  # three user imports and the course import


def test_access_levels_of_the_bulk_import_calls(client) -> None:
    """Team Leaders post user imports but read no jobs; Administrators read them; course imports need the
    Account Owner; Learners nothing."""
    job_id = import_users(client, [{"Username": NEW, "FirstName": "L", "LastName": "P"}], headers=ADMIN).json()["Id"]
    assert client.get(url(f"/bulkimports/{job_id}/usererrors"), headers=ADMIN).status_code == 200
    for path in ("/bulkimports", f"/bulkimports/{job_id}", f"/bulkimports/{job_id}/usererrors"):
        assert detail(client.get(url(path, format="json"), headers=TEAM_LEADER))[:2] == (403, MSG_LEVEL)
    assert detail(import_courses(client, [{"CourseTitle": "X", "Active": True}], headers=ADMIN))[:2] == (403, MSG_LEVEL)
    learner = {"apikey": "litmos-learner-key"}
    assert detail(import_users(client, [{"Username": NEW}], headers=learner))[:2] == (403, MSG_LEVEL)


def test_bodies_up_to_2000_kb_are_accepted_larger_ones_are_413(client) -> None:
    wide = {f"UserCustomField{n}": "x" * 255 for n in range(1, 26)}
    rows = [{"Username": f"wide.{n:04d}@harbourline.example", "FirstName": "W", "LastName": str(n), **wide}
            for n in range(270)]
    content = xml_body("UserImports", "UserImport", USER_MEMBERS, rows)
    assert 1_900_000 < len(content) <= 2_048_000
    headers = {**OWNER, "Content-Type": "application/xml"}
    answer = client.post(url("/bulkimports"), headers=headers, content=content)
    assert answer.status_code == 200 and xml_of(answer).findtext("TotalRecords") == "270"
    over = content[:-len("</UserImports>")] + b" " * (2_048_001 - len(content)) + b"</UserImports>"
    assert detail(client.post(url("/bulkimports"), headers=headers, content=over))[:2] == (
        413, "Request Entity Too Large")
    # Other operations keep the server's 1 MiB.
    assert client.post(url("/users"), headers=headers, content=content[:1_100_000]).status_code == 413


# -- course imports ----------------------------------------------------------------------------------


def test_course_import_creates_a_course_its_details_show(client) -> None:
    fork = course(client, "FORK1")
    path = get_json(client, "/learningpaths")[0]["Id"]
    row = {"CourseTitle": "Night Shift Safety", "Description": "After dark", "Active": True, "ContentLibrary": False,
           "ModuleOrder": True, "DueDateSpan": 30, "ComplianceDateSpan": 365, "ComplianceRetake": True,
           "Topic1": "Safety", "Topic3": "Nights", "Social": True, "CoursePrerequisite1": fork["CourseCodeForBulkImport"],
           "LearningPathPrerequisite1": path, "Language": "en-GB", "Tags": "night,safety",
           "AdvCourseCustomField2": "B2", "ReferenceCode": "NIGHT1", "Notifications": "olivia.bennett@harbourline.example"}
    answer = import_courses(client, [row])
    assert answer.status_code == 200
    body = answer.json()
    assert list(body) == COURSE_JOB and (body["Status"], body["TotalRecords"], body["TotalCoursesCreated"],
                                         body["Failed"]) == ("Completed", 1, 1, 0)
    night = course(client, "NIGHT1")
    assert (night["Name"], night["Description"], night["Active"]) == ("Night Shift Safety", "After dark", True)
    details = get_json(client, f"/courses/{night['Id']}/details")
    owner = user_id(client, "olivia.bennett@harbourline.example")
    assert details["CourseCode"] == f"{night['OriginalId']}-NIGHT1" == night["CourseCodeForBulkImport"]
    assert (details["CreatedBy"], details["UpdatedBy"], details["CreatedDate"]) == (owner, owner, details["UpdatedDate"])
    assert {k: details[k] for k in ("IncludeInLibrary", "CompleteInOrder", "DueDate", "DueDateSpan",
                                    "ComplianceDateSpan", "ComplianceRetake", "Languages", "Topics", "Tags", "Social",
                                    "CoursePreRequisites", "LearningPathPreRequisites", "AdvCourseCustomField2")} == {
        "IncludeInLibrary": False, "CompleteInOrder": True, "DueDate": None, "DueDateSpan": 30,
        "ComplianceDateSpan": 365, "ComplianceRetake": True, "Languages": ["en-GB"], "Topics": "Safety, Nights",
        "Tags": "night,safety", "Social": True, "CoursePreRequisites": fork["CourseCodeForBulkImport"],
        "LearningPathPreRequisites": path, "AdvCourseCustomField2": "B2"}
    root = xml_of(client.get(url(f"/courses/{night['Id']}/details"), headers=OWNER))
    assert [c.text for c in root.find("Languages")] == ["en-GB"] and root.findtext("DueDateSpan") == "30"


def test_course_import_updates_by_course_code_in_xml(client) -> None:
    fork = course(client, "FORK1")
    before = get_json(client, f"/courses/{fork['Id']}/details")
    answer = import_courses(client, [{"CourseTitle": "Forklift Safety 2", "CourseCode": fork["CourseCodeForBulkImport"],
                                      "Active": False, "DueDate": "2027-01-31", "CourseAccessExpirationDateSpan": 90}],  # XML: ISO
                            fmt="xml")
    root = xml_of(answer)
    assert root.tag == "CourseBulkImport" and [c.tag for c in root] == COURSE_JOB
    assert [root.findtext(k) for k in COURSE_JOB[2:]] == ["Completed", "1", "0", "0"]
    after = get_json(client, f"/courses/{fork['Id']}/details")
    assert (after["Name"], after["Active"], after["DueDate"], after["AccessTillDays"]) == (
        "Forklift Safety 2", False, "/Date(1801353600000+0000)/", 90)  # 2027-01-31, UTC
    assert after["Description"] == before["Description"] and after["Topics"] == before["Topics"]  # left out: kept
    assert after["UpdatedDate"] != before["UpdatedDate"] and after["CreatedDate"] == before["CreatedDate"]
    listed = course(client, "FORK1")
    assert (listed["Name"], listed["AccessTillDays"], listed["AccessTillDate"]) == ("Forklift Safety 2", 90, None)
    # A date clears its span, and the other way round.
    import_courses(client, [{"CourseTitle": "Forklift Safety 2", "CourseCode": fork["CourseCodeForBulkImport"],
                             "Active": True, "DueDateSpan": 10, "CourseAccessExpirationDate": "/Date(1801267200000)/"}])
    after = get_json(client, f"/courses/{fork['Id']}/details")
    assert (after["DueDate"], after["DueDateSpan"], after["AccessTillDate"], after["AccessTillDays"]) == (
        None, 10, "/Date(1801267200000+0000)/", None)
    assert course(client, "FORK1")["AccessTillDate"] == "/Date(1801267200000+0000)/"


def test_a_due_date_and_its_span_in_one_row_fail_that_row(client) -> None:
    fork = course(client, "FORK1")
    before = get_json(client, f"/courses/{fork['Id']}/details")
    rows = [{"CourseTitle": "Both due", "CourseCode": fork["CourseCodeForBulkImport"], "Active": True,
             "DueDate": "/Date(1801267200000)/", "DueDateSpan": 14},
            {"CourseTitle": "Both access", "Active": True, "CourseAccessExpirationDate": "/Date(1801267200000)/",
             "CourseAccessExpirationDateSpan": 14},
            {"CourseTitle": "Fine", "Active": True, "DueDateSpan": 14}]
    answer = import_courses(client, rows).json()
    assert (answer["TotalRecords"], answer["TotalCoursesCreated"], answer["Failed"]) == (3, 1, 2)
    assert get_json(client, f"/courses/{fork['Id']}/details") == before
    assert [c["Name"] for c in get_json(client, "/courses", search="Both")] == []
    rows_kept = state(client)["tables"]["bulk_imports"]["rows"][-1]["Rows"]
    assert rows_kept == [["Both due", "Failed - Only one of DueDate and DueDateSpan can be given."],
                         ["Both access", "Failed - Only one of CourseAccessExpirationDate and "
                                         "CourseAccessExpirationDateSpan can be given."],
                         ["Fine", "Created"]]


def test_course_rows_that_break_a_rule_fail_alone(client) -> None:
    before = state(client)["tables"]["courses"]
    rows = [{"Active": True}, {"CourseTitle": "No active"},
            {"CourseTitle": "Unknown code", "CourseCode": "1-NOPE", "Active": True},
            {"CourseTitle": "Taken code", "Active": True, "ReferenceCode": "fork1"},
            {"CourseTitle": "Bad language", "Active": True, "Language": "Klingon"},
            {"CourseTitle": "Nobody notified", "Active": True, "Notifications": "nobody@harbourline.example"},
            {"CourseTitle": "Unknown prerequisite", "Active": True, "CoursePrerequisite2": "1-NOPE"},
            {"CourseTitle": "Unknown path", "Active": True, "LearningPathPrerequisite1": "nosuchpath01"},
            {"CourseTitle": "ISO in JSON", "Active": True, "DueDate": "2027-01-31"}]
    answer = import_courses(client, rows).json()
    assert (answer["TotalRecords"], answer["TotalCoursesCreated"], answer["Failed"]) == (9, 0, 9)
    assert [status for _, status in state(client)["tables"]["bulk_imports"]["rows"][-1]["Rows"]] == [
        "Failed - CourseTitle and Active are required.", "Failed - CourseTitle and Active are required.",
        "Failed - Course code 1-NOPE was not found.", "Failed - Reference code fork1 is already used by another course.",
        "Failed - Language is invalid.", "Failed - Notifications user nobody@harbourline.example was not found.",
        "Failed - Course code 1-NOPE was not found.", "Failed - Learning path nosuchpath01 was not found.",
        "Failed - DueDate is not a valid date."]
    assert state(client)["tables"]["courses"] == before


def test_imported_courses_are_assignable_through_a_user_import(client) -> None:
    created = import_courses(client, [{"CourseTitle": "Night Shift Safety", "Active": True, "ReferenceCode": "NIGHT1"}])
    assert created.json()["TotalCoursesCreated"] == 1
    code = course(client, "NIGHT1")["CourseCodeForBulkImport"]
    import_users(client, [{"Username": NEW, "FirstName": "L", "LastName": "P", "Course3": code}])
    assert course_codes_of(client, user(client, NEW)["Id"]) == {"NIGHT1"}


# -- determinism, reset, state -------------------------------------------------------------------


def test_ids_are_reproducible_and_reset_returns_to_the_seed(client) -> None:
    seeded = state(client)
    rows = [{"Username": NEW, "FirstName": "Lena", "LastName": "Park"}]
    first = (import_users(client, rows).json()["Id"], user(client, NEW)["Id"],
             import_courses(client, [{"CourseTitle": "N", "Active": True}]).json()["ImportId"])
    assert client.post("/__admin/reset").status_code == 200
    assert state(client) == seeded and get_json(client, "/bulkimports") == []
    again = (import_users(client, rows).json()["Id"], user(client, NEW)["Id"],
             import_courses(client, [{"CourseTitle": "N", "Active": True}]).json()["ImportId"])
    assert again == first and re.fullmatch(r"[A-Za-z0-9_-]{11}1", first[0])


def test_jobs_travel_with_the_state_export(client) -> None:
    job_id = import_users(client, [{"Username": NEW, "FirstName": "Lena", "LastName": "Park"}]).json()["Id"]
    saved = state(client)
    assert client.post("/__admin/reset").status_code == 200
    assert client.put("/__admin/state/litmos", json=saved).status_code == 200
    assert job(client, job_id)["TotalUsersCreated"] == 1 and outcomes(client, job_id) == [(NEW, "Created")]
    broken = {"tables": {**saved["tables"], "bulk_imports": {"rows": [{"id": 1, "Id": "x"}]}}}
    assert client.put("/__admin/state/litmos", json=broken).status_code in (400, 409)
    assert job(client, job_id)["TotalUsersCreated"] == 1


def test_passwords_are_kept_neither_in_the_job_nor_in_the_journal(client) -> None:
    rows = [{"Username": NEW, "FirstName": "L", "LastName": "P", "Password": "s3cret-Pa55"}]
    import_users(client, rows)
    import_users(client, [{**rows[0], "Username": "xml.pass@harbourline.example"}], fmt="xml")
    assert "s3cret-Pa55" not in str(state(client))
    journal = client.get("/__admin/requests", params={"vendor": "litmos", "limit": "5"})
    assert journal.status_code == 200 and "xml.pass@harbourline.example" in journal.text  # bodies are journaled
    assert NEW in journal.text and "s3cret-Pa55" not in journal.text


def test_the_backend_is_composed_of_parts_not_mixins() -> None:
    """LitmosBackend derives from Backend alone; its parts share its lock and clock, and every table
    a part holds is one of the backend's (so an export and an import reach it)."""
    assert LitmosBackend.__bases__ == (Backend,)
    backend = LitmosBackend(SEED, Clock(), 1, Limit.parse("100/60s"))
    tables = {id(table) for table in backend.tables.values()}
    parts = {name: part for name, part in vars(backend).items() if hasattr(part, "_shared")}
    assert {"users", "teams", "courses", "results", "learning_paths", "ilt", "user_imports"} <= set(parts)
    for name, part in parts.items():
        assert part._shared.lock is backend.lock and part._shared.clock is backend.clock, name
        held = [value for value in vars(part).values() if isinstance(value, Table)]
        assert held and all(id(table) in tables for table in held), name
    assert SEED["api_keys"]  # the seed the other tests read is there
