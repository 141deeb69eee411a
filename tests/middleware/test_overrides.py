"""QA toolkit item 1: per-request overrides (`Prefer: code=N`, `X-Mock-Status`, `X-Mock-Delay`) on all
three vendors. The forced statuses come from each vendor's spec, so the tests follow the contract."""

from __future__ import annotations

import json
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from lxml import etree

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from mockserver.core.yamlcache import load_yaml
from server_support import thread_server

ROOT = Path(__file__).parents[2]
TITUS = {"Authorization": "Bearer titus-admin-token"}
LITMOS = {"apikey": "litmos-demo-key"}
LITMOS_USERS = "/litmos/v1.svc/users?source=qa"
TESLA_USERS = "/tesla/api/v2/institution/1/user/"
NEW_TITUS_USER = {"username": "qa.override", "firstname": "Qa", "lastname": "Override", "email": "qa.override@example.org"}
NEW_LITMOS_USER = {"UserName": "qa.override", "FirstName": "Qa", "LastName": "Override", "Email": "qa.override@example.org",
                   "AccessLevel": "Learner", "DisableMessages": True, "Active": True, "IsCustomUsername": True}
NEW_TESLA_USER = {"username": "qa.override", "password": "Qa-override-1", "uid": "qa-override-01",
                  "email": "qa.override@example.org", "first_name": "Qa", "last_name": "Override"}


def documented_errors(vendor: str, path: str, method: str) -> list[int]:
    """The error statuses (>= 400) the vendor's spec documents for one operation."""
    spec = load_yaml(ROOT / "specs" / vendor / "openapi.yaml", yaml.CSafeLoader)  # as the server reads it
    responses = spec["paths"][path][method]["responses"]
    return sorted(int(code) for code in responses if str(code).isdigit() and int(code) >= 400)


TITUS_CREATE = documented_errors("titus", "/user", "post")
LITMOS_CREATE = documented_errors("litmos", "/users", "post")
TESLA_CREATE = documented_errors("tesla", "/api/v2/institution/{institution_id}/user/", "post")
HOW = ["prefer", "x-mock-status"]


def force(code: int | str, how: str) -> dict[str, str]:
    return {"Prefer": f"code={code}"} if how == "prefer" else {"X-Mock-Status": str(code)}


@pytest.fixture
def client(all_module_client: TestClient) -> TestClient:
    """The module's all-vendor app as the previous test left it."""
    return all_module_client


@pytest.fixture
def fresh(all_client: TestClient) -> TestClient:
    return all_client


def tesla_login(client: Any) -> dict[str, str]:
    response = client.post("/tesla/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"JWT {response.json()['token']['access_token']}"}


def assert_mock_refusal(response: Any, *words: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["x-mock-source"] == "lms-mockserver"
    body = response.json()
    assert (body["error"], body["source"]) == ("bad_override", "lms-mockserver")
    for word in words:
        assert word in body["message"]


# -- forced statuses: each vendor's own rendering ------------------------------------------------

def test_spec_lists_are_read() -> None:
    # The parametrised matrices below must not be empty by accident.
    assert 409 in TITUS_CREATE and 401 in TITUS_CREATE and 503 not in TITUS_CREATE
    assert 503 in LITMOS_CREATE and 409 in LITMOS_CREATE
    assert 500 in TESLA_CREATE and 409 not in TESLA_CREATE


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("code", TITUS_CREATE)
def test_titus_forced_status_is_moodle_json(client: TestClient, code: int, how: str) -> None:
    response = client.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers={**TITUS, **force(code, how)})
    assert response.status_code == code
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"exception", "errorcode", "message"}
    assert all(isinstance(value, str) and value for value in body.values())
    assert "x-mock-source" not in response.headers
    assert ("www-authenticate" in response.headers) == (code == 401)


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("code", LITMOS_CREATE)
def test_litmos_forced_status_is_xml_detail_by_default(client: TestClient, code: int, how: str) -> None:
    response = client.post(LITMOS_USERS, content=b"<User/>",
                           headers={**LITMOS, "Content-Type": "application/xml", **force(code, how)})
    assert response.status_code == code
    assert response.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert etree.QName(root).localname == "Detail" and root.text
    if code == 503:
        assert root.text == "Rating Limit Exceeded"
    assert "x-mock-source" not in response.headers


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("code", LITMOS_CREATE)
def test_litmos_forced_status_is_json_detail_with_format_json(client: TestClient, code: int, how: str) -> None:
    response = client.post(f"{LITMOS_USERS}&format=json", json=NEW_LITMOS_USER, headers={**LITMOS, **force(code, how)})
    assert response.status_code == code
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["Detail"] and isinstance(body["Detail"], str) and body["Detail"]
    if code == 503:
        assert body == {"Detail": "Rating Limit Exceeded"}


