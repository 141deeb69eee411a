"""TeSLA CE sessions and dashboard: launcher tokens, profile, logout, UI options, user actions."""

from __future__ import annotations

import pytest

from tesla_course_support import NO_PERMISSION, NOT_FOUND, login

UI = "/api/v2/institution/1/ui/"
LEARNER_LAUNCHER = {"id": 1, "token": "7f1e3c9a-launcher-learner-16"}


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def test_launcher_token_is_one_shot_and_names_the_learner(client) -> None:
    response = client.post("/api/v2/auth/token", json=LEARNER_LAUNCHER)
    assert response.status_code == 200
    pair = response.json()
    assert list(pair) == ["access_token", "refresh_token"]
    headers = {"Authorization": f"JWT {pair['access_token']}"}
    profile = client.get("/api/v2/auth/profile", headers=headers).json()
    assert (profile["id"], profile["roles"], profile["institution"]["learner_id"] is not None) == (16, ["LEARNER"], True)
    assert client.get("/api/v2/institution/1/learner/16/", headers=headers).status_code == 200
    assert client.post("/api/v2/institution/1/learner/16/ic/", json={"version": "1.1.2"}, headers=headers).status_code == 200
    again = client.post("/api/v2/auth/token", json=LEARNER_LAUNCHER)
    assert (again.status_code, again.json()) == (401, "Invalid credentials")
    wrong = client.post("/api/v2/auth/token", json={"id": 2, "token": "nope"})
    assert (wrong.status_code, wrong.json()) == (401, "Invalid credentials")
    assert client.post("/api/v2/auth/token", json={"id": "one"}).json() == {
        "id": ["A valid integer is required."], "token": ["This field is required."]}
    # The dashboard sends the id from its query string, as text: DRF's IntegerField takes it.
    instructor = client.post("/api/v2/auth/token", json={"id": "2", "token": "2b8d4f60-launcher-instructor-7"})
    roles = client.get("/api/v2/auth/profile", headers={"Authorization": f"JWT {instructor.json()['access_token']}"})
    assert roles.json()["roles"] == ["INSTRUCTOR"]
    assert client.get("/api/v2/auth/token").json() == "Method not allowed"


