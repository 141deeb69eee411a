"""TeSLA CE instructors: one id space with users, the §2.2 permissions, the real rules and crashes."""

from __future__ import annotations

import pytest

from tesla_course_support import NOT_FOUND, ids, login
from tesla_support import instructor_ids

INSTRUCTORS = "/api/v2/institution/1/instructor/"
NEW = {"uid": "nou-i-01", "first_name": "Ada", "last_name": "Serra", "email": "ada.serra@nou.example"}


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def test_list_is_the_institutions_instructors(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    assert ids(client, f"{INSTRUCTORS}?limit=100", ia)[:4] == [7, 8, 13, 20]  # the hand-written ones first
    assert ids(client, f"{INSTRUCTORS}?limit=100", ia) == instructor_ids(1)
    assert ids(client, f"{INSTRUCTORS}?limit=100&search=zzz&ordering=-id", ia) == instructor_ids(1)  # no such backends
    assert ids(client, "/api/v2/institution/2/instructor/?limit=100", login(client, "cit-admin@tesla.example")) == \
        instructor_ids(2)
    assert ids(client, "/api/v2/institution/1/user/?roles=INSTRUCTOR&limit=100", ia) == instructor_ids(1)
    page = client.get(f"{INSTRUCTORS}?limit=2", headers=ia).json()
    assert (page["count"], page["next"]) == (len(instructor_ids(1)),
                                             "http://testserver/api/v2/institution/1/instructor/?limit=2&offset=2")
    first = page["results"][0]
    assert list(first) == ["id", "username", "last_login", "first_name", "last_name", "email", "locale",
                           "created_at", "updated_at", "uid", "inst_admin", "legal_admin", "send_admin", "data_admin"]
    assert (first["username"], first["uid"]) == ("mvidal", "nou-1001")


@pytest.mark.parametrize(("email", "get", "post"), [
    ("admin@tesla.example", 200, 403),
    ("inst-admin@tesla.example", 200, 400),  # allowed: the empty body is then refused
    ("data-admin@tesla.example", 200, 403),
    ("aina.roca@nou.example", 200, 403),
    ("arnau.costa@nou.example", 403, 403),
    ("marta.vidal@nou.example", 403, 403),
    ("member@tesla.example", 403, 403),
    ("cit-admin@tesla.example", 403, 403),
])
def test_permission_matrix(client, email: str, get: int, post: int) -> None:
    headers = login(client, email)
    assert client.get(INSTRUCTORS, headers=headers).status_code == get
    assert client.get(f"{INSTRUCTORS}7/", headers=headers).status_code == get
    assert client.post(INSTRUCTORS, json={}, headers=headers).status_code == post
    assert client.get(INSTRUCTORS).status_code == 403  # no header


def test_parents_and_lookups(client) -> None:
    ga, ia = login(client, "admin@tesla.example"), login(client, "inst-admin@tesla.example")
    assert ids(client, "/api/v2/institution/99/instructor/", ga) == []
    assert client.get("/api/v2/institution/x/instructor/", headers=ga).json() == NOT_FOUND
    for missing in ("5", "999", "abc", "43"):  # not an instructor, no one, not a number, another institution
        response = client.get(f"{INSTRUCTORS}{missing}/", headers=ia)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), missing
    moved = client.get("/api/v2/institution/1/instructor", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, "/api/v2/institution/1/instructor/")


def test_create_is_a_person_with_the_instructor_role(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    response = client.post(INSTRUCTORS, json={**NEW, "username": "ignored", "data_admin": True}, headers=ia)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["username"], created["data_admin"], created["locale"]) == ("", True, None)
    user = client.get(f"/api/v2/institution/1/user/{created['id']}/", headers=ia).json()
    assert (user["uid"], user["login_allowed"]) == ("nou-i-01", False)
    second = client.post(INSTRUCTORS, json={**NEW, "uid": "nou-i-02", "email": "i2@nou.example"}, headers=ia)
    assert (second.status_code, second.json()) == (400, {"username": ["This field must be unique."]})
    assert ids(client, f"{INSTRUCTORS}?limit=20", ia)[-1] == created["id"]


def test_create_errors_in_drf_order(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    before = client.get(INSTRUCTORS, headers=ia).json()["count"]
    cases = [
        ({}, {"first_name": ["This field is required."], "last_name": ["This field is required."],
              "email": ["This field is required."], "uid": ["This field is required."]}),
        ({**NEW, "email": "marta.vidal@nou.example"}, {"email": ["This field must be unique."]}),
        ({**NEW, "email": "ada@elsewhere.example"}, {"email": ["Provided email does not belong to institution domain"]}),
        ({**NEW, "uid": "nou-0100"}, {"non_field_errors": ["The fields institution_id, uid must make a unique set."]}),
        ({**NEW, "uid": " "}, {"uid": ["This field may not be blank."]}),
    ]
    for body, errors in cases:
        response = client.post(INSTRUCTORS, json=body, headers=ia)
        assert (response.status_code, response.json()) == (400, errors), body
    assert client.get(INSTRUCTORS, headers=ia).json()["count"] == before  # nothing changed


def test_updates(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    path = f"{INSTRUCTORS}8/"
    assert client.put(path, json={"first_name": "J"}, headers=ia).json() == {"uid": ["This field is required."]}
    response = client.put(path, json={"uid": " nou-1002b ", "locale": "ca"}, headers=ia)
    assert (response.status_code, response.json()["uid"], response.json()["locale"]) == (200, "nou-1002b", "ca")
    response = client.patch(path, json={"email": "jordi@other.example"}, headers=ia)
    assert response.json() == {"email": ["Provided email does not belong to institution domain"]}
    response = client.patch(path, json={"uid": "nou-1001"}, headers=ia)
    assert response.json() == {"non_field_errors": ["The fields institution_id, uid must make a unique set."]}
    assert client.get(path, headers=ia).json()["uid"] == "nou-1002b"


def test_delete_through_either_route_deletes_the_person(client) -> None:
    ia, data = login(client, "inst-admin@tesla.example"), login(client, "data-admin@tesla.example")
    assert client.delete(f"{INSTRUCTORS}8/", headers=ia).status_code == 204
    assert client.get("/api/v2/institution/1/user/8/", headers=ia).status_code == 404
    assert client.delete("/api/v2/institution/1/user/13/", headers=data).status_code == 204
    assert client.get(f"{INSTRUCTORS}13/", headers=ia).status_code == 404
    assert client.delete(f"{INSTRUCTORS}7/", headers=data).status_code == 403  # data admins read only here
    assert ids(client, f"{INSTRUCTORS}?limit=100", ia) == [i for i in instructor_ids(1) if i not in (8, 13)]


def test_quirks_reproduce_the_crashes(make_client) -> None:
    quirky = make_client(vendor="tesla", quirks=True)
    ia = login(quirky, "inst-admin@tesla.example")
    missing = quirky.post(INSTRUCTORS, json={"uid": "nou-i-09"}, headers=ia)
    assert (missing.status_code, missing.text) == (500, "Error processing the request.")
    assert missing.headers["content-type"].startswith("text/html")
    assert quirky.post(INSTRUCTORS, json=NEW, headers=ia).status_code == 201
    second = quirky.post(INSTRUCTORS, json={**NEW, "uid": "nou-i-02", "email": "i2@nou.example"}, headers=ia)
    assert (second.status_code, second.text) == (500, "Error processing the request.")
    assert quirky.get(INSTRUCTORS, headers=ia).json()["count"] == len(instructor_ids(1)) + 1
