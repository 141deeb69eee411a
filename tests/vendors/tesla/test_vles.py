"""TeSLA CE VLEs: credentials only on create, AppRoles that work at once, global name uniqueness."""

from __future__ import annotations

import pytest

from tesla_course_support import NOT_FOUND, login

VLES = "/api/v2/institution/1/vle/"
NEW = {"type": 0, "name": "NOU Moodle 2", "url": "http://127.0.0.1:8082/moodle", "client_id": "nou-2"}


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def test_list_and_read(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    page = client.get(VLES, headers=ia).json()
    assert (page["count"], [row["id"] for row in page["results"]]) == (1, [1])
    vle = client.get(f"{VLES}1/", headers=ia).json()
    assert list(vle) == ["id", "type", "lti", "name", "credentials", "url", "client_id"]
    assert (vle["type"], vle["credentials"], vle["lti"]["consumer_key"]) == (0, None, "nou-moodle")
    cit = client.get("/api/v2/institution/2/vle/", headers=login(client, "cit-admin@tesla.example")).json()
    assert [row["id"] for row in cit["results"]] == [2]
    assert client.get("/api/v2/institution/2/vle/1/", headers=login(client, "cit-admin@tesla.example")).json() == NOT_FOUND
    ga = login(client, "admin@tesla.example")
    assert client.get("/api/v2/institution/99/vle/", headers=ga).json()["count"] == 0
    assert client.get(f"{VLES}abc/", headers=ga).json() == NOT_FOUND


@pytest.mark.parametrize(("email", "password", "read", "write"), [
    ("admin@tesla.example", "tesla-admin", 200, 403),
    ("inst-admin@tesla.example", "tesla-admin", 200, 400),
    ("data-admin@tesla.example", "tesla-admin", 403, 403),
    ("member@tesla.example", "tesla-member", 403, 403),
    ("cit-admin@tesla.example", "tesla-admin", 403, 403),
])
def test_permissions(client, email: str, password: str, read: int, write: int) -> None:
    headers = login(client, email, password)
    assert client.get(VLES, headers=headers).status_code == read
    assert client.post(VLES, json={}, headers=headers).status_code == write
    assert client.delete(f"{VLES}1/", headers=headers).status_code == (204 if write == 400 else 403)


def test_create_gives_working_credentials_once(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    response = client.post(VLES, json={**NEW, "credentials": {"x": 1}, "lti": {"y": 2}}, headers=ia)
    assert response.status_code == 201, response.text
    created = response.json()
    credentials = created["credentials"]
    assert created["lti"] is None
    assert list(credentials) == ["role_id", "secret_id", "consumer_key", "consumer_secret",
                                 "auth_login_url", "auth_token_url", "key_set_url", "api_url"]
    assert credentials["api_url"] == "http://testserver"
    stored = client.get(f"{VLES}{created['id']}/", headers=ia).json()
    assert stored["credentials"] is None
    assert stored["lti"]["consumer_key"] == credentials["consumer_key"]
    role_login = client.post("/api/v2/auth/approle",
                             json={"role_id": credentials["role_id"], "secret_id": credentials["secret_id"]})
    assert role_login.status_code == 200, role_login.text
    assert (role_login.json()["vle_id"], role_login.json()["vle"]["name"]) == (created["id"], "NOU Moodle 2")
    bare = client.post(VLES, json={"type": 0, "name": "No URL"}, headers=ia).json()["credentials"]
    assert list(bare) == ["role_id", "secret_id", "consumer_key", "consumer_secret", "api_url"]


def test_errors_change_nothing(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    cases = [
        ({}, {"type": ["This field is required."], "name": ["This field is required."]}),
        ({"type": 7, "name": " "}, {"type": ['"7" is not a valid choice.'], "name": ["This field may not be blank."]}),
        ({"type": 0, "name": "NOU Moodle"}, {"name": ["This field must be unique."]}),
        ({"type": None, "name": "x" * 251}, {"type": ["This field may not be null."],
                                            "name": ["Ensure this field has no more than 250 characters."]}),
    ]
    for body, errors in cases:
        response = client.post(VLES, json=body, headers=ia)
        assert (response.status_code, response.json()) == (400, errors), body
    assert client.get(VLES, headers=ia).json()["count"] == 1
    assert client.put(f"{VLES}1/", json={"name": "Renamed"}, headers=ia).json() == {"type": ["This field is required."]}
    response = client.patch(f"{VLES}1/", json={"name": " Renamed ", "client_id": None}, headers=ia)
    assert (response.status_code, response.json()["name"], response.json()["client_id"]) == (200, "Renamed", None)
    assert client.patch(f"{VLES}1/", json={"name": "Renamed"}, headers=ia).status_code == 200  # its own name


def test_delete_revokes_the_module(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    module = client.post("/api/v2/auth/approle", json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    token = {"Authorization": f"JWT {module.json()['token']['access_token']}"}
    assert client.delete(f"{VLES}1/", headers=ia).status_code == 204
    assert client.get(f"{VLES}1/", headers=ia).json() == NOT_FOUND
    again = client.post("/api/v2/auth/approle", json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    assert (again.status_code, again.json()) == (401, "Invalid credentials")
    assert client.get(VLES, headers=token).json() == {"detail": "Invalid VLE."}
