"""Titus Connect users slice: auth, rules, paging, errors, as docs/titus.md designs them."""

from __future__ import annotations

import math

import pytest

from mockserver.config import MAX_BODY_BYTES
from titus_support import ADMIN, BASE, error, seed_rows, seed_users

NEW_USER = {"username": "jane.doe", "firstname": "Jane", "lastname": "Doe", "email": "Jane.Doe@example.org"}


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


def test_read_one_user_with_moodle_fields(client) -> None:
    response = client.get(f"{BASE}/user/5", headers=ADMIN)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    user = response.json()
    assert user["id"] == 5 and user["username"] == "priya.green"
    jobs = [{"id": j["id"], "idnumber": j["idnumber"], "fullname": j["fullname"]} for j in seed_rows("job_assignments", userid=5)]
    assert isinstance(user["timecreated"], int) and user["job_assignments"] == jobs and jobs
    assert "password" not in user and "siteadmin" not in user


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({}, (401, "noauthheader")),
        ({"Authorization": "Bearer nope-token"}, (401, "invalidtoken")),
        ({"Authorization": "Bearer titus-expired-token"}, (401, "invalidtimedtoken")),
        ({"Authorization": "Token a b"}, (401, "invalidtoken")),
        ({"Authorization": "Bearer titus-suspended-token"}, (403, "accessexception")),
    ],
)
def test_auth_failures(client, headers, expected) -> None:
    response = client.get(f"{BASE}/user/5", headers=headers)
    assert error(response) == expected
    if expected[0] == 401:
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert set(response.json()) >= {"exception", "errorcode", "message"}


def test_raw_token_without_bearer_is_accepted(client) -> None:
    assert client.get(f"{BASE}/user/5", headers={"Authorization": "titus-admin-token"}).status_code == 200


def test_readonly_token_reads_but_cannot_write(client) -> None:
    readonly = {"Authorization": "Bearer titus-readonly-token"}
    assert client.get(f"{BASE}/users", headers=readonly).status_code == 200
    response = client.post(f"{BASE}/user", json=NEW_USER, headers=readonly)
    assert error(response) == (403, "nopermissions")
    assert "Create users" in response.json()["message"]
    assert client.get(f"{BASE}/users?username=jane.doe", headers=ADMIN).json()["batch"]["totalitems"] == 0


def test_expired_token_works_again_only_if_the_clock_goes_back(client) -> None:
    expired = {"Authorization": "Bearer titus-expired-token"}
    assert client.get(f"{BASE}/version_info", headers=expired).status_code == 401
    client.post("/__admin/clock", json={"set": "2024-01-15T00:00:00Z"})
    assert client.get(f"{BASE}/version_info", headers=expired).status_code == 200


