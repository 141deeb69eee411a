"""Teams, sub-teams, members, leaders and admins (docs/litmos.md)."""

from __future__ import annotations


import pytest
from litmos_support import (
    ADMIN, OWNER, SEEDED_TEAMS, bad_seed_error, by_name, detail, get_json, is_bodiless, url, user_id, xml_of,
)

MSG_NO_TEAM = "No team with this teamId exists in your organization"
MSG_NOT_MEMBER = "The user is not a member of this team."
XML = {**OWNER, "Content-Type": "application/xml"}


@pytest.fixture
def client(litmos_client):
    return litmos_client


def team(client, name: str) -> dict:
    return by_name(client, "/teams", "Name", name)


def member_names(client, team_id: str) -> list[str]:
    return [u["UserName"] for u in get_json(client, f"/teams/{team_id}/users", limit="1000")]


# -- teams -------------------------------------------------------------------------------------


def test_list_is_by_name_with_summary_fields_in_order(client) -> None:
    teams = get_json(client, "/teams", limit="1000")
    assert len(teams) == SEEDED_TEAMS
    assert [t["Name"] for t in teams] == sorted((t["Name"] for t in teams), key=str.casefold)
    assert list(teams[0]) == ["Id", "Name", "TeamCodeForBulkImport", "ParentTeamId"]
    root = xml_of(client.get(url("/teams", limit="2"), headers=OWNER))
    assert root.tag == "Teams" and [c.tag for c in root[0]] == ["Id", "Name", "TeamCodeForBulkImport", "ParentTeamId"]
    assert [t.findtext("Id") for t in root] == [t["Id"] for t in teams[:2]]


def test_list_paging_and_search(client) -> None:
    assert [t["Name"] for t in get_json(client, "/teams", search="PLANT")] == ["Portland Plant", "Seattle Plant"]
    assert len(get_json(client, "/teams", start="10", limit="5")) == min(5, SEEDED_TEAMS - 10)
    assert get_json(client, "/teams", start="100") == []
    empty = client.get(url("/teams", start="100"), headers=OWNER)
    assert empty.content == b'<Teams xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>'


def test_get_team_full_in_both_formats(client) -> None:
    ops, top = team(client, "Operations"), team(client, "Harbourline Foods")
    full = get_json(client, f"/teams/{ops['Id']}")
    assert full == {"Id": ops["Id"], "Name": "Operations", "Description": "Plants, logistics and quality",
                    "ParentTeamId": top["Id"], "TeamCodeForBulkImport": ops["TeamCodeForBulkImport"]}
    assert full["TeamCodeForBulkImport"].endswith("-Operations")
    root = xml_of(client.get(url(f"/teams/{ops['Id']}"), headers=OWNER))
    assert [(c.tag, c.text or "") for c in root] == [(k, v) for k, v in full.items()]
    assert get_json(client, f"/teams/{top['Id']}")["ParentTeamId"] == ""
    assert b"<ParentTeamId/>" in client.get(url(f"/teams/{top['Id']}"), headers=OWNER).content


def test_unknown_team_is_404_everywhere(client) -> None:
    someone = user_id(client, "sofia.alvarez@harbourline.example")
    for method, path in (("get", "/teams/nope"), ("delete", "/teams/nope"), ("get", "/teams/nope/teams"),
                         ("get", "/teams/nope/users"), ("get", "/teams/nope/leaders"),
                         ("put", f"/teams/nope/admins/{someone}"), ("delete", f"/teams/nope/users/{someone}")):
        response = client.request(method, url(path, format="json"), headers=OWNER)
        assert detail(response) == (404, MSG_NO_TEAM, MSG_NO_TEAM), (method, path)


def test_create_returns_201_with_the_full_team(client) -> None:
    response = client.post(url("/teams", format="json"), headers=OWNER,
                           json={"Name": "Night Shift", "Description": "After 22:00"})
    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["Id", "Name", "Description", "ParentTeamId", "TeamCodeForBulkImport"]
    assert body["ParentTeamId"] == "" and body["TeamCodeForBulkImport"].endswith("-NightShift")
    assert len(body["Id"]) == 12 and body["Id"].endswith("1")
    assert get_json(client, f"/teams/{body['Id']}") == body
    assert len(get_json(client, "/teams", limit="1000")) == SEEDED_TEAMS + 1


