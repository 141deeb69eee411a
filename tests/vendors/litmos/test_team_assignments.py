"""Courses and learning paths assigned to teams, and how they reach the members (docs/litmos.md)."""

from __future__ import annotations

import pytest
from litmos_support import ADMIN, OWNER, by_name, detail, get_json, is_bodiless, url, user_id, xml_of

TEAM_COURSE_MEMBERS = ["Id", "Code", "Name", "Active", "ForSale", "OriginalId", "Description",
                       "EcommerceShortDescription", "EcommerceLongDescription", "CourseCodeForBulkImport", "Price",
                       "AccessTillDate", "AccessTillDays", "CourseTeamLibrary"]
XML = {**OWNER, "Content-Type": "text/xml"}
MSG_NO_TEAM = "No team with this teamId exists in your organization"
MSG_NO_COURSES = "No team with this teamId exists in your organization, or you did not send any courses in your request"
MSG_NO_PATHS = ("No team with this teamId exists in your organization, or you did not send any learning paths in "
                "your request")
MSG_VIA_PATH = "Course is assigned via Learning Path. Remove the team from the Learning Path to unassign from team"


@pytest.fixture
def client(litmos_client):
    return litmos_client


def team(client, name: str) -> str:
    return by_name(client, "/teams", "Name", name)["Id"]


def course(client, code: str) -> str:
    return by_name(client, "/courses", "Code", code)["Id"]


def path(client, name: str) -> str:
    return by_name(client, "/learningpaths", "Name", name)["Id"]


def codes(client, user: str) -> list[str]:
    return [c["Code"] for c in get_json(client, f"/users/{user}/courses")]


# -- team courses -------------------------------------------------------------------------------


def test_seeded_team_courses_in_both_formats(client) -> None:
    contractors, food = team(client, "Contractors"), team(client, "Food Safety")
    listed = get_json(client, f"/teams/{contractors}/courses")
    assert [(c["Code"], c["CourseTeamLibrary"]) for c in listed] == [("CODE1", False)]
    assert list(listed[0]) == TEAM_COURSE_MEMBERS
    assert [(c["Code"], c["CourseTeamLibrary"]) for c in get_json(client, f"/teams/{food}/courses")] == [
        ("HACCP2", True)]
    root = xml_of(client.get(url(f"/teams/{food}/courses"), headers=OWNER))
    assert root.tag == "Courses" and [c.tag for c in root[0]] == TEAM_COURSE_MEMBERS
    assert (root[0].findtext("Code"), root[0].findtext("CourseTeamLibrary"), root[0].findtext("Price")) == (
        "HACCP2", "true", "49.00")
    assert get_json(client, f"/teams/{team(client, 'Marketing')}/courses") == []
    assert detail(client.get(url("/teams/nope/courses", format="json"), headers=OWNER)) == (
        404, MSG_NO_TEAM, MSG_NO_TEAM)


def test_assign_reaches_members_but_not_from_the_library(client) -> None:
    marketing = team(client, "Marketing")
    alexander = user_id(client, "alexander.novak@harbourline.example")
    fork, gdpr = course(client, "FORK1"), course(client, "GDPR1")
    response = client.post(url(f"/teams/{marketing}/courses"), headers=OWNER,
                           json=[{"Id": fork, "CourseTeamLibrary": False}, {"Id": "nope"},
                                 {"Id": gdpr, "CourseTeamLibrary": True}])
    assert is_bodiless(response, 201)
    assert [(c["Code"], c["CourseTeamLibrary"]) for c in get_json(client, f"/teams/{marketing}/courses")] == [
        ("GDPR1", True), ("FORK1", False)]
    assert codes(client, alexander) == ["FORK1"]
    xml = f"<Courses><Course><Id>{gdpr}</Id><CourseTeamLibrary>false</CourseTeamLibrary></Course></Courses>"
    assert is_bodiless(client.post(url(f"/teams/{marketing}/courses"), headers=XML, content=xml.encode()), 201)
    assert codes(client, alexander) == ["GDPR1", "FORK1"]
    assert len(get_json(client, f"/teams/{marketing}/courses")) == 3  # one course, both libraries


