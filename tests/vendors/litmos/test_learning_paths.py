"""Learning paths, a user's paths and the 406 rules that tie paths to courses and teams (docs/litmos.md)."""

from __future__ import annotations


import pytest
from litmos_support import (
    ADMIN, OWNER, WCF_JSON, XSI, assert_same_in_both_formats, bad_seed_error, by_name, detail, get_json, is_bodiless,
    url, user_id, xml_of,
)

PATH_MEMBERS = ["Id", "Name", "Description", "Active", "OriginalId", "ForSale", "Price", "EcommerceShortDescription",
                "EcommerceLongDescription", "AccessTillDate", "AccessTillDays"]
USER_PATH_MEMBERS = ["Id", "Name", "Active", "OriginalId", "Complete", "PercentageComplete", "AssignedDate",
                     "StartDate", "DateCompleted", "ResultId", "AccessTillDate"]
PATH_COURSE_MEMBERS = ["Id", "Code", "Name", "Description", "Active", "ForSale", "OriginalId", "Price", "EquivalencyId",
                       "EquivalencyGroupName"]
XML = {**OWNER, "Content-Type": "application/xml"}
MSG_NULL = "The LearningPath Id can't be null. Check the body for the proper format."
MSG_NO_VALID = ("The userid does not exist or no valid learning paths were included in the request. Check the body "
                "for the proper format.")


@pytest.fixture
def client(litmos_client):
    return litmos_client


def path(client, name: str) -> dict:
    return by_name(client, "/learningpaths", "Name", name)


def course(client, code: str) -> dict:
    return by_name(client, "/courses", "Code", code)


def team(client, name: str) -> dict:
    return by_name(client, "/teams", "Name", name)


def xml_records(root) -> list[dict]:
    """Child elements as {tag: text}; nil elements as None."""
    return [{c.tag: None if c.get(f"{{{XSI}}}nil") == "true" else (c.text or "") for c in item} for item in root]


# -- the catalogue ------------------------------------------------------------------------------


def test_list_by_name_in_both_formats(client) -> None:
    paths = get_json(client, "/learningpaths")
    assert [p["Name"] for p in paths] == [
        "Allergen Champion", "Data and Conduct", "Data Protection Deep Dive", "Ethics Refresher",
        "Food Handler Pathway", "HACCP Refresher", "Supervisor Track (draft)", "Warehouse Operator"]
    assert list(paths[0]) == PATH_MEMBERS
    haccp = paths[5]
    assert (haccp["ForSale"], haccp["Price"], haccp["AccessTillDays"], haccp["AccessTillDate"]) == (True, 49.0, 365, None)
    assert paths[6]["Active"] is False
    raw = client.get(url("/learningpaths", format="json"), headers=OWNER).content
    assert b'"Price":49.00' in raw and b'"Price":0.00' in raw
    root = xml_of(client.get(url("/learningpaths"), headers=OWNER))
    assert root.tag == "LearningPaths" and root[0].tag == "LearningPath"
    records = xml_records(root)
    assert [list(r) for r in records] == [PATH_MEMBERS] * 8
    assert [(r["Id"], r["Name"], r["OriginalId"], r["Price"]) for r in records] == [
        (p["Id"], p["Name"], str(p["OriginalId"]), f"{p['Price']:.2f}") for p in paths]
    assert records[0]["AccessTillDate"] is None


def test_search_and_paging(client) -> None:
    assert [p["Name"] for p in get_json(client, "/learningpaths", search="DATA")] == [
        "Data and Conduct", "Data Protection Deep Dive"]
    assert [p["Name"] for p in get_json(client, "/learningpaths", start="2", limit="2")] == [
        "Data Protection Deep Dive", "Ethics Refresher"]
    assert get_json(client, "/learningpaths", start="8") == []
    empty = client.get(url("/learningpaths", start="8"), headers=OWNER)
    assert empty.content == f'<LearningPaths xmlns:i="{XSI}"/>'.encode()
    assert client.get(url("/learningpaths", limit="0"), headers=OWNER).status_code == 400