def test_create_from_xml_under_a_parent(client) -> None:
    parent = team(client, "Logistics")["Id"]
    xml = f"<Team><Id/><Name>Fleet</Name><Description/><ParentTeamId>{parent}</ParentTeamId></Team>"
    response = client.post(url("/teams"), headers=XML, content=xml.encode())
    assert response.status_code == 201
    root = xml_of(response)
    assert root.tag == "Team" and root.findtext("ParentTeamId") == parent
    assert "Fleet" in [t["Name"] for t in get_json(client, f"/teams/{parent}/teams")]


def test_duplicate_name_is_409_in_any_case_and_changes_nothing(client) -> None:
    for payload in ({"Name": "operations"}, {"Name": "Night"}):
        client.post(url("/teams"), headers=OWNER, json=payload)
    before = get_json(client, "/teams", limit="1000")
    response = client.post(url("/teams", format="json"), headers=OWNER, json={"Name": "NIGHT"})
    assert detail(response) == (409, "Team name already exists", "Team name already exists")
    assert get_json(client, "/teams", limit="1000") == before


def test_create_with_unknown_parent_is_404_and_bad_bodies_400(client) -> None:
    response = client.post(url("/teams", format="json"), headers=OWNER, json={"Name": "X1", "ParentTeamId": "nope"})
    assert detail(response)[:2] == (404, MSG_NO_TEAM)
    for bad in ({}, {"Name": ""}, {"Name": "x" * 101}, {"Name": 5}, []):
        response = client.post(url("/teams", format="json"), headers=OWNER, json=bad)
        assert detail(response)[:2] == (400, "Please check the xml/json in the body of the request.")
    assert client.post(url("/teams"), headers=XML, content=b"<Users/>").status_code == 400
    assert len(get_json(client, "/teams", limit="1000")) == SEEDED_TEAMS


def test_sub_team_create_takes_the_url_parent(client) -> None:
    parent, other = team(client, "Marketing")["Id"], team(client, "Logistics")["Id"]
    response = client.post(url(f"/teams/{parent}/teams", format="json"), headers=OWNER,
                           json={"Name": "Brand", "ParentTeamId": other})
    assert response.status_code == 201 and response.json()["ParentTeamId"] == parent
    assert [t["Name"] for t in get_json(client, f"/teams/{parent}/teams")] == ["Brand"]
    assert client.post(url("/teams/nope/teams"), headers=OWNER, json={"Name": "Z9"}).status_code == 404


def test_update_is_partial_and_checks_id_name_and_parent(client) -> None:
    ops, seattle = team(client, "Operations")["Id"], team(client, "Seattle Plant")["Id"]
    response = client.put(url(f"/teams/{seattle}"), headers=OWNER, json={"Id": seattle, "Description": "Line 1"})
    assert is_bodiless(response, 200)
    after = get_json(client, f"/teams/{seattle}")
    assert after["Description"] == "Line 1" and after["Name"] == "Seattle Plant" and after["ParentTeamId"] == ops
    assert detail(client.put(url(f"/teams/{seattle}", format="json"), headers=OWNER,
                             json={"Id": ops, "Name": "X"}))[:2] == (404, MSG_NO_TEAM)
    assert detail(client.put(url(f"/teams/{seattle}", format="json"), headers=OWNER,
                             json={"Id": seattle, "Name": "operations"}))[:2] == (409, "Team name already exists")
    cycle = client.put(url(f"/teams/{ops}", format="json"), headers=OWNER, json={"Id": ops, "ParentTeamId": seattle})
    assert detail(cycle)[:2] == (409, "A team cannot be moved under itself or one of its sub-teams.")
    assert get_json(client, f"/teams/{seattle}") == after
    moved = client.put(url(f"/teams/{seattle}"), headers=OWNER, json={"Id": seattle, "ParentTeamId": ""})
    assert moved.status_code == 200 and get_json(client, f"/teams/{seattle}")["ParentTeamId"] == ""
    renamed = client.put(url(f"/teams/{seattle}"), headers=OWNER, json={"Id": seattle, "Name": "Seattle Line"})
    assert renamed.status_code == 200
    assert get_json(client, f"/teams/{seattle}")["TeamCodeForBulkImport"].endswith("-SeattleLine")


def test_delete_moves_sub_teams_up_and_drops_memberships(client) -> None:
    top, ops = team(client, "Harbourline Foods")["Id"], team(client, "Operations")["Id"]
    daniel = user_id(client, "daniel.kowalski@harbourline.example")
    assert is_bodiless(client.delete(url(f"/teams/{ops}"), headers=OWNER), 200)
    assert client.get(url(f"/teams/{ops}"), headers=OWNER).status_code == 404
    assert {t["Name"] for t in get_json(client, f"/teams/{top}/teams")} >= {"Seattle Plant", "Logistics"}
    assert get_json(client, f"/users/{daniel}/teams") == []