def test_litmos_forced_503_on_a_read_is_xml_by_default(client: TestClient) -> None:
    assert 503 in documented_errors("litmos", "/users", "get")
    response = client.get(LITMOS_USERS, headers={**LITMOS, "Prefer": "code=503"})
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/xml")
    assert etree.fromstring(response.content).text == "Rating Limit Exceeded"
    as_json = client.get(f"{LITMOS_USERS}&format=json", headers={**LITMOS, "Prefer": "code=503"})
    assert (as_json.status_code, as_json.json()) == (503, {"Detail": "Rating Limit Exceeded"})


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("code", TESLA_CREATE)
def test_tesla_forced_status_is_drf_detail(client: TestClient, code: int, how: str) -> None:
    response = client.post(TESLA_USERS, json=NEW_TESLA_USER, headers=force(code, how))
    assert response.status_code == code
    assert "x-mock-source" not in response.headers
    if code == 500:  # Django's crash page, not JSON
        assert response.headers["content-type"].startswith("text/html")
        with pytest.raises(ValueError):
            json.loads(response.text)
        return
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str) and body["detail"]
    assert (response.headers.get("www-authenticate") == "JWT") == (code == 401)


# -- the operation does not run ------------------------------------------------------------------

def test_forced_titus_409_creates_nothing(fresh: TestClient) -> None:
    before = fresh.get("/__admin/state/titus").json()
    forced = fresh.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers={**TITUS, "Prefer": "code=409"})
    assert forced.status_code == 409
    assert fresh.get("/__admin/state/titus").json() == before
    # The same request without the override does create the user (so the check above could fail).
    assert fresh.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS).status_code == 201
    assert fresh.get("/__admin/state/titus").json() != before


def test_forced_litmos_409_creates_nothing(fresh: TestClient) -> None:
    before = fresh.get("/__admin/state/litmos").json()
    forced = fresh.post(f"{LITMOS_USERS}&format=json", json=NEW_LITMOS_USER, headers={**LITMOS, "X-Mock-Status": "409"})
    assert forced.status_code == 409
    assert fresh.get("/__admin/state/litmos").json() == before
    real = fresh.post(f"{LITMOS_USERS}&format=json", json=NEW_LITMOS_USER, headers=LITMOS)
    assert real.status_code == 201, real.text
    names = [row["UserName"] for row in fresh.get("/__admin/state/litmos").json()["tables"]["users"]["rows"]]
    assert "qa.override" in names


def test_forced_tesla_400_creates_nothing(fresh: TestClient) -> None:
    admin = tesla_login(fresh)
    before = fresh.get("/__admin/state/tesla").json()["tables"]["users"]
    forced = fresh.post(TESLA_USERS, json=NEW_TESLA_USER, headers={**admin, "Prefer": "code=400"})
    assert forced.status_code == 400
    assert fresh.get("/__admin/state/tesla").json()["tables"]["users"] == before
    real = fresh.post(TESLA_USERS, json=NEW_TESLA_USER, headers=admin)
    assert real.status_code == 201, real.text
    assert fresh.get("/__admin/state/tesla").json()["tables"]["users"] != before


# -- refusals: the mock's own 400 ----------------------------------------------------------------

@pytest.mark.parametrize(("method", "url", "headers", "words"), [
    ("GET", "/titus/api/v1/user/5", {**TITUS, "X-Mock-Status": "503"}, ("503", "400, 401, 403, 404, 406")),
    ("POST", TESLA_USERS, {"Prefer": "code=409"}, ("409",)),
    ("GET", "/titus/api/v1/user/5", {**TITUS, "X-Mock-Status": "abc"}, ("abc",)),
    ("GET", "/titus/api/v1/user/5", {**TITUS, "X-Mock-Status": "200"}, ()),
    ("GET", "/titus/api/v1/user/5", {**TITUS, "Prefer": "code=302"}, ()),
    ("GET", "/titus/api/v1/user/5", {**TITUS, "X-Mock-Status": "600"}, ()),
    ("GET", LITMOS_USERS, {**LITMOS, "X-Mock-Status": "-404"}, ()),
    ("GET", "/titus/api/v1/user/5", {**TITUS, "Prefer": "code=401", "X-Mock-Status": "404"}, ("disagree",)),
    ("GET", "/titus/api/v1/no-such-route", {**TITUS, "X-Mock-Status": "404"}, ("/no-such-route",)),
    ("GET", "/tesla/api/v2/auth/login", {"X-Mock-Status": "404"}, ()),  # POST-only route
    ("GET", "/titus/api/v1/user/5", {**TITUS, "X-Mock-Delay": "-1"}, ("X-Mock-Delay",)),
    ("GET", "/titus/api/v1/user/5", {**TITUS, "X-Mock-Delay": "soon"}, ("X-Mock-Delay",)),
    ("GET", LITMOS_USERS, {**LITMOS, "X-Mock-Delay": "60001"}, ("X-Mock-Delay",)),
    ("GET", LITMOS_USERS, {**LITMOS, "X-Mock-Delay": "nan"}, ("X-Mock-Delay",)),
    ("GET", LITMOS_USERS, {**LITMOS, "X-Mock-Delay": "inf"}, ("X-Mock-Delay",)),
], ids=["undocumented-titus-503", "undocumented-tesla-409", "non-numeric", "200", "302", "600", "negative",
        "disagree", "unknown-route", "wrong-method", "delay-negative", "delay-text", "delay-too-long",
        "delay-nan", "delay-inf"])