def test_get_one_and_404(client) -> None:
    warehouse = path(client, "Warehouse Operator")
    assert get_json(client, f"/learningpaths/{warehouse['Id']}") == warehouse
    root = xml_of(client.get(url(f"/learningpaths/{warehouse['Id']}"), headers=OWNER))
    assert root.tag == "LearningPath" and [c.tag for c in root] == PATH_MEMBERS
    message = "The learning path does not exist."
    for suffix in ("", "/courses", "/users"):
        assert detail(client.get(url(f"/learningpaths/nope{suffix}", format="json"), headers=OWNER)) == (
            404, message, message)
        assert detail(client.get(url(f"/learningpaths/nope{suffix}"), headers=OWNER))[:2] == (404, message)


def test_courses_of_a_path_in_path_order(client) -> None:
    food = path(client, "Food Handler Pathway")
    listed = get_json(client, f"/learningpaths/{food['Id']}/courses")
    assert [c["Code"] for c in listed] == ["FS101", "HACCP2"]
    assert list(listed[0]) == PATH_COURSE_MEMBERS
    assert (listed[1]["Price"], listed[1]["ForSale"], listed[1]["EquivalencyId"]) == (49.0, True, 0)
    assert listed[0]["Id"] == course(client, "FS101")["Id"]
    root = xml_of(client.get(url(f"/learningpaths/{food['Id']}/courses"), headers=OWNER))
    assert root.tag == "Courses" and [c.tag for c in root[0]] == PATH_COURSE_MEMBERS
    assert [r["Code"] for r in xml_records(root)] == ["FS101", "HACCP2"]
    assert [c["Code"] for c in get_json(client, f"/learningpaths/{food['Id']}/courses", search="haccp")] == ["HACCP2"]
    draft = path(client, "Supervisor Track (draft)")
    assert get_json(client, f"/learningpaths/{draft['Id']}/courses") == []


def test_users_of_a_path_with_progress(client) -> None:
    warehouse = path(client, "Warehouse Operator")
    users = get_json(client, f"/learningpaths/{warehouse['Id']}/users")
    assert [(u["FirstName"], u["Completed"], u["PercentageComplete"]) for u in users] == [
        ("Charlotte", True, 100.0), ("Grace", False, 66.67)]
    assert list(users[0]) == ["Id", "UserName", "FirstName", "LastName", "Completed", "PercentageComplete"]
    root = xml_of(client.get(url(f"/learningpaths/{warehouse['Id']}/users"), headers=OWNER))
    assert root.tag == "Users" and [(r["FirstName"], r["Completed"], r["PercentageComplete"])
                                    for r in xml_records(root)] == [("Charlotte", "true", "100.00"),
                                                                    ("Grace", "false", "66.67")]
    assert [u["FirstName"] for u in get_json(client, f"/learningpaths/{warehouse['Id']}/users", search="kim")] == [
        "Grace"]


def test_every_read_says_the_same_in_xml_and_json(client) -> None:
    """XML/JSON parity on one state, after a completion, a user and a team assignment changed it."""
    grace, chloe = user_id(client, "grace.kim@harbourline.example"), user_id(client, "chloe.martin@harbourline.example")
    food, contractors = path(client, "Food Handler Pathway"), team(client, "Contractors")["Id"]
    client.post(url(f"/users/{chloe}/learningpaths"), headers=OWNER, json=[{"Id": food["Id"]}])
    client.post(url(f"/teams/{contractors}/users"), headers=OWNER, json=[{"Id": grace}])
    for name in ("Food Handler Pathway", "Warehouse Operator", "Supervisor Track (draft)"):
        lp = path(client, name)["Id"]
        for suffix in ("", "/courses", "/users"):
            assert_same_in_both_formats(client, f"/learningpaths/{lp}{suffix}")
    assert len(assert_same_in_both_formats(client, "/learningpaths")) == 8
    for user in (grace, chloe, user_id(client, "amelia.hughes@harbourline.example")):
        assert assert_same_in_both_formats(client, f"/users/{user}/learningpaths")
    for suffix in ("courses", "learningpaths"):
        assert assert_same_in_both_formats(client, f"/teams/{contractors}/{suffix}")
    assert assert_same_in_both_formats(client, f"/teams/{team(client, 'Food Safety')['Id']}/courses")


