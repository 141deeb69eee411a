"""Titus Connect suspension and email changes: the account endpoints beside /user."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, state


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


@pytest.mark.parametrize("reference", [{"userid": 5}, {"username": "PRIYA.GREEN"}, {"useridnumber": "ACM-1005"}])
def test_suspend_then_reactivate(client, reference) -> None:
    first = client.post(f"{BASE}/suspension", json=reference, headers=ADMIN)
    assert (first.status_code, first.json()) == (201, {"userid": 5, "suspended": True})
    assert client.post(f"{BASE}/suspension", json=reference, headers=ADMIN).status_code == 200
    assert client.get(f"{BASE}/user/5", headers=ADMIN).json()["suspended"] is True
    assert client.delete(f"{BASE}/suspension/5", headers=ADMIN).status_code == 204
    assert client.get(f"{BASE}/user/5", headers=ADMIN).json()["suspended"] is False
    assert error(client.delete(f"{BASE}/suspension/5", headers=ADMIN)) == (404, "notsuspended")


def test_a_suspended_users_token_is_refused(client) -> None:
    assert client.post(f"{BASE}/suspension", json={"userid": 4}, headers=ADMIN).status_code == 201
    assert error(client.get(f"{BASE}/users", headers=TENANT_A)) == (403, "accessexception")
    client.delete(f"{BASE}/suspension/4", headers=ADMIN)
    assert client.get(f"{BASE}/users", headers=TENANT_A).status_code == 200


@pytest.mark.parametrize(
    "body, expected",
    [
        ({}, (400, "missingreference")),
        ({"userid": 5, "username": "priya.green"}, (400, "ambiguousreference")),
        ({"userid": "5"}, (400, "invalidparameter")),
        ({"userid": 999}, (404, "invalidrecord")),
        ({"username": "nobody"}, (404, "usernotfound")),
        ({"userid": 2}, (403, "nopermissions")),
    ],
)
def test_suspension_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/suspension", body) == expected


def test_change_email(client) -> None:
    changed = client.put(f"{BASE}/user_email/5", json={"email": "priya@example.org"}, headers=ADMIN)
    assert changed.status_code == 200 and changed.json() == {"id": 5, "email": "priya@example.org"}
    assert client.get(f"{BASE}/user/5", headers=ADMIN).json()["email"] == "priya@example.org"
    before = state(client)
    assert error(client.put(f"{BASE}/user_email/5", json={"email": "ADMIN@northwind-learning.example"}, headers=ADMIN)) == (409, "emailexists")
    assert error(client.put(f"{BASE}/user_email/5", json={"email": "nope"}, headers=ADMIN)) == (400, "invalidemail")
    assert error(client.put(f"{BASE}/user_email/999", json={"email": "a@example.org"}, headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.put(f"{BASE}/user_email/5", json={"email": "a@example.org"}, headers=READONLY)) == (403, "nopermissions")
    assert state(client) == before
