"""TeSLA answers OPTIONS (not a preflight) as Django REST framework does: authentication and the
permission check first, then SimpleMetadata built from the spec, with DRF's `Allow`."""

from __future__ import annotations

import re

import pytest

from mockserver.config import Settings
from mockserver.core.schema import SpecDocument
from mockserver.vendors.tesla import metadata
from tesla_course_support import NO_PERMISSION, login

RENDERS = ["application/json", "text/html", "application/json"]
PARSES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
USERS = "/api/v2/institution/1/user/"
SPEC = SpecDocument(Settings().specs / "tesla" / "openapi.yaml")


@pytest.fixture
def client(tesla_client):
    return tesla_client


def test_list_route_metadata(client) -> None:
    response = client.options(USERS, headers=login(client, "inst-admin@tesla.example"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.headers["allow"] == "GET, POST, HEAD, OPTIONS"
    body = response.json()
    assert list(body) == ["name", "description", "renders", "parses", "actions"]
    assert body["name"] == "Institution User List"
    assert body["description"] == "API endpoint that allows institution users to be viewed or edited."
    assert (body["renders"], body["parses"]) == (RENDERS, PARSES)
    fields = body["actions"]["POST"]
    assert list(body["actions"]) == ["POST"]
    assert list(fields)[:3] == ["id", "username", "password"]
    assert fields["id"] == {"type": "integer", "required": False, "read_only": True, "label": "Id"}
    assert fields["username"] == {"type": "string", "required": True, "read_only": False, "label": "Username",
                                  "max_length": 150}
    assert fields["email"] == {"type": "email", "required": True, "read_only": False, "label": "Email",
                               "max_length": 254}
    assert fields["last_login"] == {"type": "datetime", "required": False, "read_only": True, "label": "Last login"}
    assert fields["login_allowed"]["label"] == "Login allowed" and fields["login_allowed"]["type"] == "boolean"
    assert "max_length" not in fields["created_at"]  # DRF drops the limits of read-only fields


def test_detail_route_metadata_has_put_only_for_a_readable_record(client) -> None:
    headers = login(client, "inst-admin@tesla.example")
    response = client.options(f"{USERS}5/", headers=headers)
    assert response.status_code == 200
    assert response.headers["allow"] == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
    body = response.json()
    assert body["name"] == "Institution User Instance" and list(body["actions"]) == ["PUT"]
    put = body["actions"]["PUT"]
    assert put["username"]["required"] and put["uid"]["required"] and not put["email"]["required"]
    # DRF's get_object() fails before PUT: no actions at all, still 200
    missing = client.options(f"{USERS}999999/", headers=headers)
    assert missing.status_code == 200 and "actions" not in missing.json()
    # an id the spec types as an integer: 404 for OPTIONS too, with DRF's Allow (a documented choice)
    word = client.options("/api/v2/institution/1/course/abc/", headers=headers)
    assert (word.status_code, word.json()) == (404, {"detail": "Not found."})
    assert word.headers["allow"] == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"


def test_read_only_routes_have_no_actions(client) -> None:
    headers = login(client, "manager@tesla.example")
    instruments = client.options("/api/v2/institution/1/instrument/", headers=headers)
    assert instruments.status_code == 200 and instruments.headers["allow"] == "GET, HEAD, OPTIONS"
    assert instruments.json() == {"name": "Institution Instrument List",
                                  "description": "API endpoint that allows instruments to be viewed.",
                                  "renders": RENDERS, "parses": PARSES}
    current = client.options("/api/v2/institution/1/ic/current/")  # public, an extra action
    assert current.status_code == 200 and current.json()["name"] == "Current" and "actions" not in current.json()


def test_actions_follow_the_callers_permission(client) -> None:
    member = client.options(USERS, headers=login(client, "member@tesla.example"))  # may read, may not create
    assert member.status_code == 200 and "actions" not in member.json()
    data_admin = client.options("/api/v2/institution/1/course/1/", headers=login(client, "data-admin@tesla.example"))
    assert list(data_admin.json()["actions"]) == ["PUT"]
    global_admin = client.options("/api/v2/institution/1/course/1/", headers=login(client, "admin@tesla.example"))
    assert global_admin.status_code == 200 and "actions" not in global_admin.json()  # read-only everywhere


def test_authentication_and_permission_come_first(client) -> None:
    no_token = client.options(USERS)
    assert (no_token.status_code, no_token.json()) == (403, NO_PERMISSION)
    assert no_token.headers["allow"] == "GET, POST, HEAD, OPTIONS"
    bad_token = client.options(USERS, headers={"Authorization": "JWT not.a.token"})
    assert bad_token.status_code == 401 and bad_token.json() == {"detail": "Invalid token: Invalid JWT token"}
    assert bad_token.headers["www-authenticate"] == "JWT" and bad_token.headers["allow"] == "GET, POST, HEAD, OPTIONS"
    other_institution = client.options("/api/v2/institution/2/user/", headers=login(client, "inst-admin@tesla.example"))
    assert other_institution.status_code == 403 and "allow" in other_institution.headers
    # public routes (no permission classes) answer without a token, a bad one still fails
    groups = client.options("/api/v2/institution/1/group/")
    assert groups.status_code == 200 and list(groups.json()["actions"]) == ["POST"]
    assert client.options("/api/v2/institution/1/group/", headers={"Authorization": "JWT x"}).status_code == 401


def test_auth_endpoints_and_nested_serializers(client) -> None:
    login_view = client.options("/api/v2/auth/login")
    assert login_view.status_code == 200 and login_view.headers["allow"] == "POST, OPTIONS"
    assert login_view.json()["name"] == "Login" and "actions" not in login_view.json()
    vles = client.options("/api/v2/institution/1/vle/", headers=login(client, "inst-admin@tesla.example")).json()
    vle_type = vles["actions"]["POST"]["type"]
    assert vle_type == {"type": "choice", "required": True, "read_only": False, "label": "Type",
                        "choices": [{"value": 0, "display_name": "MOODLE"}]}
    assert vles["actions"]["POST"]["lti"] == {"type": "field", "required": False, "read_only": True, "label": "Lti"}
    course = client.options("/api/v2/institution/1/course/1/", headers=login(client, "data-admin@tesla.example"))
    vle = course.json()["actions"]["PUT"]["vle"]
    assert (vle["type"], vle["read_only"]) == ("nested object", True)
    assert list(vle["children"])[:2] == ["id", "type"]


def test_options_with_origin_gets_the_cors_preflight_headers_too(client) -> None:
    response = client.options(USERS, headers={**login(client, "inst-admin@tesla.example"), "Origin": "http://ui.example"})
    assert response.status_code == 200 and response.json()["name"] == "Institution User List"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "DELETE, GET, OPTIONS, PATCH, POST, PUT"
    assert response.headers["access-control-max-age"] == "86400" and response.headers["vary"] == "origin"


def test_django_routing_still_comes_first(client) -> None:
    moved = client.options("/api/v2/institution/1/user", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == USERS and "allow" not in moved.headers
    dotted = client.options("/api/v2/institution/1/group/1.5/")  # Django's routers take no dot in an id
    assert dotted.status_code == 404 and dotted.headers["content-type"] == "text/html; charset=utf-8"


def test_without_a_cors_layer_a_preflight_is_a_plain_options(make_client) -> None:
    client = make_client(vendor="tesla", cors="off")
    preflight = {"Origin": "http://ui.example", "Access-Control-Request-Method": "POST"}
    refused = client.options(USERS, headers=preflight)
    assert refused.status_code == 403 and refused.headers["allow"] == "GET, POST, HEAD, OPTIONS"
    answered = client.options(USERS, headers={**preflight, **login(client, "inst-admin@tesla.example")})
    assert answered.status_code == 200 and answered.json()["name"] == "Institution User List"
    assert "vary" not in answered.headers and "access-control-allow-origin" not in answered.headers


def test_namespaced_options(client) -> None:
    headers = login(client, "inst-admin@tesla.example")
    response = client.options(f"/ns/options-job{USERS}", headers=headers)
    assert response.status_code == 200 and response.json()["name"] == "Institution User List"


LEARNER_UUID = "00000000-0000-4000-8000-000000000000"  # the learner routes take only a lower-case UUID


def _concrete(template: str) -> str:
    template = template.replace("{learner_id}", LEARNER_UUID) if "/lapi/" in template or "/attachment/" in template \
        else template
    return re.sub(r"\{language\}", "en", re.sub(r"\{[a-z_]+\}", "1", template))


def _drf_paths() -> dict:
    """The spec's paths that are DRF views (`x-drf-view: false` marks Django's own, e.g. /media/)."""
    return {template: item for template, item in SPEC.paths().items() if item.get("x-drf-view") is not False}


def test_every_spec_route_documents_and_answers_options(client) -> None:
    """The contract: each path documents its `options` operation; each answers DRF-style (a path
    without `x-drf-view` gets DRF's naming rule)."""
    headers = login(client, "manager@tesla.example")
    for template, item in _drf_paths().items():
        assert item["options"]["operationId"].startswith(metadata.OPERATION_PREFIX), template
        response = client.options(_concrete(template), headers=headers)
        assert response.status_code in (200, 403), (template, response.status_code, response.text)
        assert response.headers["allow"] == metadata.allow_header(metadata.methods_of(item)), template
        if response.status_code == 200:
            assert response.json()["name"] == metadata.view_name(template, item), template
            assert set(response.json().get("actions", {})) <= {m for m in ("POST", "PUT") if m.lower() in item}


def test_405_lists_drf_s_allow(client) -> None:
    wrong = client.post("/api/v2/institution/1/instrument/", json={}, headers=login(client, "manager@tesla.example"))
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(("template", "name"), [
    ("/api/v2/vle/{vle_id}/course/", "Vle Course List"),
    ("/api/v2/vle/{vle_id}/course/{course_id}/activity/{id}/", "Vle Course Activity Instance"),
    ("/lapi/v1/profile/{institution_id}/{learner_id}/", "Profile Instance"),
    ("/api/v2/institution/{institution_id}/send_learner/", "Institution Send Learner List"),
])
def test_drf_naming_rule_without_x_drf_view(template: str, name: str) -> None:
    assert all(item.get("x-drf-view", {}).get("name") for item in _drf_paths().values())  # the existing paths name theirs
    assert metadata.view_name(template, {}) == name
    assert metadata.view_name(template, {"x-drf-view": {"name": "Given"}}) == "Given"


def test_allow_header_order() -> None:
    assert metadata.allow_header(["DELETE", "GET", "PATCH", "PUT"]) == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
    assert metadata.allow_header(["POST"]) == "POST, OPTIONS"
    assert metadata.allow_header(["POST", "DELETE"]) == "POST, DELETE, OPTIONS"


def test_serializer_info_merges_all_of_and_takes_required_from_the_request() -> None:
    fields = metadata.serializer_info(SPEC, "/api/v2/institution/{institution_id}/user/", "POST")
    required = {name for name, info in fields.items() if info["required"]}
    assert required == {"username", "uid", "password", "first_name", "last_name", "email"}
    assert all(not info["required"] for info in fields.values() if info["read_only"])


def test_near_misses_leave_the_options_operations_out(client) -> None:
    client.get("/api/v2/institution/1/usr/")
    client.options("/api/v2/institution/1/usr/")
    by_method = {e["method"]: e["near_misses"] for e in client.get("/__admin/requests/unmatched").json()["requests"]}
    assert by_method["GET"] and all(miss["method"] != "OPTIONS" for miss in by_method["GET"])
    assert by_method["OPTIONS"][0] == {"method": "OPTIONS", "path": "/api/v2/institution/{institution_id}/user/",
                                       "score": by_method["OPTIONS"][0]["score"]}
