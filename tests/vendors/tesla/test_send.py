"""TeSLA CE SEND categories and learner assignments: permissions, validation, summaries, cascades."""

from __future__ import annotations

import pytest

from tesla_course_support import NO_PERMISSION, NOT_FOUND, login
from tesla_support import SEED

SEND = "/api/v2/institution/1/send/"
NOU_CATEGORIES = [r["description"] for r in sorted(SEED["send_categories"], key=lambda r: r["id"]) if r["institution"] == 1]
ASSIGNED = "/api/v2/institution/1/learner/15/send/"
DATA = {"enabled_options": ["big_fonts"], "disabled_instruments": [4]}


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


@pytest.mark.parametrize(("email", "get", "post"), [
    ("admin@tesla.example", 200, 403),
    ("inst-admin@tesla.example", 200, 400),  # allowed: the empty body is then refused
    ("arnau.costa@nou.example", 200, 400),
    ("data-admin@tesla.example", 403, 403),
    ("aina.roca@nou.example", 403, 403),
    ("member@tesla.example", 403, 403),
    ("oriol.pons@nou.example", 403, 403),  # even on its own assignments
    ("cit-admin@tesla.example", 403, 403),
])
def test_permission_matrix(client, email: str, get: int, post: int) -> None:
    headers = login(client, email)
    for base in (SEND, "/api/v2/institution/1/learner/16/send/"):
        assert client.get(base, headers=headers).status_code == get
        assert client.post(base, json={}, headers=headers).status_code == post
    assert client.get(f"{SEND}1/", headers=headers).status_code == get
    assert client.get(SEND).json() == NO_PERMISSION


def test_categories_list_filters_and_crud(client) -> None:
    sa = login(client, "arnau.costa@nou.example")
    page = client.get(SEND, headers=sa).json()
    assert [row["description"] for row in page["results"]][:3] == ["Visual impairment", "Dyslexia", "Reduced hand mobility"]
    assert [row["description"] for row in page["results"]] == NOU_CATEGORIES[:10]
    assert list(page["results"][0]) == ["id", "institution", "data", "description", "created_at", "updated_at"]
    assert client.get(f"{SEND}?description=Dyslexia", headers=sa).json()["count"] == 1
    with_hand = [name for name in NOU_CATEGORIES if "hand" in name.casefold()]
    assert client.get(f"{SEND}?institution=1&search=hand", headers=sa).json()["count"] == len(with_hand)
    bad = client.get(f"{SEND}?institution=99", headers=sa)
    assert (bad.status_code, bad.json()) == (
        400, {"institution": ["Select a valid choice. That choice is not one of the available choices."]})
    assert client.get(f"{SEND}4/", headers=sa).json() == NOT_FOUND  # another institution's
    created = client.post(SEND, json={"description": " Anxiety ", "data": {**DATA, "extra": 10**30}}, headers=sa)
    assert created.status_code == 201, created.text
    new = created.json()
    assert (new["description"], new["data"], new["institution"]["id"]) == ("Anxiety", DATA, 1)  # unknown keys dropped
    patched = client.patch(f"{SEND}{new['id']}/", json={"description": "Anxiety disorder"}, headers=sa)
    assert patched.json()["data"] == DATA  # PATCH keeps data
    put = client.put(f"{SEND}{new['id']}/", json={"description": "Anxiety disorder"}, headers=sa)
    assert put.json()["data"] == {}  # PUT without data resets it, as upstream
    bare = client.post(SEND, json={"description": "Other"}, headers=sa)
    assert (bare.status_code, bare.json()["data"]) == (201, {})


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"description": ["This field is required."]}),
    ({"description": " "}, {"description": ["This field may not be blank."]}),
    ({"description": "x", "data": {"enabled_options": ["x"], "disabled_instruments": [999]}},
     {"data": {"enabled_options": ['"x" is not a valid choice.'], "disabled_instruments": ['"999" is not a valid choice.']}}),
    ({"description": "x", "data": {"enabled_options": "big_fonts", "disabled_instruments": []}},
     {"data": {"enabled_options": ['Expected a list of items but got type "str".']}}),
    ({"description": "x", "data": {"enabled_options": []}}, {"data": {"disabled_instruments": ["This field is required."]}}),
])
def test_category_errors(client, body: dict, errors: dict) -> None:
    sa = login(client, "arnau.costa@nou.example")
    response = client.post(SEND, json=body, headers=sa)
    assert (response.status_code, response.json()) == (400, errors)
    assert client.get(SEND, headers=sa).json()["count"] == len(NOU_CATEGORIES)