def test_bad_overrides_get_the_mocks_own_400(client: TestClient, method: str, url: str,
                                              headers: dict[str, str], words: tuple[str, ...]) -> None:
    assert_mock_refusal(client.request(method, url, headers=headers), *words)


@pytest.mark.parametrize("value", [b"\xb2", b"4\xb904", b"\xb3\xb3\xb3"])
def test_non_ascii_digits_are_refused_not_a_crash(client: TestClient, value: bytes) -> None:
    # str.isdigit() is true for superscripts, which int() rejects: this used to be a 500.
    response = client.get("/titus/api/v1/user/5", headers=[(b"Authorization", TITUS["Authorization"].encode()),
                                                            (b"X-Mock-Status", value)])
    assert_mock_refusal(response)


def test_refused_override_runs_nothing(fresh: TestClient) -> None:
    before = fresh.get("/__admin/state/titus").json()
    refused = fresh.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers={**TITUS, "X-Mock-Status": "503"})
    assert_mock_refusal(refused, "503")
    assert fresh.get("/__admin/state/titus").json() == before


def test_agreeing_prefer_and_x_mock_status_are_fine(client: TestClient) -> None:
    response = client.get("/titus/api/v1/user/5", headers={**TITUS, "Prefer": "code=404", "X-Mock-Status": "404"})
    assert response.status_code == 404
    assert response.json()["errorcode"] == "invalidrecord"


def test_prefer_with_other_preferences(client: TestClient) -> None:
    response = client.get("/titus/api/v1/user/5", headers={**TITUS, "Prefer": "return=minimal, code=404"})
    assert (response.status_code, response.json()["exception"]) == (404, "dml_missing_record_exception")
    quoted = client.get("/titus/api/v1/user/5", headers={**TITUS, "Prefer": 'respond-async, code="403"'})
    assert quoted.status_code == 403
    normal = client.get("/titus/api/v1/user/5", headers={**TITUS, "Prefer": "return=minimal"})
    assert (normal.status_code, normal.json()["id"]) == (200, 5)


def test_journal_names_the_override(fresh: TestClient) -> None:
    fresh.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers={**TITUS, "Prefer": "code=409"})
    fresh.get("/titus/api/v1/user/5", headers=TITUS)
    entries = fresh.get("/__admin/requests?limit=10").json()["requests"]
    by_method = {entry["method"]: entry for entry in entries if entry["vendor"] == "titus"}
    assert by_method["POST"]["fault"] == "override:409"
    assert by_method["POST"]["status"] == 409
    assert by_method["GET"]["fault"] is None


def test_x_mock_delay_delays_the_real_answer(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.get("/titus/api/v1/user/5", headers={**TITUS, "X-Mock-Delay": "300"})
    elapsed = time.perf_counter() - started
    assert (response.status_code, response.json()["id"]) == (200, 5)
    assert 0.3 <= elapsed < 5
    entry = client.get("/__admin/requests?limit=1").json()["requests"][0]
    assert entry["duration_ms"] >= 300
    assert entry["fault"] == "override-delay:300ms"


def test_x_mock_delay_with_a_forced_status(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.get("/tesla/api/v2/institution/1/user/", headers={"X-Mock-Delay": "100", "Prefer": "code=403"})
    assert response.status_code == 403
    assert time.perf_counter() - started >= 0.1


# -- a real server: a delay holds up nothing else ------------------------------------------------

@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with thread_server(vendor="litmos") as base:
        yield base


def test_delayed_request_does_not_block_others(server: str) -> None:
    users = "/v1.svc/users?source=qa&format=json&limit=1"
    delayed: dict[str, float] = {}

    def slow() -> None:
        with httpx.Client(base_url=server, timeout=10) as http:
            response = http.get(users, headers={**LITMOS, "X-Mock-Delay": "2000"})
            delayed["status"] = response.status_code
            delayed["done"] = time.perf_counter()

    started = time.perf_counter()
    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.1)  # let the delayed request reach the server first
    finished = []
    with httpx.Client(base_url=server, timeout=10) as http:
        for _ in range(20):
            response = http.get(users, headers=LITMOS)
            assert response.status_code == 200
            finished.append(time.perf_counter())
    thread.join(timeout=10)
    assert delayed["status"] == 200
    assert delayed["done"] - started >= 2.0
    assert max(finished) < delayed["done"] - 1.0
    assert max(finished) - started < 1.5


def test_litmos_503_reason_phrase_on_the_wire(server: str) -> None:
    response = httpx.get(f"{server}/v1.svc/users?source=qa", headers={**LITMOS, "Prefer": "code=503"}, timeout=10)
    assert response.status_code == 503
    assert response.reason_phrase == "Rating Limit Exceeded"
    assert "x-mockserver-reason" not in response.headers
    assert etree.fromstring(response.content).text == "Rating Limit Exceeded"
