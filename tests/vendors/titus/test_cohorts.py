"""Titus Connect cohort memberships: alternate keys, duplicates, relations, bulk add and remove."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, state


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


def members(client, cohortid: int) -> set[int]:
    return {r["userid"] for r in state(client)["tables"]["cohort_members"]["rows"] if r["cohortid"] == cohortid}


def test_add_by_any_key_then_remove(client) -> None:
    client.delete(f"{BASE}/cohort_membership/4/5", headers=ADMIN)
    added = client.post(f"{BASE}/cohort_membership", json={"cohortidnumber": "managers", "username": "priya.green"}, headers=ADMIN)
    assert added.status_code == 201 and added.json()["cohortid"] == 4 and added.json()["userid"] == 5
    again = client.post(f"{BASE}/cohort_membership", json={"cohortid": 4, "useridnumber": "ACM-1005"}, headers=ADMIN)
    assert error(again) == (409, "membershipexists")
    assert client.delete(f"{BASE}/cohort_membership/4/5", headers=ADMIN).status_code == 204
    assert 5 not in members(client, 4)
    assert error(client.delete(f"{BASE}/cohort_membership/4/5", headers=ADMIN)) == (404, "invalidrecord")


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"userid": 5}, (400, "missingreference")),
        ({"cohortid": 4}, (400, "missingreference")),
        ({"cohortid": 4, "cohortidnumber": "managers", "userid": 5}, (400, "ambiguousreference")),
        ({"cohortid": 4, "userid": 5, "username": "priya.green"}, (400, "ambiguousreference")),
        ({"cohortid": 99, "userid": 5}, (404, "cohortnotfound")),
        ({"cohortid": 4, "userid": 999}, (404, "usernotfound")),
        ({"cohortid": 4, "userid": "5"}, (400, "invalidparameter")),
        ({"cohortid": 1, "userid": 5}, (409, "membershipexists")),
    ],
)
def test_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/cohort_membership", body) == expected


def test_scope_readonly_and_user_deletion(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/cohort_membership", json={"cohortid": 4, "userid": 5}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/cohort_membership", json={"cohortid": 3, "userid": 5}, headers=TENANT_A)) == (403, "nopermissions")
    assert state(client) == before
    assert 6 in members(client, 1)
    client.delete(f"{BASE}/user/6", headers=ADMIN)
    assert 6 not in members(client, 1)


def test_bulk_add_and_remove(client) -> None:
    items = [{"cohortid": 4, "userid": 7}, {"cohortid": 4, "userid": 7}, {"cohortid": 99, "userid": 7}]
    client.delete(f"{BASE}/cohort_membership/4/7", headers=ADMIN)
    answer = client.post(f"{BASE}/cohort_memberships", json={"cohort_memberships": items}, headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [201, 409, 404]
    assert answer["results"][0]["key"] == {"cohortid": 4, "userid": 7}
    removed = client.delete(f"{BASE}/cohort_memberships?cohortid=4&userid=7&userid=7", headers=ADMIN).json()
    assert [r["status"] for r in removed["results"]] == [204, 404]
    bad = client.post(f"{BASE}/cohort_memberships", json={"cohort_memberships": [{"cohortid": 4, "userid": 7}, {"userid": 7}]}, headers=ADMIN)
    assert error(bad) == (400, "missingreference") and bad.json()["index"] == 1
    before = state(client)
    atomic = client.post(f"{BASE}/cohort_memberships?atomic=true", json={"cohort_memberships": items}, headers=ADMIN)
    assert error(atomic) == (409, "membershipexists") and atomic.json()["index"] == 1
    assert state(client) == before
