"""Titus Connect course enrolments, course users and roles: upsert, suspension, unenrolment, relations."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, state


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


def course_user_ids(client, courseid: int) -> list[int]:
    return [u["id"] for u in client.get(f"{BASE}/course_users?courseid={courseid}&perpage=500", headers=ADMIN).json()["course_users"]]


def test_roles_are_seeded_reference_data(client) -> None:
    roles = client.get(f"{BASE}/roles", headers=READONLY).json()
    assert [r["shortname"] for r in roles["roles"]][:5] == ["manager", "coursecreator", "editingteacher", "teacher", "student"]
    assert client.get(f"{BASE}/role/5", headers=ADMIN).json()["archetype"] == "student"
    assert client.get(f"{BASE}/roles?archetype=teacher", headers=ADMIN).json()["batch"]["totalitems"] == 1
    assert error(client.get(f"{BASE}/role/99", headers=ADMIN)) == (404, "invalidrecord")


def test_enrol_is_an_upsert(client) -> None:
    assert 6 not in course_user_ids(client, 17)
    created = client.post(f"{BASE}/course_enrolment", json={"courseid": 17, "userid": 6}, headers=ADMIN)
    assert created.status_code == 201
    enrolment = created.json()
    assert enrolment["roleid"] == 5 and enrolment["status"] == "active" and enrolment["enrol"] == "manual"
    again = client.post(f"{BASE}/course_enrolment", json={"courseid": 17, "userid": 6, "roleid": 4, "suspend": True}, headers=ADMIN)
    assert again.status_code == 200
    assert again.json()["roleid"] == 4 and again.json()["status"] == "suspended"
    listed = client.get(f"{BASE}/course_users?courseid=17&status=suspended&perpage=500", headers=ADMIN).json()["course_users"]
    row = next(u for u in listed if u["id"] == 6)
    assert row["username"] == "jacob.roberts" and row["roles"][0]["shortname"] == "teacher"


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"courseid": 999, "userid": 6}, (404, "coursenotfound")),
        ({"courseid": 17, "userid": 999}, (404, "usernotfound")),
        ({"courseid": 17, "userid": 6, "roleid": 6}, (403, "wsusercannotassign")),
        ({"courseid": 17, "userid": 6, "roleid": 99}, (403, "wsusercannotassign")),
        ({"courseid": 17, "userid": 6, "timestart": 100, "timeend": 100}, (400, "invalidparameter")),
        ({"courseid": 17}, (400, "missingreference")),
        ({"courseid": "17", "userid": 6}, (400, "invalidparameter")),
    ],
)
def test_enrol_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/course_enrolment", body) == expected


def test_suspension_and_unenrolment(client) -> None:
    client.post(f"{BASE}/course_enrolment", json={"courseid": 17, "userid": 6}, headers=ADMIN)
    suspended = client.post(f"{BASE}/course_enrolment_suspension", json={"courseid": 17, "userid": 6, "suspended": True}, headers=ADMIN)
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    active = client.post(f"{BASE}/course_enrolment_suspension", json={"courseid": 17, "userid": 6, "suspended": False}, headers=ADMIN)
    assert active.json()["status"] == "active"
    assert client.delete(f"{BASE}/course_enrolment/17/6", headers=ADMIN).status_code == 204
    assert 6 not in course_user_ids(client, 17)
    assert error(client.delete(f"{BASE}/course_enrolment/17/6", headers=ADMIN)) == (404, "notenrolled")
    missing = client.post(f"{BASE}/course_enrolment_suspension", json={"courseid": 17, "userid": 6, "suspended": True}, headers=ADMIN)
    assert error(missing) == (404, "notenrolled")
    assert error(client.delete(f"{BASE}/course_enrolment/999/6", headers=ADMIN)) == (404, "coursenotfound")


def test_course_users_needs_a_known_course(client) -> None:
    assert error(client.get(f"{BASE}/course_users", headers=ADMIN)) == (400, "invalidparameter")
    assert error(client.get(f"{BASE}/course_users?courseid=999", headers=ADMIN)) == (404, "coursenotfound")
    page = client.get(f"{BASE}/course_users?courseid=15&perpage=2", headers=ADMIN).json()
    assert page["batch"]["perpage"] == 2 and len(page["course_users"]) <= 2


def test_deleting_a_user_or_course_removes_their_enrolments(client) -> None:
    client.post(f"{BASE}/course_enrolment", json={"courseid": 17, "userid": 6}, headers=ADMIN)
    assert client.delete(f"{BASE}/user/6", headers=ADMIN).status_code == 204
    assert 6 not in course_user_ids(client, 17)
    assert error(client.post(f"{BASE}/course_enrolment_suspension", json={"courseid": 17, "userid": 6, "suspended": True}, headers=ADMIN)) == (404, "usernotfound")
    enrolled = course_user_ids(client, 15)
    assert enrolled
    assert client.delete(f"{BASE}/course/15", headers=ADMIN).status_code == 204
    remaining = state(client)["tables"]["enrolments"]["rows"]
    assert not [row for row in remaining if row["courseid"] == 15]


def test_readonly_and_tenant_scope(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/course_enrolment", json={"courseid": 17, "userid": 6}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.delete(f"{BASE}/course_enrolment/17/5", headers=READONLY)) == (403, "nopermissions")
    # user 6 is in tenant 2; course 9 (Acme) in tenant 1
    assert error(client.post(f"{BASE}/course_enrolment", json={"courseid": 9, "userid": 6}, headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.get(f"{BASE}/course_users?courseid=12", headers=TENANT_A)) == (403, "nopermissions")
    assert state(client) == before
    assert client.post(f"{BASE}/course_enrolment", json={"courseid": 9, "userid": 5}, headers=TENANT_A).status_code in (200, 201)


def test_bulk_enrolments_per_item_and_atomic(client) -> None:
    items = [{"courseid": 17, "userid": 6}, {"courseid": 17, "userid": 6, "roleid": 4}, {"courseid": 999, "userid": 6}]
    answer = client.post(f"{BASE}/course_enrolments", json={"course_enrolments": items}, headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [201, 200, 404]
    assert answer["results"][0]["key"] == {"courseid": 17, "userid": 6}
    assert answer["results"][2]["error"]["errorcode"] == "coursenotfound"
    before = state(client)
    atomic = client.post(f"{BASE}/course_enrolments?atomic=true",
                         json={"course_enrolments": [{"courseid": 18, "userid": 7}, {"courseid": 18, "userid": 999}]}, headers=ADMIN)
    assert error(atomic) == (404, "usernotfound") and atomic.json()["index"] == 1
    assert state(client) == before