# -- a user's paths -----------------------------------------------------------------------------


def test_user_paths_follow_their_courses(client) -> None:
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    listed = get_json(client, f"/users/{sofia}/learningpaths")
    assert [(p["Name"], p["Complete"], p["PercentageComplete"]) for p in listed] == [
        ("Ethics Refresher", False, 0.0), ("HACCP Refresher", False, 50.0)]
    assert list(listed[0]) == USER_PATH_MEMBERS
    assert listed[0]["StartDate"] is None and WCF_JSON.match(listed[1]["StartDate"])
    assert listed[1]["AssignedDate"] == "/Date(1769932800000+0000)/" and listed[1]["DateCompleted"] is None
    assert listed[0]["ResultId"].isdigit() and listed[0]["ResultId"] != listed[1]["ResultId"]
    amelia = user_id(client, "amelia.hughes@harbourline.example")
    done = get_json(client, f"/users/{amelia}/learningpaths")[0]
    fs = next(c for c in get_json(client, f"/users/{amelia}/courses") if c["Code"] == "FS101")
    assert (done["Name"], done["Complete"], done["PercentageComplete"]) == ("Allergen Champion", True, 100.0)
    assert done["DateCompleted"] == fs["DateCompleted"] and done["StartDate"] == fs["StartDate"]
    root = xml_of(client.get(url(f"/users/{sofia}/learningpaths"), headers=OWNER))
    assert root.tag == "LearningPaths" and [c.tag for c in root[0]] == USER_PATH_MEMBERS
    records = xml_records(root)
    assert records[1]["AssignedDate"] == "2026-02-01T08:00:00" and records[1]["PercentageComplete"] == "50.00"
    assert records[0]["StartDate"] is None and records[1]["DateCompleted"] is None
    assert [r["Id"] for r in records] == [p["Id"] for p in listed]
    assert [p["Name"] for p in get_json(client, f"/users/{sofia}/learningpaths", search="haccp")] == ["HACCP Refresher"]
    assert detail(client.get(url("/users/nope/learningpaths", format="json"), headers=OWNER))[:2] == (
        404, "User - nope was not found")


def test_completing_the_last_course_completes_the_path(client) -> None:
    grace, fork = user_id(client, "grace.kim@harbourline.example"), course(client, "FORK1")
    last = get_json(client, f"/courses/{fork['Id']}/modules")[2]["Id"]
    body = {"CourseId": fork["Id"], "UserId": grace, "Score": 90, "UpdatedAt": "/Date(1790000000000)/"}
    assert client.put(url(f"/results/modules/{last}"), headers=OWNER, json=body).status_code == 200
    done = get_json(client, f"/users/{grace}/learningpaths")[0]
    assert (done["Complete"], done["PercentageComplete"]) == (True, 100.0)
    assert done["DateCompleted"] == "/Date(1790000000000+0000)/"
    warehouse = path(client, "Warehouse Operator")
    assert all(u["Completed"] for u in get_json(client, f"/learningpaths/{warehouse['Id']}/users"))
    assert client.put(url(f"/users/{grace}/courses/{fork['Id']}/reset"), headers=OWNER).status_code == 200
    again = get_json(client, f"/users/{grace}/learningpaths")[0]
    assert (again["Complete"], again["PercentageComplete"], again["DateCompleted"]) == (False, 0.0, None)


