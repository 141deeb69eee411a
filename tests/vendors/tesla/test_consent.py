"""TeSLA CE informed consent: public routes, version rules, `ic/current`, documents keyed by language."""

from __future__ import annotations

import pytest

from tesla_course_support import NOT_FOUND

IC = "/api/v2/institution/1/ic/"
DOCS = "/api/v2/institution/1/ic/3/document/"
INVALID_VERSION = {"version": ["Invalid version. Expected X.Y.Z with X, Y and Z integer values"]}


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def test_routes_are_public_but_a_bad_token_is_401(client) -> None:
    page = client.get(IC)
    assert page.status_code == 200
    assert [(row["id"], row["version"]) for row in page.json()["results"]] == [
        (1, "1.0.0"), (2, "1.1.0"), (3, "1.1.2"), (4, "2.0.0")]
    assert list(page.json()["results"][0]) == ["id", "institution", "version", "valid_from", "created_at", "updated_at"]
    bad = client.get(IC, headers={"Authorization": "JWT nope"})
    assert (bad.status_code, bad.headers["www-authenticate"]) == (401, "JWT")
    assert client.get(IC, headers={"Authorization": "JWT"}).json() == {
        "detail": "Invalid token header. No credentials provided."}
    assert client.get("/api/v2/institution/99/ic/").json()["count"] == 0
    assert client.get("/api/v2/institution/x/ic/").json() == NOT_FOUND
    assert client.get("/api/v2/institution/1/ic/1.5/").status_code == 404
    assert "text/html" in client.get("/api/v2/institution/1/ic/1.5/").headers["content-type"]


def test_current_version(client) -> None:
    current = client.get(f"{IC}current/")
    assert (current.status_code, current.json()["version"]) == (200, "1.1.2")  # 2.0.0 is valid from 2030
    for path, text in (("/api/v2/institution/99/ic/current/", "Invalid institution"),
                       ("/api/v2/institution/3/ic/current/", "Invalid version")):
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, text)
    client.post("/__admin/clock", json={"advance": "2000d"})
    assert client.get(f"{IC}current/").json()["version"] == "2.0.0"


def test_create_normalises_and_refuses_duplicates(client) -> None:
    created = client.post(IC, json={"version": "01.2.03", "valid_from": "2026-01-01T00:00"})
    assert created.status_code == 201, created.text
    assert (created.json()["version"], created.json()["valid_from"]) == ("1.2.3", "2026-01-01T00:00:00Z")
    duplicate = client.post(IC, json={"version": "1.2.3", "valid_from": "2026-01-01T00:00:00Z"})
    assert (duplicate.status_code, duplicate.json()) == (
        400, {"non_field_errors": ["The fields institution_id, version must make a unique set."]})
    assert client.post("/api/v2/institution/2/ic/", json={"version": "1.2.3", "valid_from": "2026-01-01"}).status_code == 201


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"version": ["This field is required."], "valid_from": ["This field is required."]}),
    ({"version": "1.2", "valid_from": "2026-01-01T00:00:00Z"}, INVALID_VERSION),
    ({"version": "a.b.c", "valid_from": "2026-01-01T00:00:00Z"}, INVALID_VERSION),
    ({"version": "", "valid_from": "2026-01-01T00:00:00Z"}, {"version": ["This field may not be blank."]}),
    ({"version": "1.0.9", "valid_from": "yesterday"}, {"valid_from": [
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}),
    ({"version": "1.0.9", "valid_from": "9999-12-31T23:59:59-05:00"}, {"valid_from": [  # past year 9999 in UTC
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}),
    ({"version": "1" * 251, "valid_from": "2026-01-01T00:00:00Z"},
     {"version": ["Ensure this field has no more than 250 characters."]}),
])
def test_create_errors(client, body: dict, errors: dict) -> None:
    response = client.post(IC, json=body)
    assert (response.status_code, response.json()) == (400, errors)
    assert client.get(IC).json()["count"] == 4


def test_update_and_delete_cascade(client) -> None:
    ia = client.post("/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    headers = {"Authorization": f"JWT {ia.json()['token']['access_token']}"}
    patched = client.patch(f"{IC}4/", json={"valid_from": "2025-10-01T00:00:00Z"})
    assert patched.status_code == 200
    assert client.get(f"{IC}current/").json()["version"] == "2.0.0"
    learner = client.get("/api/v2/institution/1/learner/9/", headers=headers).json()
    assert learner["consent"] == {"version": "1.1.2", "status": "NOT_VALID"}
    clash = client.put(f"{IC}4/", json={"version": "1.1.2", "valid_from": "2025-10-01T00:00:00Z"})
    assert clash.json() == {"non_field_errors": ["The fields institution_id, version must make a unique set."]}
    assert client.delete(f"{IC}3/").status_code == 204
    assert client.get(f"{IC}3/").json() == NOT_FOUND
    assert client.get(f"{DOCS}en/").json() == NOT_FOUND  # its documents went with it
    learner = client.get("/api/v2/institution/1/learner/9/", headers=headers).json()
    assert (learner["consent"], learner["ic_status"]) == (None, "NOT_VALID_MISSING")
    assert client.get("/api/v2/institution/1/ic/5/").json() == NOT_FOUND  # another institution's version


def test_documents_keyed_by_language(client, make_client) -> None:
    page = client.get(DOCS).json()
    assert [row["language"] for row in page["results"]] == ["en", "ca", "es"]
    assert list(page["results"][0]) == ["id", "consent", "language", "html", "pdf", "created_at", "updated_at"]
    assert client.get("/api/v2/institution/1/ic/999/document/").json()["count"] == 0
    assert client.get(f"{DOCS}fr/").json() == NOT_FOUND
    created = client.post(DOCS, json={"language": "fr", "html": "<p>Consentement</p>"})
    assert (created.status_code, created.json()["consent"]["id"], created.json()["pdf"]) == (201, 3, None)
    assert client.get(f"{DOCS}fr/").json()["html"] == "<p>Consentement</p>"
    moved = client.patch(f"{DOCS}fr/", json={"language": "fr-CA"})
    assert moved.status_code == 200
    assert client.get(f"{DOCS}fr/").status_code == 404 and client.get(f"{DOCS}fr-CA/").status_code == 200
    duplicate = client.post(DOCS, json={"language": "ca"})
    assert (duplicate.status_code, duplicate.json()) == (
        400, {"non_field_errors": ["The fields consent, language must make a unique set."]})
    assert client.put(f"{DOCS}fr-CA/", json={"language": "es"}).status_code == 400
    assert client.post("/api/v2/institution/1/ic/999/document/", json={"language": "en"}).json() == NOT_FOUND
    assert client.post(DOCS, json={}).json() == {"language": ["This field is required."]}
    assert client.delete(f"{DOCS}fr-CA/").status_code == 204
    quirky = make_client(vendor="tesla", quirks=True)
    for path, body in ((DOCS, {"language": "ca"}), ("/api/v2/institution/1/ic/999/document/", {"language": "en"})):
        crash = quirky.post(path, json=body)
        assert (crash.status_code, crash.text) == (500, "Error processing the request.")