def test_include_sub_teams(client) -> None:
    commercial, key_accounts = team(client, "Commercial"), team(client, "Key Accounts")
    henry = user_id(client, "henry.wilson@harbourline.example")
    code = course(client, "CODE1")
    assert client.post(url(f"/teams/{commercial}/courses", includesubteams="true"), headers=OWNER,
                       json=[{"Id": code}]).status_code == 201
    assert [c["Code"] for c in get_json(client, f"/teams/{key_accounts}/courses")] == ["CODE1"]
    assert codes(client, henry) == ["CODE1"]
    fork = course(client, "FORK1")
    assert client.post(url(f"/teams/{commercial}/courses"), headers=OWNER, json=[{"Id": fork}]).status_code == 201
    assert [c["Code"] for c in get_json(client, f"/teams/{key_accounts}/courses")] == ["CODE1"]


def test_new_members_receive_team_courses_and_paths(client) -> None:
    contractors = team(client, "Contractors")
    grace = user_id(client, "grace.kim@harbourline.example")
    assert client.post(url(f"/teams/{contractors}/users"), headers=OWNER, json=[{"Id": grace}]).status_code == 201
    assert codes(client, grace) == ["CODE1", "FS101", "FORK1", "HACCP2"]
    assert [p["Name"] for p in get_json(client, f"/users/{grace}/learningpaths")] == [
        "Food Handler Pathway", "Warehouse Operator"]


def test_remove_team_courses_one_library_at_a_time(client) -> None:
    marketing = team(client, "Marketing")
    alexander, gdpr = user_id(client, "alexander.novak@harbourline.example"), course(client, "GDPR1")
    client.post(url(f"/teams/{marketing}/courses"), headers=OWNER,
                json=[{"Id": gdpr}, {"Id": gdpr, "CourseTeamLibrary": True}])
    assert is_bodiless(client.request("DELETE", url(f"/teams/{marketing}/courses"), headers=OWNER,
                                      json=[{"Id": gdpr, "CourseTeamLibrary": True}, {"Id": "nope"}]), 200)
    assert [(c["Code"], c["CourseTeamLibrary"]) for c in get_json(client, f"/teams/{marketing}/courses")] == [
        ("GDPR1", False)]
    xml = f"<Courses><Course><Id>{gdpr}</Id></Course></Courses>"
    assert is_bodiless(client.request("DELETE", url(f"/teams/{marketing}/courses"), headers=XML,
                                      content=xml.encode()), 200)
    assert get_json(client, f"/teams/{marketing}/courses") == []
    assert codes(client, alexander) == ["GDPR1"]  # members keep what they got
    assert client.request("DELETE", url("/teams/nope/courses"), headers=OWNER, json=[]).status_code == 404


def test_a_course_a_team_path_brings_cannot_leave_the_team(client) -> None:
    contractors, fs, code = team(client, "Contractors"), course(client, "FS101"), course(client, "CODE1")
    response = client.request("DELETE", url(f"/teams/{contractors}/courses", format="json"), headers=OWNER,
                              json=[{"Id": code}, {"Id": fs}])
    assert detail(response) == (403, MSG_VIA_PATH, MSG_VIA_PATH)
    assert [c["Code"] for c in get_json(client, f"/teams/{contractors}/courses")] == ["CODE1"]  # nothing changed


def test_team_course_bodies_and_access(client) -> None:
    marketing = team(client, "Marketing")
    for bad in ({"Id": "x"}, [{"Id": 5}], [{"Id": "x", "CourseTeamLibrary": "yes"}], [{"CourseTeamLibrary": True}]):
        response = client.post(url(f"/teams/{marketing}/courses", format="json"), headers=OWNER, json=bad)
        assert detail(response)[:2] == (400, "Please check the xml/json in the body of the request.")
    assert client.post(url(f"/teams/{marketing}/courses"), headers={**OWNER, "Content-Type": "text/plain"},
                       content=b"x").status_code == 415
    assert client.post(url("/teams/nope/courses"), headers=OWNER, json=[]).status_code == 404
    assert client.post(url(f"/teams/{marketing}/courses"), headers=ADMIN, json=[]).status_code == 403
    assert client.get(url(f"/teams/{marketing}/courses"), headers=ADMIN).status_code == 403
    assert get_json(client, f"/teams/{marketing}/courses") == []