def test_assignments_and_the_learner_summary(client) -> None:
    sa, ia = login(client, "arnau.costa@nou.example"), login(client, "inst-admin@tesla.example")
    page = client.get(ASSIGNED, headers=sa).json()
    assert [(row["category"], row["expires_at"]) for row in page["results"]] == [
        (2, "2030-07-31T22:00:00Z"), (3, "2025-01-31T23:00:00Z")]
    assert list(page["results"][0]) == ["id", "expires_at", "category", "info"]
    assert page["results"][0]["info"]["description"] == "Dyslexia"
    assert client.get("/api/v2/institution/1/learner/999/send/", headers=sa).json()["count"] == 0
    created = client.post(ASSIGNED, json={"category": 1, "expires_at": "2031-01-01T00:00:00+01:00"}, headers=sa)
    assert created.status_code == 201, created.text
    assert created.json()["expires_at"] == "2030-12-31T23:00:00Z"
    send = client.get("/api/v2/institution/1/learner/15/", headers=ia).json()["send"]
    assert send == {"is_send": True, "send": {"enabled_options": ["big_fonts", "high_contrast", "text_to_speech"],
                                              "disabled_instruments": [1, 2]}}
    duplicate = client.post(ASSIGNED, json={"category": 1}, headers=sa)
    assert duplicate.json() == {"non_field_errors": ["The fields learner_id, category must make a unique set."]}
    unknown = client.post(ASSIGNED, json={"category": 999}, headers=sa)
    assert unknown.json() == {"category": ['Invalid pk "999" - object does not exist.']}
    wrong = client.post(ASSIGNED, json={"category": "1"}, headers=sa)
    assert wrong.json() == {"category": ["Incorrect type. Expected pk value, received str."]}
    assert client.post(ASSIGNED, json={}, headers=sa).json() == {"category": ["This field is required."]}
    date = client.post(ASSIGNED, json={"category": 4, "expires_at": "soon"}, headers=sa)
    assert list(date.json()) == ["expires_at"]
    assert client.post(ASSIGNED, json={"category": 4}, headers=sa).status_code == 201  # any institution's category
    assert client.post("/api/v2/institution/1/learner/999/send/", json={"category": 1}, headers=sa).json() == NOT_FOUND
    assignment = created.json()["id"]
    permanent = client.put(f"{ASSIGNED}{assignment}/", json={"category": 1}, headers=sa)
    assert permanent.json()["expires_at"] is None  # PUT without expires_at: permanent
    assert client.patch(f"{ASSIGNED}{assignment}/", json={"category": 2}, headers=sa).status_code == 400  # held
    assert client.delete(f"{ASSIGNED}{assignment}/", headers=sa).status_code == 204
    assert client.get(f"{ASSIGNED}{assignment}/", headers=sa).json() == NOT_FOUND


def test_category_delete_cascades_to_assignments(client, make_client) -> None:
    sa, ia = login(client, "arnau.costa@nou.example"), login(client, "inst-admin@tesla.example")
    assert client.delete(f"{SEND}2/", headers=sa).status_code == 204
    assert client.get(ASSIGNED, headers=sa).json()["count"] == 1
    assert client.get("/api/v2/institution/1/learner/15/", headers=ia).json()["send"]["is_send"] is False
    quirky = make_client(vendor="tesla", quirks=True)
    qa = login(quirky, "arnau.costa@nou.example")
    for path, body in ((SEND, {"description": "x", "data": {"enabled_options": []}}),
                       ("/api/v2/institution/1/learner/999/send/", {"category": 1})):
        crash = quirky.post(path, json=body, headers=qa)
        assert (crash.status_code, crash.text) == (500, "Error processing the request.")
    assert quirky.get(f"{SEND}?search=x", headers=qa).status_code == 500
