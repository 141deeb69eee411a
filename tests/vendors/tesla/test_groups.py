"""TeSLA CE course groups: public routes, the parent rule, filters, cascades, linked courses."""

from __future__ import annotations

import pytest

from tesla_course_support import NOT_FOUND, ids
from tesla_support import SEED, ids_where

GROUPS = "/api/v2/institution/1/group/"
NOU_GROUPS = ids_where("course_groups", institution=1)


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def test_list_is_public_and_filters(client) -> None:
    page = client.get(GROUPS).json()
    assert [row["id"] for row in page["results"]][:4] == [1, 2, 3, 4]
    assert page["count"] == len(NOU_GROUPS)
    assert list(page["results"][0]) == ["id", "institution", "parent", "name", "description", "created_at", "updated_at"]
    assert ids(client, f"{GROUPS}?parent=-1&limit=100") == ids_where("course_groups", institution=1, parent=None)
    assert ids(client, f"{GROUPS}?parent=-1")[:2] == [1, 4]
    assert ids(client, f"{GROUPS}?parent=2") == [3]
    assert ids(client, f"{GROUPS}?parent=5") == []  # another institution's group is a valid choice
    years = sorted(g["id"] for g in SEED["course_groups"] if g["institution"] == 1 and "year" in g["name"].casefold())
    assert ids(client, f"{GROUPS}?name=YEAR&search=zzz&limit=100") == years  # icontains; no search backend
    assert years[0] == 2
    bad = client.get(f"{GROUPS}?parent=999")
    assert (bad.status_code, bad.json()) == (400, {"parent": ["Select a valid choice. 999 is not one of the available choices."]})
    assert client.get(GROUPS, headers={"Authorization": "JWT bad"}).status_code == 401
    assert ids(client, "/api/v2/institution/99/group/") == []


def test_create_update_and_the_parent_rule(client) -> None:
    created = client.post(GROUPS, json={"name": " Second year ", "parent": 1, "description": None})
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["name"], body["parent"], body["institution"]["id"]) == ("Second year", 1, 1)
    root = client.post(GROUPS, json={"name": "Extension", "parent": ""})
    assert (root.status_code, root.json()["parent"]) == (201, None)
    for parent in (999, 5):  # nobody's, another institution's
        response = client.post(GROUPS, json={"name": "x", "parent": parent})
        assert (response.status_code, response.json()) == (400, {"parent": [f'Invalid pk "{parent}" - object does not exist.']})
    for parent, kind in (("abc", "str"), (True, "bool")):  # DRF's related field: a pk, "" or null only
        response = client.post(GROUPS, json={"name": "x", "parent": parent})
        assert response.json() == {"parent": [f"Incorrect type. Expected pk value, received {kind}."]}
    own = client.patch(f"{GROUPS}{body['id']}/", json={"parent": body["id"]})
    assert own.json() == {"parent": [f'Invalid pk "{body["id"]}" - object does not exist.']}
    assert client.post(GROUPS, json={}).json() == {"name": ["This field is required."]}
    assert client.post(GROUPS, json={"name": "x" * 251}).json() == {"name": ["Ensure this field has no more than 250 characters."]}
    put = client.put(f"{GROUPS}2/", json={"name": "Year one"})
    assert (put.status_code, put.json()["parent"], put.json()["name"]) == (200, None, "Year one")  # PUT: omitted parent is null
    assert client.post("/api/v2/institution/99/group/", json={"name": "x"}).json() == NOT_FOUND
    assert client.get(f"{GROUPS}5/").json() == NOT_FOUND  # institution 2's group


def test_delete_cascades_to_descendants(client) -> None:
    assert client.delete(f"{GROUPS}1/").status_code == 204
    assert ids(client, f"{GROUPS}?limit=100") == [g for g in NOU_GROUPS if g not in (1, 2, 3)]
    for group_id in (1, 2, 3):
        assert client.get(f"{GROUPS}{group_id}/").json() == NOT_FOUND


def test_linked_courses(client, make_client) -> None:
    linked = client.get(f"{GROUPS}2/course/").json()
    assert [row["id"] for row in linked["results"]] == [1, 2]
    assert list(linked["results"][0]) == ["id", "vle_id", "vle_course_id", "code", "description", "start", "end",
                                          "created_at", "updated_at"]
    assert ids(client, f"{GROUPS}2/course/?code=NOU-STA201-2024") == [2]
    assert ids(client, f"{GROUPS}2/course/?vle_id=1&start=2024-09-16T07:00:00Z") == [1, 2]
    assert client.get(f"{GROUPS}999/course/").json() == NOT_FOUND
    assert client.get(f"{GROUPS}2/course/3/").json() == NOT_FOUND  # not linked
    for _ in range(2):  # linking again is 201 again
        response = client.post(f"{GROUPS}2/course/", json={"id": 5})  # another institution's course: not checked
        assert (response.status_code, response.json()["code"]) == (201, "CIT-CS101")
    assert ids(client, f"{GROUPS}2/course/") == [1, 2, 5]
    unknown_course = client.post(f"{GROUPS}2/course/", json={"id": 999})
    assert (unknown_course.status_code, unknown_course.json()) == (404, {"detail": "Course not found"})
    unknown_group = client.post(f"{GROUPS}999/course/", json={"id": 1})
    assert (unknown_group.status_code, unknown_group.json()) == (404, {"detail": "Course Group not found"})
    assert client.post(f"{GROUPS}2/course/", json={}).json() == {"id": ["This field is required."]}
    assert client.delete(f"{GROUPS}2/course/1/").status_code == 204
    assert client.get(f"{GROUPS}2/course/1/").json() == NOT_FOUND
    ia = client.post("/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    headers = {"Authorization": f"JWT {ia.json()['token']['access_token']}"}
    assert client.get("/api/v2/institution/1/course/1/", headers=headers).status_code == 200  # unlinking keeps it
    quirky = make_client(vendor="tesla", quirks=True)
    crash = quirky.post("/api/v2/institution/99/group/", json={"name": "x"})
    assert (crash.status_code, crash.text) == (500, "Error processing the request.")