# -- team learning paths ------------------------------------------------------------------------


def test_team_paths_list_assign_remove(client) -> None:
    contractors, marketing = team(client, "Contractors"), team(client, "Marketing")
    assert [p["Name"] for p in get_json(client, f"/teams/{contractors}/learningpaths")] == ["Food Handler Pathway"]
    root = xml_of(client.get(url(f"/teams/{contractors}/learningpaths"), headers=OWNER))
    assert root.tag == "LearningPaths" and root[0].findtext("Name") == "Food Handler Pathway"
    samuel = user_id(client, "samuel.adeyemi@harbourline.example")
    data, ethics = path(client, "Data and Conduct"), path(client, "Ethics Refresher")
    assert is_bodiless(client.post(url(f"/teams/{marketing}/learningpaths"), headers=OWNER,
                                   json=[{"Id": data}, {"Id": "nope"}]), 201)
    xml = f"<LearningPaths><LearningPath><Id>{ethics}</Id></LearningPath></LearningPaths>"
    assert is_bodiless(client.post(url(f"/teams/{marketing}/learningpaths"), headers=XML, content=xml.encode()), 201)
    assert [p["Name"] for p in get_json(client, f"/teams/{marketing}/learningpaths")] == [
        "Data and Conduct", "Ethics Refresher"]
    assert [p["Name"] for p in get_json(client, f"/users/{samuel}/learningpaths")] == [
        "Data and Conduct", "Ethics Refresher"]
    assert codes(client, samuel) == ["CODE1", "GDPR1"]
    assert client.delete(url(f"/users/{samuel}/learningpaths/{data}"), headers=OWNER).status_code == 406
    assert is_bodiless(client.request("DELETE", url(f"/teams/{marketing}/learningpaths"), headers=OWNER,
                                      json=[{"Id": data}]), 200)
    assert [p["Name"] for p in get_json(client, f"/teams/{marketing}/learningpaths")] == ["Ethics Refresher"]
    assert is_bodiless(client.delete(url(f"/users/{samuel}/learningpaths/{data}"), headers=OWNER), 200)
    for method in ("GET", "POST", "DELETE"):
        response = client.request(method, url("/teams/nope/learningpaths", format="json"), headers=OWNER, json=[])
        assert detail(response)[:2] == (404, MSG_NO_TEAM)


def test_deleting_a_team_drops_its_assignments(client) -> None:
    contractors = team(client, "Contractors")
    assert client.delete(url(f"/teams/{contractors}"), headers=OWNER).status_code == 200
    food = path(client, "Food Handler Pathway")
    grace = user_id(client, "grace.kim@harbourline.example")
    assert client.post(url(f"/users/{grace}/learningpaths"), headers=OWNER, json=[{"Id": food}]).status_code == 201
    assert client.delete(url(f"/users/{grace}/learningpaths/{food}"), headers=OWNER).status_code == 200


def test_a_body_naming_nothing_known_is_404_and_changes_nothing(client) -> None:
    marketing = team(client, "Marketing")
    for method in ("POST", "DELETE"):
        for body in ([], [{"Id": "AAAAAAAAAAA1", "CourseTeamLibrary": False}]):
            response = client.request(method, url(f"/teams/{marketing}/courses", format="json"), headers=OWNER,
                                      json=body)
            assert detail(response) == (404, MSG_NO_COURSES, MSG_NO_COURSES)
        for body in ([], [{"Id": "AAAAAAAAAAA1"}]):
            response = client.request(method, url(f"/teams/{marketing}/learningpaths"), headers=OWNER, json=body)
            assert detail(response)[:2] == (404, MSG_NO_PATHS)
    assert get_json(client, f"/teams/{marketing}/courses") == []
    assert get_json(client, f"/teams/{marketing}/learningpaths") == []
    null = "The LearningPath Id can't be null. Check the body for the proper format."
    response = client.post(url(f"/teams/{marketing}/learningpaths", format="json"), headers=OWNER, json=[{"Id": None}])
    assert detail(response) == (400, null, null)
