"""Titus Connect tenants: create with category and audience, update, scope, suspension of members."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, state


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


def test_create_tenant_brings_category_and_audience(client) -> None:
    created = client.post(f"{BASE}/tenant", json={"name": "Umbrella Health", "idnumber": "umbrella", "categoryname": "Umbrella"}, headers=ADMIN)
    assert created.status_code == 201
    tenant = created.json()
    assert created.headers["location"].endswith(f"/tenant/{tenant['id']}")
    assert tenant["suspended"] is False and tenant["archived"] is False and isinstance(tenant["cohortid"], int)
    category = client.get(f"{BASE}/category/{tenant['categoryid']}", headers=ADMIN).json()
    assert category["name"] == "Umbrella" and category["tenantid"] == tenant["id"] and category["parent"] == 0
    assert client.get(f"{BASE}/tenant/{tenant['id']}", headers=ADMIN).json() == tenant
    assert client.post(f"{BASE}/user", json={"username": "u1", "firstname": "U", "lastname": "One", "email": "u1@example.org",
                                            "tenantid": tenant["id"]}, headers=ADMIN).status_code == 201


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"name": "ACME LOGISTICS", "idnumber": "acme2"}, (409, "tenantnameexists")),
        ({"name": "Acme Two", "idnumber": "acme"}, (409, "tenantidnumberexists")),
        ({"name": "Acme Two", "idnumber": "Acme2"}, (400, "invalidparameter")),
        ({"name": "Acme Two", "idnumber": "a"}, (400, "invalidparameter")),
        ({"name": "Acme Two"}, (400, "invalidparameter")),
    ],
)
def test_create_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/tenant", body) == expected


def test_update_and_suspend_a_tenant(client) -> None:
    updated = client.put(f"{BASE}/tenant/1", json={"sitename": "Acme Learning", "id": 1}, headers=ADMIN)
    assert updated.status_code == 200 and updated.json()["sitename"] == "Acme Learning"
    before = state(client)
    assert error(client.put(f"{BASE}/tenant/1", json={"categoryid": 7}, headers=ADMIN)) == (400, "readonlyfield")
    assert error(client.put(f"{BASE}/tenant/1", json={"name": "Globex Retail"}, headers=ADMIN)) == (409, "tenantnameexists")
    assert error(client.put(f"{BASE}/tenant/99", json={"name": "x"}, headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.put(f"{BASE}/tenant/1", json={"archived": True}, headers=ADMIN)) == (400, "invalidparameter")
    assert state(client) == before
    assert client.put(f"{BASE}/tenant/1", json={"suspended": True}, headers=ADMIN).json()["archived"] is True
    assert error(client.get(f"{BASE}/users", headers=TENANT_A)) == (403, "accessexception")
    assert client.get(f"{BASE}/tenants?suspended=true", headers=ADMIN).json()["tenants"][0]["id"] == 1


def test_tenant_scope_and_readonly(client) -> None:
    assert [t["id"] for t in client.get(f"{BASE}/tenants", headers=TENANT_A).json()["tenants"]] == [1]
    assert client.get(f"{BASE}/tenant/1", headers=TENANT_A).status_code == 200
    assert error(client.get(f"{BASE}/tenant/2", headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.put(f"{BASE}/tenant/1", json={"sitename": "x"}, headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/tenant", json={"name": "N", "idnumber": "nn"}, headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/tenant", json={"name": "N", "idnumber": "nn"}, headers=READONLY)) == (403, "nopermissions")
    listed = client.get(f"{BASE}/tenants", headers=READONLY).json()
    assert listed["batch"]["totalitems"] == 3 and error(client.get(f"{BASE}/tenant/9", headers=ADMIN)) == (404, "invalidrecord")