def test_assign_in_both_formats_adds_the_missing_courses(client) -> None:
    chloe = user_id(client, "chloe.martin@harbourline.example")
    food, data = path(client, "Food Handler Pathway"), path(client, "Data Protection Deep Dive")
    response = client.post(url(f"/users/{chloe}/learningpaths"), headers=OWNER,
                           json=[{"Id": food["Id"]}, {"Id": "nope"}, {"Id": food["Id"]}])
    assert is_bodiless(response, 201)
    xml = f"<LearningPaths><LearningPath><Id>{data['Id']}</Id></LearningPath></LearningPaths>"
    assert is_bodiless(client.post(url(f"/users/{chloe}/learningpaths"), headers=XML, content=xml.encode()), 201)
    listed = get_json(client, f"/users/{chloe}/learningpaths")
    assert [(p["Name"], p["PercentageComplete"]) for p in listed] == [
        ("Data Protection Deep Dive", 0.0), ("Food Handler Pathway", 16.67)]  # FS101 at 33.33, HACCP2 new
    assert [c["Code"] for c in get_json(client, f"/users/{chloe}/courses")] == ["GDPR1", "FS101", "HACCP2"]
    fs = next(c for c in get_json(client, f"/users/{chloe}/courses") if c["Code"] == "FS101")
    assert fs["PercentageComplete"] == 33.33  # a course the user had keeps its result
    assert [u["FirstName"] for u in get_json(client, f"/learningpaths/{food['Id']}/users")] == ["Chloé"]
    root = xml_of(client.get(url(f"/users/{chloe}/learningpaths"), headers=OWNER))
    assert [r["Name"] for r in xml_records(root)] == [p["Name"] for p in listed]


@pytest.mark.parametrize(("body", "xml"), [
    ([{}], None), ([{"Id": None}], None), ([{"Id": ""}], None),
    (None, "<LearningPaths><LearningPath><LearningPathId>{id}</LearningPathId></LearningPath></LearningPaths>"),
])
def test_assign_item_without_id_is_400(client, body, xml) -> None:
    paul, food = user_id(client, "paul.smith@harbourline.example"), path(client, "Food Handler Pathway")
    if xml is None:
        response = client.post(url(f"/users/{paul}/learningpaths", format="json"), headers=OWNER,
                               json=[{"Id": food["Id"]}, *body])
    else:
        response = client.post(url(f"/users/{paul}/learningpaths"), headers=XML,
                               content=xml.format(id=food["Id"]).encode())
    assert detail(response) == (400, MSG_NULL, MSG_NULL)
    assert "Food Handler Pathway" not in [p["Name"] for p in get_json(client, f"/users/{paul}/learningpaths")]


def test_assign_404_and_malformed_bodies(client) -> None:
    paul, food = user_id(client, "paul.smith@harbourline.example"), path(client, "Food Handler Pathway")
    assert detail(client.post(url("/users/nope/learningpaths", format="json"), headers=OWNER,
                              json=[{"Id": food["Id"]}])) == (404, MSG_NO_VALID, MSG_NO_VALID)
    for body in ([], [{"Id": "nope"}]):
        response = client.post(url(f"/users/{paul}/learningpaths"), headers=OWNER, json=body)
        assert detail(response)[:2] == (404, MSG_NO_VALID)
    for bad in ({"Id": food["Id"]}, [{"Id": 5}], "x"):
        response = client.post(url(f"/users/{paul}/learningpaths", format="json"), headers=OWNER, json=bad)
        assert detail(response)[:2] == (400, "Please check the xml/json in the body of the request.")
    assert client.post(url(f"/users/{paul}/learningpaths"), headers=XML, content=b"<LearningPaths>").status_code == 400
    assert [p["Name"] for p in get_json(client, f"/users/{paul}/learningpaths")] == [
        "Data and Conduct", "Ethics Refresher"]