def test_create_then_read_update_delete(client) -> None:
    created = client.post(f"{BASE}/user", json=NEW_USER, headers=ADMIN)
    assert created.status_code == 201
    user = created.json()
    assert created.headers["location"].endswith(f"{BASE}/user/{user['id']}")
    assert user["auth"] == "manual" and user["suspended"] is False and user["timecreated"] == user["timemodified"]
    assert client.get(f"{BASE}/user/{user['id']}", headers=ADMIN).json() == user

    updated = client.put(f"{BASE}/user/{user['id']}", json={"city": "Leeds", "id": user["id"]}, headers=ADMIN)
    assert updated.status_code == 200
    assert updated.json()["city"] == "Leeds" and updated.json()["firstname"] == "Jane"

    assert client.delete(f"{BASE}/user/{user['id']}", headers=ADMIN).status_code == 204
    assert error(client.get(f"{BASE}/user/{user['id']}", headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.delete(f"{BASE}/user/{user['id']}", headers=ADMIN)) == (404, "invalidrecord")


@pytest.mark.parametrize(
    "change, code",
    [
        ({"username": "PRIYA.GREEN"}, "invalidusername"),
        ({"username": "priya.green"}, "usernameexists"),
        ({"email": "PRIYA.GREEN@acme-logistics.example"}, "emailexists"),
        ({"idnumber": "ACM-1005"}, "useridnumberexists"),
    ],
)
def test_create_conflicts_and_bad_values(client, change, code) -> None:
    response = client.post(f"{BASE}/user", json={**NEW_USER, **change}, headers=ADMIN)
    assert response.json()["errorcode"] == code
    assert response.status_code == (400 if code.startswith("invalid") else 409)


@pytest.mark.parametrize(
    "body, status, code",
    [
        (b'{"username": ', 400, "invalidjson"),
        (b'{"username": "x"}', 400, "invalidparameter"),
        (b'{"username": "jane", "firstname": "J", "lastname": "D", "email": "nope"}', 400, "invalidemail"),
        (b'{"username": "jane", "firstname": "J", "lastname": "D", "email": "j@x.org", "colour": "red"}', 400, "invalidparameter"),
        (b'[1, 2]', 400, "invalidparameter"),
    ],
)
def test_bad_bodies_change_nothing(client, body, status, code) -> None:
    before = client.get("/__admin/state/titus").json()
    response = client.post(f"{BASE}/user", content=body, headers={**ADMIN, "Content-Type": "application/json"})
    assert error(response) == (status, code)
    assert client.get("/__admin/state/titus").json() == before


def test_update_rules(client) -> None:
    assert error(client.put(f"{BASE}/user/5", json={"email": "other@example.org"}, headers=ADMIN)) == (400, "useuseremail")
    assert error(client.put(f"{BASE}/user/5", json={"timecreated": 1}, headers=ADMIN)) == (400, "readonlyfield")
    assert error(client.put(f"{BASE}/user/5", json={"username": "admin"}, headers=ADMIN)) == (409, "usernameexists")
    assert error(client.put(f"{BASE}/user/5", json={"tenantid": 99}, headers=ADMIN)) == (404, "tenantnotfound")
    assert client.get(f"{BASE}/user/5", headers=ADMIN).json()["username"] == "priya.green"


def test_delete_rules(client) -> None:
    assert error(client.delete(f"{BASE}/user/2", headers=ADMIN)) == (403, "useradminodelete")
    tenant = {"Authorization": "Bearer titus-tenant-a-token"}
    assert error(client.delete(f"{BASE}/user/4", headers=tenant)) == (403, "usernotdeletederror")


def test_tenant_token_sees_only_its_tenant(client) -> None:
    tenant = {"Authorization": "Bearer titus-tenant-a-token"}
    users = client.get(f"{BASE}/users?perpage=500", headers=tenant).json()["users"]
    assert users and {u["tenantid"] for u in users} == {1}
    other = next(u for u in client.get(f"{BASE}/users?tenantid=2", headers=ADMIN).json()["users"])
    assert error(client.get(f"{BASE}/user/{other['id']}", headers=tenant)) == (403, "nopermissions")


def test_paging_sorting_and_filters(client) -> None:
    total = len(seed_users())
    page = client.get(f"{BASE}/users?page=2&perpage=10", headers=ADMIN).json()
    assert page["batch"] == {"page": 2, "perpage": 10, "totalpages": math.ceil(total / 10), "totalitems": total}
    assert [u["id"] for u in page["users"]] == sorted(u["id"] for u in seed_users())[10:20]
    beyond = client.get(f"{BASE}/users?page={math.ceil(total / 10) + 1}&perpage=10", headers=ADMIN).json()
    assert beyond["users"] == [] and beyond["batch"]["totalitems"] == total
    names = [u["username"] for u in client.get(f"{BASE}/users?sort=username&order=desc&perpage=500", headers=ADMIN).json()["users"]]
    assert names == sorted(names, reverse=True)
    by_email = client.get(f"{BASE}/users?email=PRIYA.GREEN@ACME-LOGISTICS.EXAMPLE", headers=ADMIN).json()
    assert [u["id"] for u in by_email["users"]] == [5]
    search = client.get(f"{BASE}/users?search=green", headers=ADMIN).json()["users"]
    assert search and all("green" in (u["username"] + u["email"] + u["lastname"]).lower() for u in search)
    suspended = client.get(f"{BASE}/users?suspended=true", headers=ADMIN).json()["users"]
    assert [u["id"] for u in suspended] == [u["id"] for u in seed_users() if u.get("suspended")]


@pytest.mark.parametrize("query", ["page=0", "perpage=501", "perpage=abc", "perpage=%209", "perpage=%0B9", "page=2.0",
                                   "sort=password", "order=up"])
def test_bad_paging_parameters_are_invalidparameter(client, query) -> None:
    assert error(client.get(f"{BASE}/users?{query}", headers=ADMIN)) == (400, "invalidparameter")


def test_protocol_errors_are_moodle_shaped(client) -> None:
    response = client.patch(f"{BASE}/user/5", headers=ADMIN)
    assert error(response) == (405, "methodnotallowed") and response.headers["allow"] == "GET, PUT, DELETE"
    assert error(client.get(f"{BASE}/courses/x", headers=ADMIN)) == (404, "routenotfound")
    assert error(client.get(f"{BASE}/user/abc", headers=ADMIN))[0] == 404
    assert error(client.get(f"{BASE}/user/5", headers={**ADMIN, "Accept": "text/html"})) == (406, "noacceptheader")
    xml = client.post(f"{BASE}/user", content=b"<user/>", headers={**ADMIN, "Content-Type": "application/xml"})
    assert error(xml) == (415, "notypeheader")
    huge = client.post(f"{BASE}/user", content=b"{" + b" " * MAX_BODY_BYTES + b"}", headers={**ADMIN, "Content-Type": "application/json"})
    assert error(huge) == (413, "requesttoolarge")


def test_version_info_comes_from_the_seed(client) -> None:
    info = client.get(f"{BASE}/version_info", headers=ADMIN).json()
    assert info["plugin"] == "local_titusconnect" and info["platform"] == "workplace" and info["multitenancy"] is True


def test_reset_gives_the_same_ids_again(client) -> None:
    first = client.post(f"{BASE}/user", json=NEW_USER, headers=ADMIN).json()
    client.post("/__admin/reset")
    second = client.post(f"{BASE}/user", json=NEW_USER, headers=ADMIN).json()
    assert first["id"] == second["id"] == max(u["id"] for u in seed_users()) + 1
