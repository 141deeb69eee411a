"""Admin access control: the admin token, cross-site writes, secrets masked on export."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from conftest import app_client
from mockserver.core.yamlcache import load_yaml
from server_support import start_server, stop_server

TOKEN = "s3cret-admin-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
SPEC = load_yaml(Path("specs/admin/openapi.yaml"), yaml.CSafeLoader)  # as the server reads it


@pytest.fixture(scope="module")
def guarded() -> Iterator[TestClient]:
    client = app_client(admin_token=TOKEN)
    yield client
    client.close()


@pytest.fixture(scope="module")
def open_admin() -> Iterator[TestClient]:
    client = app_client()
    yield client
    client.close()


def every_admin_call() -> list[tuple[str, str, bool]]:
    """(method, path, open): an operation with `security: []` in the spec needs no token (health,
    the dashboard's static files); every other one does."""
    calls = []
    for path, item in SPEC["paths"].items():
        concrete = path.replace("{vendor}", "titus").replace("{id}", "fault-1").replace("{name}", "job-1") \
            .replace("{asset}", "app.js").replace("{table}", "users").replace("{record_id}", "5")
        calls += [(method.upper(), concrete, item[method].get("security") == []) for method in item
                  if method in ("get", "post", "put", "delete")]
    return calls


def test_only_health_and_the_dashboards_files_are_open() -> None:
    assert sorted(path for _, path, open_ in every_admin_call() if open_) == ["/health", "/ui/", "/ui/app.js"]


@pytest.mark.parametrize("method, path, open_", every_admin_call())
def test_with_a_token_set_no_admin_route_but_health_answers_without_it(guarded, method, path, open_) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}):
        for prefix in ("/__admin",) if open_ else ("/__admin", "/ns/job-9/__admin"):
            response = guarded.request(method, prefix + path, headers={**headers, "Content-Type": "application/json"},
                                       content=b"{}" if method in ("POST", "PUT") else None)
            if open_:
                assert response.status_code == 200
                continue
            assert response.status_code == 401, (method, prefix + path, headers, response.text)
            assert response.json()["error"] == "admin_token_required"
            assert response.headers["www-authenticate"] == 'Bearer realm="lms-mockserver admin"'
    assert "job-9" not in [n["name"] for n in guarded.get("/__admin/namespaces", headers=BEARER).json()["namespaces"]]


def test_the_token_opens_the_admin_api(guarded) -> None:
    assert guarded.get("/__admin/clock", headers=BEARER).status_code == 200
    assert guarded.post("/__admin/clock", json={"advance": "5s"}, headers=BEARER).json()["offset_seconds"] == 5.0
    assert guarded.post("/__admin/reset", headers=BEARER).status_code == 200


def test_vendor_routes_never_need_the_admin_token(guarded) -> None:
    assert guarded.get("/titus/api/v1/user/5", headers={"Authorization": "Bearer titus-admin-token"}).status_code == 200


@pytest.mark.parametrize("headers, content", [
    ({"Origin": "http://evil.example", "Content-Type": "application/json"}, b'{"advance": "1s"}'),
    ({"Origin": "null", "Content-Type": "application/json"}, b'{"advance": "1s"}'),
    ({"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, b'{"advance": "1s"}'),
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"advance=1s"),
    ({"Content-Type": "text/plain;charset=UTF-8"}, b'{"advance": "1s"}'),
    ({"Content-Type": "multipart/form-data; boundary=x"}, b"--x--"),
])
def test_cross_site_writes_are_refused_and_change_nothing(open_admin, headers, content) -> None:
    before = open_admin.get("/__admin/clock").json()["offset_seconds"]
    response = open_admin.post("/__admin/clock", content=content, headers=headers)
    assert response.status_code == 403 and response.json()["error"] == "cross_site_request"
    assert open_admin.get("/__admin/clock").json()["offset_seconds"] == before
    assert open_admin.post("/__admin/reset", headers={"Origin": "http://evil.example"}).status_code == 403


def test_same_origin_writes_and_cross_site_reads_pass(open_admin) -> None:
    assert open_admin.post("/__admin/reset", headers={"Origin": "http://testserver"}).status_code == 200
    assert open_admin.post("/__admin/clock", json={"advance": "1s"}, headers={"Origin": "http://testserver"}).status_code == 200
    assert open_admin.get("/__admin/clock", headers={"Origin": "http://evil.example"}).status_code == 200
    open_admin.post("/__admin/reset")


@pytest.mark.parametrize("vendor, secret_path", [
    ("titus", lambda s: s["tokens"][0]["token"]),
    ("litmos", lambda s: next(t for n, t in s["tables"].items() if n == "api_keys")["rows"][0]["Key"]),
    ("tesla", lambda s: s["tables"]["approles"]["rows"][0]["secret_id"]),
    ("tesla", lambda s: s["tables"]["vles"]["rows"][0]["lti"]["consumer_secret"]),
    ("tesla", lambda s: s["tables"]["users"]["rows"][0]["password_hash"]),
])
def test_state_export_masks_secrets_unless_asked(open_admin, vendor, secret_path) -> None:
    masked = open_admin.get(f"/__admin/state/{vendor}").json()
    assert secret_path(masked) == "***"
    full = open_admin.get(f"/__admin/state/{vendor}?secrets=true").json()
    assert secret_path(full) not in ("***", None)
    refused = open_admin.put(f"/__admin/state/{vendor}", json=masked)
    assert refused.status_code == 400 and refused.json()["error"] == "masked_secret"
    assert open_admin.get(f"/__admin/state/{vendor}?secrets=true").json() == full  # nothing changed
    assert open_admin.put(f"/__admin/state/{vendor}", json=full).status_code == 200


def test_the_seeded_credentials_are_nowhere_in_a_masked_export(open_admin) -> None:
    text = " ".join(open_admin.get(f"/__admin/state/{vendor}").text for vendor in ("titus", "litmos", "tesla"))
    for secret in ("titus-admin-token", "litmos-demo-key", "tesla-mock-secret", "6f1d0c2a9e7b4c85"):
        assert secret not in text


def test_a_server_beyond_loopback_without_a_token_says_so_loudly() -> None:
    base, proc = start_server("--host", "0.0.0.0", stdout=subprocess.DEVNULL)
    stop_server(proc)
    warning = proc.stderr.read()
    assert "WARNING: listening on 0.0.0.0:" in warning and "MOCKSERVER_ADMIN_TOKEN" in warning
    base, proc = start_server("--host", "0.0.0.0", env={"MOCKSERVER_ADMIN_TOKEN": TOKEN})
    stop_server(proc)
    errors = proc.stderr.read()
    assert "WARNING" not in errors and TOKEN not in errors