def test_remove_a_path_keeps_the_courses(client) -> None:
    sofia, haccp = user_id(client, "sofia.alvarez@harbourline.example"), path(client, "HACCP Refresher")
    assert is_bodiless(client.delete(url(f"/users/{sofia}/learningpaths/{haccp['Id']}"), headers=OWNER), 200)
    assert [p["Name"] for p in get_json(client, f"/users/{sofia}/learningpaths")] == ["Ethics Refresher"]
    assert "HACCP2" in [c["Code"] for c in get_json(client, f"/users/{sofia}/courses")]
    message = f"The Learning Path {haccp['Id']} does not exist."
    assert detail(client.delete(url(f"/users/{sofia}/learningpaths/{haccp['Id']}", format="json"),
                                headers=OWNER)) == (404, message, message)
    assert detail(client.delete(url(f"/users/nope/learningpaths/{haccp['Id']}"), headers=OWNER))[:2] == (
        404, "User - nope was not found")


def test_a_path_given_by_a_team_cannot_be_removed_from_the_user(client) -> None:
    contractors, food = team(client, "Contractors")["Id"], path(client, "Food Handler Pathway")
    paul = user_id(client, "paul.smith@harbourline.example")
    assert client.post(url(f"/teams/{contractors}/users"), headers=OWNER, json=[{"Id": paul}]).status_code == 201
    assert "Food Handler Pathway" in [p["Name"] for p in get_json(client, f"/users/{paul}/learningpaths")]
    message = (f"The Learning Path {food['Id']} can't be removed because it was assigned via a Team. Remove the user "
               "from the team or remove the learning path from the team.")
    for fmt in ("json", "xml"):
        response = client.delete(url(f"/users/{paul}/learningpaths/{food['Id']}", format=fmt), headers=OWNER)
        assert detail(response) == (406, message, message)
    assert client.delete(url(f"/teams/{contractors}/users/{paul}"), headers=OWNER).status_code == 200
    assert is_bodiless(client.delete(url(f"/users/{paul}/learningpaths/{food['Id']}"), headers=OWNER), 200)


def test_a_course_of_a_held_path_cannot_be_removed(client) -> None:
    paul, code = user_id(client, "paul.smith@harbourline.example"), course(client, "CODE1")
    message = (f"The course - {code['Id']} can't be removed from {paul} because it is part of a learning path. "
               "Remove the user from the learning path or remove the course from the learning path.")
    for fmt in ("json", "xml"):
        response = client.delete(url(f"/users/{paul}/courses/{code['Id']}", format=fmt), headers=OWNER)
        assert detail(response) == (406, message, message)
    assert "CODE1" in [c["Code"] for c in get_json(client, f"/users/{paul}/courses")]
    for name in ("Ethics Refresher", "Data and Conduct"):
        removed = client.delete(url(f"/users/{paul}/learningpaths/{path(client, name)['Id']}"), headers=OWNER)
        assert removed.status_code == 200
    assert is_bodiless(client.delete(url(f"/users/{paul}/courses/{code['Id']}"), headers=OWNER), 200)
    gdpr = course(client, "GDPR1")  # not in any path the user holds any more either
    assert client.delete(url(f"/users/{paul}/courses/{gdpr['Id']}"), headers=OWNER).status_code == 200


def test_deleting_a_user_drops_its_paths(client) -> None:
    charlotte, warehouse = user_id(client, "charlotte.davies@harbourline.example"), path(client, "Warehouse Operator")
    assert client.delete(url(f"/users/{charlotte}"), headers=OWNER).status_code == 200
    assert [u["FirstName"] for u in get_json(client, f"/learningpaths/{warehouse['Id']}/users")] == ["Grace"]