def test_profile_answers(client) -> None:
    ia = client.get("/api/v2/auth/profile", headers=login(client, "inst-admin@tesla.example")).json()
    assert list(ia) == ["id", "first_name", "last_name", "username", "email", "is_admin", "full_name", "uid", "locale",
                        "institution", "institutions", "roles", "routes"]
    assert (ia["full_name"], ia["roles"], ia["institution"]["acronym"]) == ("Núria Puigdomènech", ["ADMIN"], "NOU")
    assert ia["routes"] == ["/dashboard", "/institution/users", "/institution/ic", "/courses"]  # SEND hidden in NOU
    ga = client.get("/api/v2/auth/profile", headers=login(client, "admin@tesla.example")).json()
    assert (ga["is_admin"], ga["institution"], ga["institutions"], ga["roles"]) == (True, None, [], ["GLOBAL_ADMIN"])
    assert ga["routes"] == ["/dashboard", "/institution/users"]
    none = client.get("/api/v2/auth/profile")
    assert (none.status_code, none.content) == (401, b"")
    bad = client.get("/api/v2/auth/profile", headers={"Authorization": "JWT bad"})
    assert (bad.status_code, bad.json()) == (403, {"detail": "Invalid token: Invalid JWT token"})
    role = client.post("/api/v2/auth/approle", json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    module = client.get("/api/v2/auth/profile", headers={"Authorization": f"JWT {role.json()['token']['access_token']}"})
    assert (module.status_code, module.content) == (403, b"")
    logout = client.delete("/api/v2/auth/logout")
    assert (logout.status_code, logout.content) == (204, b"")


@pytest.mark.parametrize(("email", "get", "post"), [
    ("admin@tesla.example", 200, 400),  # global admins write UI options too (then the empty body is refused)
    ("inst-admin@tesla.example", 200, 400),
    ("data-admin@tesla.example", 403, 403),
    ("aina.roca@nou.example", 403, 403),
    ("arnau.costa@nou.example", 403, 403),
    ("member@tesla.example", 403, 403),
    ("cit-admin@tesla.example", 403, 403),
])
def test_ui_permission_matrix(client, email: str, get: int, post: int) -> None:
    headers = login(client, email)
    assert client.get(UI, headers=headers).status_code == get
    assert client.post(UI, json={}, headers=headers).status_code == post
    assert client.get(UI).json() == NO_PERMISSION


def test_ui_options_rules(client, make_client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    page = client.get(UI, headers=ia).json()
    assert page["count"] == 9  # every option, global and institutional, as upstream
    assert list(page["results"][0]) == ["id", "route", "enabled", "roles", "user", "is_global"]
    assert client.get(f"{UI}9/", headers=ia).json()["roles"] == ["INSTRUCTOR", "ADMIN", "DATA"]  # the global route's
    created = client.post(UI, json={"route": "/reports", "enabled": True, "user": None}, headers=ia)
    assert created.status_code == 201, created.text
    assert (created.json()["is_global"], created.json()["user"]) == (False, None)
    assert "/reports" in client.get("/api/v2/auth/profile", headers=ia).json()["routes"]
    cases = [
        ({"route": "/reports", "user": None}, {"non_field_errors": ["This route already exists"]}),
        ({"route": "/nowhere", "user": None}, {"route": ["Invalid Route"]}),
        ({"route": "/courses", "user": 44}, {"user": ["User must be from the institution"]}),
        ({"route": "/courses", "user": 999}, {"user": ['Invalid pk "999" - object does not exist.']}),
        ({"route": "/courses"}, {"user": ["This field is required."]}),
    ]
    for body, errors in cases:
        response = client.post(UI, json=body, headers=ia)
        assert (response.status_code, response.json()) == (400, errors), body
    option = created.json()["id"]
    assert client.patch(f"{UI}{option}/", json={"enabled": False}, headers=ia).json() == {"route": ["This field is required."]}
    patched = client.patch(f"{UI}{option}/", json={"route": "/reports", "enabled": False}, headers=ia)
    assert (patched.status_code, patched.json()["enabled"]) == (200, False)
    assert client.delete(f"{UI}{option}/", headers=ia).status_code == 204
    assert client.get(f"{UI}{option}/", headers=ia).json() == NOT_FOUND
    quirky = make_client(vendor="tesla", quirks=True)
    qa = login(quirky, "inst-admin@tesla.example")
    assert quirky.post(UI, json={"route": "/courses"}, headers=qa).status_code == 500
    assert quirky.patch(f"{UI}8/", json={"enabled": True}, headers=qa).status_code == 500


def test_user_activities(client) -> None:
    client.post("/__admin/clock", json={"set": "2024-11-04T09:00:00Z"})  # during activity 1 (course 1's midterm)
    ia, member = login(client, "inst-admin@tesla.example"), login(client, "member@tesla.example")
    page = client.get("/api/v2/institution/1/user/10/activities/", headers=ia).json()
    assert [row["id"] for row in page["results"]] == [1]
    item = page["results"][0]
    assert list(item) == ["id", "vle_id", "vle_activity_type", "vle_activity_id", "name", "start", "end", "description",
                          "course", "instruments", "user_instruments", "enabled", "conf", "created_at", "updated_at"]
    assert item["course"]["code"] == "NOU-PSY101-2024"
    assert [i["instrument"]["acronym"] for i in item["instruments"]] == ["fr", "ks"]
    assert [i["instrument"]["acronym"] for i in item["user_instruments"]] == ["ks"]  # learner 10's SEND: no face recognition
    assert client.get("/api/v2/institution/1/user/9/activities/", headers=ia).json()["count"] == 1
    assert client.get("/api/v2/institution/1/user/21/activities/", headers=ia).json()["count"] == 0  # not in course 1
    denied = client.get("/api/v2/institution/1/user/10/activities/", headers=member)
    assert (denied.status_code, denied.json()) == (403, {"detail": "You cannot access this information"})
    assert client.get("/api/v2/institution/1/user/5/activities/", headers=member).json()["count"] == 0
    assert client.get("/api/v2/institution/1/user/999/activities/", headers=ia).json() == NOT_FOUND


def test_user_profile_update_is_always_refused(client, make_client) -> None:
    member = login(client, "member@tesla.example")
    other = client.post("/api/v2/institution/1/user/2/profile/", json={"locale": "es"}, headers=member)
    assert (other.status_code, other.json()) == (403, {"detail": "You can only modify your own profile"})
    own = "/api/v2/institution/1/user/5/profile/"
    assert client.post(own, json={"locale": "x" * 11}, headers=member).json() == {
        "locale": ["Ensure this field has no more than 10 characters."]}
    differ = client.post(own, json={"password": "a", "password2": "b"}, headers=member)
    assert differ.json() == {"non_field_errors": ["Passwords does not match"]}
    refused = client.post(own, json={"locale": "es"}, headers=member)
    assert refused.status_code == 400 and list(refused.json()) == ["non_field_errors"]
    assert client.get("/api/v2/institution/1/user/5/", headers=member).json()["locale"] == "en"  # unchanged
    quirky = make_client(vendor="tesla", quirks=True)
    crash = quirky.post(own, json={"locale": "es"}, headers=login(quirky, "member@tesla.example"))
    assert (crash.status_code, crash.text) == (500, "Error processing the request.")
