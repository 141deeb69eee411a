"""TeSLA CE VLE API access: VLEPermission (a VLE module under its own `/api/v2/vle/<id>/`) checked
before any lookup, 401s, revoked VLEs, routing (301, 405, HTML 404), module tokens elsewhere."""

from __future__ import annotations

import pytest

from tesla_course_support import NO_PERMISSION, NOT_FOUND, login
from tesla_vle_support import VLE, module_login


@pytest.fixture
def client(tesla_client):
    return tesla_client


def _second_module(client) -> tuple[int, dict[str, str]]:
    """A VLE registered through the institution API, and its module's token."""
    created = client.post("/api/v2/institution/1/vle/", json={"type": 0, "name": "NOU Moodle 2"},
                          headers=login(client, "inst-admin@tesla.example")).json()
    credentials = {k: created["credentials"][k] for k in ("role_id", "secret_id")}
    return created["id"], module_login(client, credentials)


def test_only_the_module_of_the_path_passes(client) -> None:
    module = module_login(client)
    assert client.get(f"{VLE}/", headers=module).status_code == 200
    learner = login(client, "oriol.pons@nou.example")
    callers = {"nobody": {}, "institution admin": login(client, "inst-admin@tesla.example"),
               "global admin": login(client, "admin@tesla.example"), "learner": learner}
    for name, headers in callers.items():
        for path in (f"{VLE}/", f"{VLE}/course/", f"{VLE}/course/1/learner/", f"{VLE}/course/999/"):
            response = client.get(path, headers=headers)
            assert (response.status_code, response.json()) == (403, NO_PERMISSION), (name, path)
    for path in ("/api/v2/vle/2/", "/api/v2/vle/2/course/", "/api/v2/vle/01/", "/api/v2/vle/abc/course/1/",
                 "/api/v2/vle/"):
        response = client.get(path, headers=module)
        assert (response.status_code, response.json()) == (403, NO_PERMISSION), path


def test_another_module_passes_only_under_its_own_vle(client) -> None:
    vle_id, other = _second_module(client)
    assert client.get(f"/api/v2/vle/{vle_id}/", headers=other).json()["name"] == "NOU Moodle 2"
    assert client.get(f"{VLE}/course/", headers=other).json() == NO_PERMISSION
    assert client.post(f"{VLE}/course/", json={}, headers=other).status_code == 403


def test_permission_comes_before_lookup_and_method(client) -> None:
    module = module_login(client)
    _, other = _second_module(client)
    assert client.get(f"{VLE}/course/99999/", headers=module).json() == NOT_FOUND
    assert client.get(f"{VLE}/course/99999/", headers=other).json() == NO_PERMISSION
    not_allowed = client.put(f"{VLE}/", json={}, headers=module)
    assert (not_allowed.status_code, not_allowed.json()) == (405, {"detail": 'Method "PUT" not allowed.'})
    assert not_allowed.headers["allow"].startswith("GET")
    assert client.delete(f"{VLE}/", headers=other).json() == NO_PERMISSION
    assert client.delete(f"{VLE}/", headers={}).status_code == 403
    assert client.post(f"{VLE}/instrument/", json={}, headers=module).status_code == 405
    assert client.post(f"{VLE}/course/1/activity/1/report/", json={}, headers=module).status_code == 405


def test_bad_tokens_are_401_with_the_challenge(client) -> None:
    for header, detail in (("JWT", "Invalid token header. No credentials provided."),
                           ("JWT a b", "Invalid token header. Token string should not contain spaces."),
                           ("JWT not.a.token", "Invalid token: Invalid JWT token")):
        response = client.get(f"{VLE}/course/", headers={"Authorization": header})
        assert (response.status_code, response.json()) == (401, {"detail": detail})
        assert response.headers["www-authenticate"] == "JWT"
    bearer = {"Authorization": module_login(client)["Authorization"].replace("JWT", "Bearer")}
    assert client.get(f"{VLE}/", headers=bearer).status_code == 200  # the first word is not checked


def test_a_deleted_vle_revokes_its_module(client) -> None:
    module = module_login(client)
    assert client.delete("/api/v2/institution/1/vle/1/", headers=login(client, "inst-admin@tesla.example")).status_code == 204
    for path in (f"{VLE}/", f"{VLE}/course/", "/api/v2/vle/"):
        response = client.get(path, headers=module)
        assert (response.status_code, response.json()) == (401, {"detail": "Invalid VLE."}), path
        assert response.headers["www-authenticate"] == "JWT"


def test_missing_slash_redirects_with_the_query_for_every_method(client) -> None:
    module = module_login(client)
    for method, path in (("GET", f"{VLE}/course?vle_course_id=2"), ("POST", f"{VLE}/course"),
                         ("DELETE", f"{VLE}/course/1/activity/1"),
                         ("GET", f"{VLE}/course/1/activity?vle_activity_id=17&vle_activity_type=quiz")):
        response = client.request(method, path, headers=module, follow_redirects=False)
        target, _, query = path.partition("?")
        assert (response.status_code, response.content) == (301, b""), path
        assert response.headers["location"] == target + "/" + (f"?{query}" if query else "")
    # No token at all: the redirect comes first (Django's middleware, before DRF).
    assert client.get(f"{VLE}/course", follow_redirects=False).status_code == 301


def test_unknown_paths_are_the_html_page(client) -> None:
    module = module_login(client)
    for path in (f"{VLE}/nothing/", f"{VLE}/course/1/activity/1/nothing/", f"{VLE}/course/1.5/"):
        response = client.get(path, headers=module)
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html"), path
    assert client.get(f"{VLE}/course/abc/", headers=module).json() == NOT_FOUND  # a router id, not a number


@pytest.mark.parametrize("path", [
    "/api/v2/institution/1/", "/api/v2/institution/1/user/", "/api/v2/institution/1/vle/",
    "/api/v2/institution/1/course/", "/api/v2/institution/1/course/1/", "/api/v2/institution/1/learner/",
    "/api/v2/institution/1/course/1/activity/", "/api/v2/institution/1/course/1/learner/",
    "/api/v2/institution/1/course/1/activity/1/report/", "/api/v2/institution/1/send/", "/api/v2/institution/1/ui/",
    "/api/v2/institution/", "/api/v2/institution/1/learner/16/enrolment/",
])
def test_a_module_gets_403_on_protected_institution_routes(client, path: str) -> None:
    response = client.get(path, headers=module_login(client))
    assert (response.status_code, response.json()) == (403, NO_PERMISSION)


@pytest.mark.parametrize("path", [
    "/api/v2/institution/1/instrument/", "/api/v2/institution/1/instrument/1/", "/api/v2/institution/1/ic/",
    "/api/v2/institution/1/ic/current/", "/api/v2/institution/1/group/", "/api/v2/institution/1/group/1/course/",
])
def test_a_module_reads_the_public_routes_as_anyone(client, path: str) -> None:
    """These views have no permission classes (DRF's AllowAny), and a module authenticates: 200, as
    for an anonymous caller (vendor reference tesla.md §1.1: "200 on the public ones" [RUN])."""
    anonymous = client.get(path)
    as_module = client.get(path, headers=module_login(client))
    assert anonymous.status_code == as_module.status_code == 200
    assert as_module.json() == anonymous.json()
