"""Titus Connect alternate keys in write bodies (docs/titus.md): users, courses and roles named by their keys."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, TENANT_A, error, refused_unchanged, seed_rows, seed_users, state


@pytest.fixture
def client(titus_client):
    return titus_client


COURSE = next(c for c in seed_rows("courses") if c.get("idnumber") and c["categoryid"] == 7)
LEARNER = next(u for u in seed_users() if u["id"] > 4 and u.get("idnumber") and not u.get("suspended")
               and not seed_rows("course_enrolments", courseid=COURSE["id"], userid=u["id"]))
GLOBEX = next(u for u in seed_users() if u.get("tenantid") == 2 and u["id"] > 4)
TRACKED = next(m for m in seed_rows("course_modules", courseid=COURSE["id"]) if m.get("completion"))


def test_enrol_suspend_group_and_complete_by_keys(client) -> None:
    enrolled = client.post(f"{BASE}/course_enrolment", json={"courseidnumber": COURSE["idnumber"], "useridnumber": LEARNER["idnumber"],
                                                             "roleshortname": "teacher"}, headers=ADMIN)
    assert enrolled.status_code == 201
    teacher = client.get(f"{BASE}/roles?shortname=teacher", headers=ADMIN).json()["roles"][0]["id"]
    assert (enrolled.json()["courseid"], enrolled.json()["userid"], enrolled.json()["roleid"]) == (COURSE["id"], LEARNER["id"], teacher)
    suspended = client.post(f"{BASE}/course_enrolment_suspension", json={"courseshortname": COURSE["shortname"], "username": LEARNER["username"],
                                                                         "suspended": True}, headers=ADMIN)
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    group = client.post(f"{BASE}/group", json={"courseshortname": COURSE["shortname"], "name": "By key"}, headers=ADMIN).json()
    assert group["courseid"] == COURSE["id"]
    member = client.post(f"{BASE}/group_membership", json={"groupid": group["id"], "username": LEARNER["username"]}, headers=ADMIN)
    assert member.status_code == 201 and member.json()["userid"] == LEARNER["id"]
    done = client.post(f"{BASE}/activity_completion", json={"cmid": TRACKED["id"], "useridnumber": LEARNER["idnumber"], "completionstate": 1}, headers=ADMIN)
    assert done.status_code == 201 and done.json()["userid"] == LEARNER["id"]


def test_bulk_items_may_use_keys(client) -> None:
    body = {"course_enrolments": [{"courseshortname": COURSE["shortname"], "username": LEARNER["username"]},
                                  {"courseidnumber": "NOPE", "userid": LEARNER["id"]},
                                  {"courseid": COURSE["id"], "username": "nobody"}]}
    answer = client.post(f"{BASE}/course_enrolments", json=body, headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [201, 404, 404]
    assert answer["results"][0]["key"] == {"courseid": COURSE["id"], "userid": LEARNER["id"]}
    assert [r.get("error", {}).get("errorcode") for r in answer["results"]] == [None, "coursenotfound", "usernotfound"]


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"courseid": 2, "courseidnumber": "X", "userid": 5}, (400, "ambiguousreference")),
        ({"courseid": 2, "userid": 5, "username": "x"}, (400, "ambiguousreference")),
        ({"courseid": 2, "userid": 5, "roleid": 5, "roleshortname": "student"}, (400, "ambiguousreference")),
        ({"userid": 5}, (400, "missingreference")),
        ({"courseshortname": "NOPE", "userid": 5}, (404, "coursenotfound")),
        ({"courseid": 2, "useridnumber": "NOPE"}, (404, "usernotfound")),
        ({"courseid": 2, "userid": 5, "roleshortname": "manager"}, (403, "wsusercannotassign")),
        ({"courseid": 2, "userid": 5, "roleshortname": "nosuchrole"}, (403, "wsusercannotassign")),
    ],
)
def test_key_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/course_enrolment", body) == expected


def test_keys_keep_tenant_scope(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/course_enrolment", json={"courseid": 2, "username": GLOBEX["username"]}, headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/group_membership", json={"groupid": 1, "useridnumber": GLOBEX["idnumber"]}, headers=TENANT_A)) == (403, "nopermissions")
    assert state(client) == before