def test_team_access_levels(client) -> None:
    """The team list is for Account Owners; Administrators read, create and delete teams (x-access-levels)."""
    ops = team(client, "Operations")["Id"]
    assert client.get(url("/teams"), headers=ADMIN).status_code == 403
    assert client.get(url(f"/teams/{ops}"), headers=ADMIN).status_code == 200
    assert client.post(url("/teams"), headers=ADMIN, json={"Name": "Admins Made This"}).status_code == 201
    assert client.delete(url(f"/teams/{ops}"), headers=ADMIN).status_code == 200
    assert client.get(url("/teams"), headers={"apikey": "litmos-learner-key"}).status_code == 403


# -- members -----------------------------------------------------------------------------------


def test_members_are_active_users_only(client) -> None:
    ops = team(client, "Operations")["Id"]
    names = member_names(client, ops)
    assert "ethan.walker@harbourline.example" not in names  # seeded member, deactivated
    assert names == ["daniel.kowalski@harbourline.example", "liam.oconnor@harbourline.example",
                     "noah.fischer@harbourline.example"]
    root = xml_of(client.get(url(f"/teams/{ops}/users"), headers=OWNER))
    assert root.tag == "Users" and [c.tag for c in root[0]] == ["Id", "UserName", "FirstName", "LastName", "Active",
                                                               "Email", "AccessLevel", "Brand"]


def test_add_members_ignores_unknown_and_existing_ids(client) -> None:
    contractors = team(client, "Contractors")["Id"]
    paul, grace = user_id(client, "paul.smith@harbourline.example"), user_id(client, "grace.kim@harbourline.example")
    response = client.post(url(f"/teams/{contractors}/users"), headers=OWNER,
                           json=[{"Id": paul, "UserName": "ignored"}, {"Id": "nope"}, {"Id": paul}])
    assert is_bodiless(response, 201)
    xml = f"<Users><User><Id>{grace}</Id><UserName/><FirstName/><LastName/></User><User><Id>{paul}</Id></User></Users>"
    assert is_bodiless(client.post(url(f"/teams/{contractors}/users"), headers=XML, content=xml.encode()), 201)
    assert member_names(client, contractors) == ["grace.kim@harbourline.example", "paul.smith@harbourline.example"]
    assert [t["Name"] for t in get_json(client, f"/users/{paul}/teams")] == ["Contractors", "New Starters 2026"]


def test_add_members_bad_body_is_400_and_changes_nothing(client) -> None:
    contractors = team(client, "Contractors")["Id"]
    for bad in ({"Id": "x"}, [{"Id": 5}], "x"):
        response = client.post(url(f"/teams/{contractors}/users", format="json"), headers=OWNER, json=bad)
        assert response.status_code == 400
    assert member_names(client, contractors) == []


def test_remove_member_one_at_a_time(client) -> None:
    ops = team(client, "Operations")["Id"]
    liam, paul = user_id(client, "liam.oconnor@harbourline.example"), user_id(client, "paul.smith@harbourline.example")
    assert is_bodiless(client.delete(url(f"/teams/{ops}/users/{liam}"), headers=OWNER), 200)
    assert "liam.oconnor@harbourline.example" not in member_names(client, ops)
    assert detail(client.delete(url(f"/teams/{ops}/users/{paul}", format="json"), headers=OWNER))[:2] == (
        404, MSG_NOT_MEMBER)
    assert client.delete(url(f"/teams/{ops}/users/nope"), headers=OWNER).status_code == 404


def test_remove_user_from_all_teams(client) -> None:
    paul = user_id(client, "paul.smith@harbourline.example")
    client.post(url(f"/teams/{team(client, 'Contractors')['Id']}/users"), headers=OWNER, json=[{"Id": paul}])
    assert len(get_json(client, f"/users/{paul}/teams")) == 2
    assert is_bodiless(client.delete(url(f"/users/{paul}/teams"), headers=OWNER), 200)
    assert get_json(client, f"/users/{paul}/teams") == []
    assert client.delete(url("/users/nope/teams"), headers=OWNER).status_code == 404
    assert client.get(url("/users/nope/teams"), headers=OWNER).status_code == 404


def test_deleting_a_user_drops_its_memberships(client) -> None:
    ops = team(client, "Operations")["Id"]
    liam = user_id(client, "liam.oconnor@harbourline.example")
    assert client.delete(url(f"/users/{liam}"), headers=OWNER).status_code == 200
    assert "liam.oconnor@harbourline.example" not in member_names(client, ops)


