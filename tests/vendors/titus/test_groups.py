"""Titus Connect groups and group memberships: rules, relations to enrolments and courses, bulk."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, state


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


def enrolled_user(client, courseid: int) -> int:
    return client.get(f"{BASE}/course_users?courseid={courseid}", headers=ADMIN).json()["course_users"][0]["id"]


def test_create_read_list_delete_group(client) -> None:
    created = client.post(f"{BASE}/group", json={"courseid": 12, "name": "Night shift", "idnumber": "NS", "enrolmentkey": "k"}, headers=ADMIN)
    assert created.status_code == 201
    group = created.json()
    assert "enrolmentkey" not in group and created.headers["location"].endswith(f"/group/{group['id']}")
    assert client.get(f"{BASE}/group/{group['id']}", headers=ADMIN).json() == group
    listed = client.get(f"{BASE}/groups?courseid=12&name=NIGHT SHIFT", headers=ADMIN).json()["groups"]
    assert [g["id"] for g in listed] == [group["id"]]
    assert client.delete(f"{BASE}/group/{group['id']}", headers=ADMIN).status_code == 204
    assert error(client.get(f"{BASE}/group/{group['id']}", headers=ADMIN)) == (404, "invalidrecord")


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"courseid": 2, "name": "NORTH SITE"}, (409, "groupnameexists")),
        ({"courseid": 2, "name": "New", "idnumber": "G2-N"}, (409, "groupidnumbertaken")),
        ({"courseid": 999, "name": "New"}, (404, "coursenotfound")),
        ({"courseid": 2}, (400, "invalidparameter")),
    ],
)
def test_group_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/group", body) == expected


def test_same_name_in_another_course_is_fine(client) -> None:
    assert client.post(f"{BASE}/group", json={"courseid": 13, "name": "North site", "idnumber": "G2-N"}, headers=ADMIN).status_code == 201


def test_membership_needs_an_enrolment(client) -> None:
    group = client.post(f"{BASE}/group", json={"courseid": 12, "name": "Night shift"}, headers=ADMIN).json()
    userid = enrolled_user(client, 12)
    added = client.post(f"{BASE}/group_membership", json={"groupid": group["id"], "userid": userid}, headers=ADMIN)
    assert added.status_code == 201 and added.json()["groupid"] == group["id"]
    assert error(client.post(f"{BASE}/group_membership", json={"groupid": group["id"], "userid": userid}, headers=ADMIN)) == (409, "membershipexists")
    users = client.get(f"{BASE}/course_users?courseid=12&perpage=500", headers=ADMIN).json()["course_users"]
    assert next(u for u in users if u["id"] == userid)["groups"] == [{"id": group["id"], "name": "Night shift"}]
    assert error(client.post(f"{BASE}/group_membership", json={"groupid": group["id"], "userid": 3}, headers=ADMIN)) == (400, "usernotenrolled")
    assert error(client.post(f"{BASE}/group_membership", json={"groupid": 999, "userid": userid}, headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.post(f"{BASE}/group_membership", json={"groupid": group["id"], "userid": 999}, headers=ADMIN)) == (404, "usernotfound")
    assert client.delete(f"{BASE}/group_membership/{group['id']}/{userid}", headers=ADMIN).status_code == 204
    assert error(client.delete(f"{BASE}/group_membership/{group['id']}/{userid}", headers=ADMIN)) == (404, "invalidrecord")


def test_unenrolment_user_deletion_and_course_deletion_remove_memberships(client) -> None:
    group = client.post(f"{BASE}/group", json={"courseid": 12, "name": "Night shift"}, headers=ADMIN).json()
    users = [u["id"] for u in client.get(f"{BASE}/course_users?courseid=12", headers=ADMIN).json()["course_users"][:2]]
    for userid in users:
        client.post(f"{BASE}/group_membership", json={"groupid": group["id"], "userid": userid}, headers=ADMIN)
    assert client.delete(f"{BASE}/course_enrolment/12/{users[0]}", headers=ADMIN).status_code == 204
    members = [m for m in state(client)["tables"]["group_members"]["rows"] if m["groupid"] == group["id"]]
    assert [m["userid"] for m in members] == [users[1]]
    assert client.delete(f"{BASE}/user/{users[1]}", headers=ADMIN).status_code == 204
    assert not [m for m in state(client)["tables"]["group_members"]["rows"] if m["groupid"] == group["id"]]
    assert client.delete(f"{BASE}/course/12", headers=ADMIN).status_code == 204
    assert error(client.get(f"{BASE}/group/{group['id']}", headers=ADMIN)) == (404, "invalidrecord")


def test_readonly_and_tenant_scope(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/group", json={"courseid": 12, "name": "x"}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.delete(f"{BASE}/group/1", headers=READONLY)) == (403, "nopermissions")
    # course 10 lives in a Globex (tenant 2) category; courses 2-9 are Acme's
    globex = client.get(f"{BASE}/groups?courseid=10", headers=ADMIN).json()["groups"][0]
    assert error(client.get(f"{BASE}/group/{globex['id']}", headers=TENANT_A)) == (403, "nopermissions")
    assert {g["courseid"] for g in client.get(f"{BASE}/groups?perpage=500", headers=TENANT_A).json()["groups"]} <= set(range(2, 10))
    assert state(client) == before


def test_bulk_groups_and_memberships(client) -> None:
    answer = client.post(f"{BASE}/groups", json={"groups": [{"courseid": 12, "name": "A"}, {"courseid": 12, "name": "a"}]}, headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [201, 409]
    gid = answer["results"][0]["id"]
    userid = enrolled_user(client, 12)
    members = client.post(f"{BASE}/group_memberships", json={"group_memberships": [{"groupid": gid, "userid": userid}, {"groupid": gid, "userid": 3}]}, headers=ADMIN).json()
    assert [r["status"] for r in members["results"]] == [201, 400]
    assert members["results"][0]["key"] == {"groupid": gid, "userid": userid}
    before = state(client)
    atomic = client.post(f"{BASE}/groups?atomic=true", json={"groups": [{"courseid": 12, "name": "B"}, {"courseid": 999, "name": "C"}]}, headers=ADMIN)
    assert error(atomic) == (404, "coursenotfound") and atomic.json()["index"] == 1
    assert state(client) == before
