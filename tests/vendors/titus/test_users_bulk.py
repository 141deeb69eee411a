"""Titus Connect PUT /users: per-item partial updates, atomic mode, the envelope's own errors."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, seed_users, state


@pytest.fixture
def client(titus_client):
    return titus_client


GLOBEX = next(u for u in seed_users() if u.get("tenantid") == 2 and u["id"] > 4)


def test_each_item_is_answered_as_put_user(client) -> None:
    taken = seed_users()[5]["username"]
    body = {"users": [{"id": 7, "city": "York"}, {"id": 8, "username": taken}, {"id": 99999, "city": "x"},
                      {"id": 9, "email": "other@example.org"}, {"id": 11, "timecreated": 1}, {"id": 12, "firstname": "Renamed"}]}
    answer = client.put(f"{BASE}/users", json=body, headers=ADMIN)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [200, 409, 404, 400, 400, 200]
    assert [r.get("error", {}).get("errorcode") for r in results] == [None, "usernameexists", "invalidrecord", "useuseremail", "readonlyfield", None]
    assert results[0]["id"] == 7 and results[0]["data"]["city"] == "York"
    assert answer.json()["summary"] == {"total": 6, "succeeded": 2, "failed": 4}
    assert client.get(f"{BASE}/user/12", headers=ADMIN).json()["firstname"] == "Renamed"


def test_atomic_undoes_everything(client) -> None:
    before = state(client)
    answer = client.put(f"{BASE}/users?atomic=true", json={"users": [{"id": 7, "city": "York"}, {"id": 99999, "city": "x"}]}, headers=ADMIN)
    assert error(answer) == (404, "invalidrecord") and answer.json()["index"] == 1
    assert state(client) == before


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"users": []}, (400, "invalidparameter")),
        ({"users": [{"city": "York"}]}, (400, "invalidparameter")),
        ({"users": [{"id": 7, "username": "UPPER"}]}, (400, "invalidusername")),
        ({"users": [{"id": 7}] * 101}, (400, "toomanyitems")),
        ({"people": [{"id": 7}]}, (400, "invalidparameter")),
    ],
)
def test_envelope_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "put", "/users", body) == expected


def test_readonly_and_tenant_scope(client) -> None:
    before = state(client)
    assert error(client.put(f"{BASE}/users", json={"users": [{"id": 7, "city": "x"}]}, headers=READONLY)) == (403, "nopermissions")
    answer = client.put(f"{BASE}/users", json={"users": [{"id": GLOBEX["id"], "city": "x"}]}, headers=TENANT_A).json()
    assert answer["results"][0]["status"] == 403
    assert state(client) == before