# -- leaders and admins ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leaders", "admins"])
def test_promote_and_demote_members(client, role: str) -> None:
    logistics = team(client, "Logistics")["Id"]
    ben = user_id(client, "benjamin.clarke@harbourline.example")
    assert get_json(client, f"/teams/{logistics}/{role}") == []
    assert is_bodiless(client.put(url(f"/teams/{logistics}/{role}/{ben}"), headers=OWNER), 200)
    people = get_json(client, f"/teams/{logistics}/{role}")
    assert people == [{"Id": ben, "UserName": "benjamin.clarke@harbourline.example", "FirstName": "Benjamin",
                       "LastName": "Clarke"}]
    root = xml_of(client.get(url(f"/teams/{logistics}/{role}"), headers=OWNER))
    assert root.tag == "Users" and [c.tag for c in root[0]] == ["Id", "UserName", "FirstName", "LastName"]
    assert is_bodiless(client.delete(url(f"/teams/{logistics}/{role}/{ben}"), headers=OWNER), 200)
    assert get_json(client, f"/teams/{logistics}/{role}") == []
    assert "benjamin.clarke@harbourline.example" in member_names(client, logistics)


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("role", ["leaders", "admins"])
def test_non_member_promote_or_demote_is_404(client, role: str, method: str) -> None:
    logistics = team(client, "Logistics")["Id"]
    paul = user_id(client, "paul.smith@harbourline.example")
    response = client.request(method, url(f"/teams/{logistics}/{role}/{paul}", format="json"), headers=OWNER)
    assert detail(response) == (404, MSG_NOT_MEMBER, MSG_NOT_MEMBER)
    assert get_json(client, f"/teams/{logistics}/{role}") == []


def test_seeded_roles(client) -> None:
    food = team(client, "Food Safety")["Id"]
    assert [p["FirstName"] for p in get_json(client, f"/teams/{food}/leaders")] == ["Mia"]
    assert [p["FirstName"] for p in get_json(client, f"/teams/{food}/admins")] == ["Mia"]


def test_removing_a_member_drops_its_roles(client) -> None:
    food = team(client, "Food Safety")["Id"]
    mia = user_id(client, "mia.johansson@harbourline.example")
    client.delete(url(f"/teams/{food}/users/{mia}"), headers=OWNER)
    client.post(url(f"/teams/{food}/users"), headers=OWNER, json=[{"Id": mia}])
    assert get_json(client, f"/teams/{food}/leaders") == [] and get_json(client, f"/teams/{food}/admins") == []


# -- XML bodies, routes, fixtures --------------------------------------------------------------


def test_xml_lists_hold_only_their_items_and_objects_no_text(client) -> None:
    contractors = team(client, "Contractors")["Id"]
    paul = user_id(client, "paul.smith@harbourline.example")
    for xml in (f"<Users><Team><Id>{paul}</Id></Team></Users>", "<Users>false</Users>",
                f"<Users><User>[null]</User><User><Id>{paul}</Id></User></Users>",
                f'<Users xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><User i:nil="true"/><User><Id>{paul}</Id></User></Users>'):
        response = client.post(url(f"/teams/{contractors}/users"), headers=XML, content=xml.encode())
        assert detail(response)[:2] == (400, "Please check the xml/json in the body of the request."), xml
    assert member_names(client, contractors) == []
    nil_name = '<Team xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Name i:nil="true"/></Team>'
    assert client.post(url("/teams"), headers=XML, content=nil_name.encode()).status_code == 400


def test_literal_paths_own_their_methods(client) -> None:
    for method, path in (("put", "/users/details"), ("delete", "/users/paginated"), ("options", "/users/details")):
        response = client.request(method, url(path), headers=OWNER)
        assert detail(response)[:2] == (405, "Method not allowed.") and response.headers["allow"] == "GET"
    assert client.patch(url("/teams/x/leaders/y"), headers=OWNER).headers["allow"] == "PUT, DELETE"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("ParentName", "Nowhere", "'Nowhere' is not an earlier team"),
    ("Members", ["nobody@harbourline.example"], "no seeded user 'nobody@harbourline.example'"),
    ("Leaders", ["paul.smith@harbourline.example"], "'paul.smith@harbourline.example' is not a member"),
])
def test_bad_team_fixture_stops_startup(tmp_path, field: str, value, message: str) -> None:
    text = bad_seed_error(tmp_path, "teams", {"Name": "Broken", field: value})
    assert field in text and message in text