def test_access_levels_and_rate_limit(client) -> None:
    sofia, food = user_id(client, "sofia.alvarez@harbourline.example"), path(client, "Food Handler Pathway")
    assert client.get(url("/learningpaths"), headers=ADMIN).status_code == 200
    assert client.post(url(f"/users/{sofia}/learningpaths"), headers=ADMIN, json=[{"Id": food["Id"]}]).status_code == 201
    for key in ("litmos-learner-key", "litmos-teamleader-key"):
        assert detail(client.get(url("/learningpaths", format="json"), headers={"apikey": key}))[:2] == (
            403, "You do not have the proper permissions for this call.")
    assert client.get(url("/learningpaths"), headers={"apikey": "litmos-inactive-key"}).status_code == 401
    assert client.get(url("/learningpaths")).status_code == 401
    assert client.get("/v1.svc/learningpaths", headers=OWNER).status_code == 403  # no source
    # the owner key has made 3 requests (user_id, path, no source): 97 more fit in the minute
    statuses = [client.get(url("/learningpaths", limit="1"), headers=OWNER).status_code for _ in range(98)]
    assert statuses == [200] * 97 + [503]
    assert detail(client.get(url("/learningpaths", format="json"), headers=OWNER)) == (
        503, "Rating Limit Exceeded", "Rating Limit Exceeded")


@pytest.mark.parametrize(("collection", "record", "message"), [
    ("learning_paths", {"Name": "warehouse operator"}, "duplicates an earlier learning path"),
    ("learning_paths", {"Name": "Odd", "Courses": ["NOPE"]}, "no seeded course 'NOPE'"),
    ("learning_paths", {"Name": "Twice", "Courses": ["FS101", "fs101"]}, "a course is listed twice"),
    ("learning_path_assignments", {"LearningPath": "Nope", "UserName": "paul.smith@harbourline.example",
                                   "AssignedDate": "2026-01-01T00:00:00Z"}, "no seeded learning path 'Nope'"),
    ("learning_path_assignments", {"LearningPath": "Ethics Refresher", "TeamName": "Nobody",
                                   "AssignedDate": "2026-01-01T00:00:00Z"}, "no seeded team 'Nobody'"),
    ("learning_path_assignments", {"LearningPath": "Ethics Refresher", "UserName": "paul.smith@harbourline.example",
                                   "AssignedDate": "2026-01-01T00:00:00Z"}, "assigned twice"),
    ("learning_path_assignments", {"LearningPath": "Ethics Refresher", "AssignedDate": "2026-01-01T00:00:00Z"},
     "is not valid under any of the given schemas"),
    ("team_courses", {"TeamName": "Contractors", "CourseCode": "NOPE", "AssignedDate": "2026-01-01T00:00:00Z"},
     "no seeded course 'NOPE'"),
])
def test_bad_path_fixture_stops_startup(tmp_path, collection: str, record: dict, message: str) -> None:
    assert message in bad_seed_error(tmp_path, collection, record)


def test_state_export_and_import_carry_paths_and_team_assignments(client) -> None:
    chloe, food = user_id(client, "chloe.martin@harbourline.example"), path(client, "Food Handler Pathway")
    client.post(url(f"/users/{chloe}/learningpaths"), headers=OWNER, json=[{"Id": food["Id"]}])
    saved = client.get("/__admin/state/litmos?secrets=true").json()
    assert {"learning_paths", "path_courses", "path_users", "team_courses", "team_paths", "earned"} <= set(
        saved["tables"])
    assert client.post("/__admin/reset").status_code == 200
    assert get_json(client, f"/users/{chloe}/learningpaths") == []
    assert client.put("/__admin/state/litmos", json=saved).status_code == 200
    assert [p["Name"] for p in get_json(client, f"/users/{chloe}/learningpaths")] == ["Food Handler Pathway"]
    broken = {**saved, "tables": {**saved["tables"], "path_users": {"rows": [{"id": 1, "UserId": chloe}]}}}
    assert client.put("/__admin/state/litmos", json=broken).status_code >= 400
    assert [p["Name"] for p in get_json(client, f"/users/{chloe}/learningpaths")] == ["Food Handler Pathway"]
