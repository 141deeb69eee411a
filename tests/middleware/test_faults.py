"""QA toolkit item 2: fault rules (`/__admin/faults`) on all three vendors: validation, counting,
matching, every action type, seeded randomness, and drop/reset on a real server."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lxml import etree

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from asgi_support import InlineClient
from conftest import app_client
from server_support import thread_server
from mockserver.middleware.faults import ConnectionDropped

TITUS = {"Authorization": "Bearer titus-admin-token"}
READONLY = {"Authorization": "Bearer titus-readonly-token"}
LITMOS = {"apikey": "litmos-demo-key"}
USER5 = "/titus/api/v1/user/5"
LITMOS_USERS = "/litmos/v1.svc/users?source=qa"
TESLA_USERS = "/tesla/api/v2/institution/1/user/"
NEW_TITUS_USER = {"username": "qa.fault", "firstname": "Qa", "lastname": "Fault", "email": "qa.fault@example.org"}
NEW_LITMOS_USER = {"UserName": "qa.fault", "FirstName": "Qa", "LastName": "Fault", "Email": "qa.fault@example.org",
                   "AccessLevel": "Learner", "DisableMessages": True, "Active": True, "IsCustomUsername": True}


@pytest.fixture
def client(all_client: TestClient) -> TestClient:
    """The module's app, reset (state, journal, fault rules) before each test."""
    assert all_client.get("/__admin/faults").json() == {"faults": []}
    return all_client


@pytest.fixture
def shared(all_module_client: TestClient) -> TestClient:
    """The module's app as it is, for tests that reset it themselves."""
    return all_module_client


@pytest.fixture
def clean(all_module_client: TestClient) -> TestClient:
    """The module's app with no fault rules, for tests that change no state (cheaper than a reset)."""
    all_module_client.delete("/__admin/faults")
    assert all_module_client.get("/__admin/faults").json() == {"faults": []}
    return all_module_client


def add(client: Any, rule: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/__admin/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def fault_of(client: Any, rule_id: str) -> dict[str, Any]:
    response = client.get(f"/__admin/faults/{rule_id}")
    assert response.status_code == 200, response.text
    return response.json()


def counters(client: Any, rule_id: str) -> tuple[int, int, int | None]:
    rule = fault_of(client, rule_id)
    return rule["matched"], rule["applied"], rule["remaining"]


def titus_usernames(client: Any) -> list[str]:
    return [row["username"] for row in client.get("/__admin/state/titus").json()["tables"]["users"]["rows"]]


def tesla_login(client: Any) -> dict[str, str]:
    response = client.post("/tesla/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"JWT {response.json()['token']['access_token']}"}


def teapot(match: dict[str, Any], **rule: Any) -> dict[str, Any]:
    """A rule whose hits are unmistakable: a 418 with a JSON body of our own."""
    return {"match": match, "action": {"type": "status", "status": 418, "body": {"fault": True}}, **rule}


def hit(response: Any) -> bool:
    return response.status_code == 418


# -- validation ----------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", [
    {"match": {}, "action": {"type": "explode"}},
    {"match": {}, "action": {"type": "status"}},
    {"match": {}, "action": {"type": "status", "status": 99, "body": "x"}},
    {"match": {}, "action": {"type": "status", "status": 600}},
    {"match": {}, "action": {"type": "status", "status": 200}},  # no body: only error statuses
    {"match": {}, "action": {"type": "delay", "delay_ms": 60001}},
    {"match": {}, "action": {"type": "delay", "delay_ms": -1}},
    {"match": {}, "action": {"type": "delay"}},
    {"match": {}, "action": {"type": "delay", "delay_ms": 10, "delay_max_ms": 5}},
    {"match": {}, "action": {"type": "status", "status": 500, "colour": "red"}},
    {"match": {}, "action": {"type": "status", "status": 500}, "colour": "red"},
    {"match": {"colour": "red"}, "action": {"type": "status", "status": 500}},
    {"match": {"path_regex": "(unclosed"}, "action": {"type": "status", "status": 500}},
    {"match": {}, "action": {"type": "status", "status": 500}, "percent": 0},
    {"match": {}, "action": {"type": "status", "status": 500}, "percent": 101},
    {"match": {}, "action": {"type": "status", "status": 500}, "times": 0},
    {"match": {}, "action": {"type": "drop", "headers": {"X-A": "b"}}},
    {"match": {}, "action": {"type": "empty", "body": "x"}},
    {"match": {}, "action": {"type": "status", "status": 500, "when": "during"}},
    {"match": {}},
], ids=["unknown-type", "status-missing", "body-status-99", "status-600", "status-200-no-body", "delay-60001",
        "delay-negative", "delay-missing", "delay-max-below-min", "unknown-action-key", "unknown-rule-key",
        "unknown-match-key", "bad-regex", "percent-0", "percent-101", "times-0", "drop-headers", "empty-body",
        "bad-when", "no-action"])
def test_bad_rules_are_refused(clean: TestClient, rule: dict[str, Any]) -> None:
    response = clean.post("/__admin/faults", json=rule)
    assert response.status_code == 400, response.text
    assert response.json()["source"] == "lms-mockserver"
    assert response.headers["x-mock-source"] == "lms-mockserver"
    assert clean.get("/__admin/faults").json() == {"faults": []}


def test_rule_ids_location_and_listing(client: TestClient) -> None:
    response = client.post("/__admin/faults", json=teapot({"vendor": "titus"}, name="first"))
    assert response.status_code == 201
    rule = response.json()
    assert rule["id"] == "fault-1" and response.headers["location"].endswith("/__admin/faults/fault-1")
    assert (rule["name"], rule["times"], rule["percent"], rule["priority"]) == ("first", None, None, 0)
    assert (rule["matched"], rule["applied"], rule["remaining"]) == (0, 0, None)
    assert add(client, teapot({"vendor": "litmos"}))["id"] == "fault-2"
    assert [r["id"] for r in client.get("/__admin/faults").json()["faults"]] == ["fault-1", "fault-2"]
    assert client.get("/__admin/faults/fault-99").status_code == 404


# -- counting, priority, one rule per request ----------------------------------------------------

def test_times_two_then_normal(client: TestClient) -> None:
    rule = add(client, {"match": {"vendor": "titus", "path": "/user/5"},
                        "action": {"type": "status", "status": 404}, "times": 2})
    assert counters(client, rule["id"]) == (0, 0, 2)
    first = client.get(USER5, headers=TITUS)
    assert (first.status_code, first.json()["errorcode"]) == (404, "invalidrecord")
    assert counters(client, rule["id"]) == (1, 1, 1)
    assert client.get(USER5, headers=TITUS).status_code == 404
    assert counters(client, rule["id"]) == (2, 2, 0)
    third = client.get(USER5, headers=TITUS)
    assert (third.status_code, third.json()["id"]) == (200, 5)
    assert counters(client, rule["id"]) == (2, 2, 0)  # spent: listed, inert, no longer counting
    assert [r["id"] for r in client.get("/__admin/faults").json()["faults"]] == [rule["id"]]


def test_priority_order_and_one_rule_per_request(client: TestClient) -> None:
    low = add(client, {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 403}})
    high = add(client, {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 401}, "priority": 5,
                        "times": 1})
    tie = add(client, {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 404}})
    order = [r["id"] for r in client.get("/__admin/faults").json()["faults"]]
    assert order == [high["id"], low["id"], tie["id"]]
    assert client.get(USER5, headers=TITUS).status_code == 401
    assert client.get(USER5, headers=TITUS).status_code == 403  # high spent; equal priority: first added
    assert counters(client, high["id"]) == (1, 1, 0)
    assert counters(client, low["id"])[:2] == (1, 1)
    assert counters(client, tie["id"])[:2] == (0, 0)  # never even looked at: one rule per request


def test_percent_miss_falls_through_to_the_next_rule(client: TestClient) -> None:
    tiny = add(client, {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 401},
                        "percent": 0.0001, "priority": 1})
    fallback = add(client, {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 404}})
    assert client.get(USER5, headers=TITUS).status_code == 404
    assert counters(client, tiny["id"])[:2] == (1, 0)
    assert counters(client, fallback["id"])[:2] == (1, 1)


def test_times_counts_applications_not_matches(client: TestClient) -> None:
    rule = add(client, {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 404},
                        "percent": 50, "times": 3})
    statuses = [client.get(USER5, headers=TITUS).status_code for _ in range(30)]
    assert statuses.count(404) == 3 and statuses.count(200) == 27
    matched, applied, remaining = counters(client, rule["id"])
    assert (applied, remaining) == (3, 0) and 3 <= matched < 30


# -- matching ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("match", "yes", "no"), [
    ({"vendor": "litmos"}, ("GET", LITMOS_USERS, LITMOS), ("GET", USER5, TITUS)),
    ({"method": ["POST", "DELETE"]}, ("DELETE", "/titus/api/v1/user/5", TITUS), ("GET", USER5, TITUS)),
    ({"method": "get", "vendor": "titus"}, ("GET", USER5, TITUS), ("POST", "/titus/api/v1/user", TITUS)),
    ({"path_glob": "/user/*"}, ("GET", USER5, TITUS), ("GET", "/titus/api/v1/users", TITUS)),
    ({"path_glob": "/api/v2/**/user/"}, ("GET", TESLA_USERS, {}), ("GET", "/tesla/api/v2/institution/1/", {})),
    ({"path_glob": "/users/*"}, ("GET", "/litmos/v1.svc/users/abc?source=qa", LITMOS),
     ("GET", LITMOS_USERS, LITMOS)),
    ({"path_regex": r"^/user/\d+$"}, ("GET", USER5, TITUS), ("GET", "/titus/api/v1/users", TITUS)),
    ({"path": "/users", "vendor": "litmos"}, ("GET", LITMOS_USERS, LITMOS), ("GET", "/litmos/v1.svc/teams?source=qa", LITMOS)),
    ({"query": {"source": "qa"}}, ("GET", LITMOS_USERS, LITMOS), ("GET", "/litmos/v1.svc/users?source=other", LITMOS)),
    ({"query": {"format": "*"}}, ("GET", f"{LITMOS_USERS}&format=json", LITMOS), ("GET", LITMOS_USERS, LITMOS)),
    ({"query": {"format": None}, "vendor": "litmos"}, ("GET", LITMOS_USERS, LITMOS),
     ("GET", f"{LITMOS_USERS}&format=json", LITMOS)),
    ({"headers": {"X-Test-Run": "blue"}}, ("GET", USER5, {**TITUS, "X-Test-Run": "blue"}),
     ("GET", USER5, {**TITUS, "X-Test-Run": "green"})),
    ({"credential": "titus-admin-token"}, ("GET", USER5, TITUS), ("GET", USER5, READONLY)),
    ({"credential": "litmos-demo-key"}, ("GET", LITMOS_USERS, LITMOS),
     ("GET", LITMOS_USERS, {"apikey": "litmos-admin-key"})),
    ({"credential": "litmos-demo-key"}, ("GET", f"{LITMOS_USERS}&apikey=litmos-demo-key", {}),
     ("GET", f"{LITMOS_USERS}&apikey=litmos-admin-key", {})),
], ids=["vendor", "method-list", "method-lowercase", "glob-one-segment", "glob-many", "glob-litmos", "regex",
        "exact-path", "query-value", "query-present", "query-absent", "header-value", "credential-titus",
        "credential-litmos-header", "credential-litmos-query"])
def test_match(clean: TestClient, match: dict[str, Any], yes: tuple, no: tuple) -> None:
    rule = add(clean, teapot(match))
    assert hit(clean.request(yes[0], yes[1], headers=yes[2]))
    assert not hit(clean.request(no[0], no[1], headers=no[2]))
    assert counters(clean, rule["id"])[:2] == (1, 1)


def test_match_tesla_jwt_credential(client: TestClient) -> None:
    admin = tesla_login(client)
    token = admin["Authorization"].split(" ", 1)[1]
    add(client, teapot({"vendor": "tesla", "credential": token}))
    assert hit(client.get(TESLA_USERS, headers=admin))
    other = client.post("/tesla/api/v2/auth/login", json={"email": "manager@tesla.example", "password": "tesla-admin"})
    assert other.status_code == 200
    manager = {"Authorization": f"JWT {other.json()['token']['access_token']}"}
    assert not hit(client.get(TESLA_USERS, headers=manager))
    assert not hit(client.get(TESLA_USERS))



def test_match_request_body(client: TestClient) -> None:
    """The pattern language has `body`/`body_contains`; a fault rule using them must see the body."""
    add(client, teapot({"vendor": "titus", "body_contains": "qa.fault"}))
    assert hit(client.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS))


def test_delete_one_all_and_by_vendor(client: TestClient) -> None:
    first = add(client, teapot({"vendor": "titus"}))
    second = add(client, teapot({"vendor": "litmos"}))
    assert client.delete(f"/__admin/faults/{first['id']}").json() == {"removed": 1}
    assert client.delete(f"/__admin/faults/{first['id']}").status_code == 404
    assert client.get(USER5, headers=TITUS).status_code == 200
    assert hit(client.get(LITMOS_USERS, headers=LITMOS))
    add(client, teapot({"vendor": "titus"}))
    add(client, teapot({"vendor": "tesla"}))
    assert client.delete("/__admin/faults?vendor=titus").json() == {"removed": 1}
    assert [r["match"].get("vendor") for r in client.get("/__admin/faults").json()["faults"]] == ["litmos", "tesla"]
    assert client.get(USER5, headers=TITUS).status_code == 200
    assert client.delete("/__admin/faults").json() == {"removed": 2}
    assert client.get("/__admin/faults").json() == {"faults": []}
    assert client.get(LITMOS_USERS, headers=LITMOS).status_code == 200
    assert second["id"] == "fault-2"


# -- status actions ------------------------------------------------------------------------------

def test_status_with_vendor_bodies(client: TestClient) -> None:
    add(client, {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 401}})
    add(client, {"match": {"vendor": "litmos"}, "action": {"type": "status", "status": 503}})
    add(client, {"match": {"vendor": "tesla"}, "action": {"type": "status", "status": 401}})
    titus = client.get(USER5, headers=TITUS)
    assert titus.status_code == 401 and set(titus.json()) == {"exception", "errorcode", "message"}
    assert "www-authenticate" in titus.headers
    litmos = client.get(LITMOS_USERS, headers=LITMOS)
    assert litmos.status_code == 503 and litmos.headers["content-type"].startswith("application/xml")
    assert etree.fromstring(litmos.content).text == "Rating Limit Exceeded"
    as_json = client.get(f"{LITMOS_USERS}&format=json", headers=LITMOS)
    assert (as_json.status_code, as_json.json()) == (503, {"Detail": "Rating Limit Exceeded"})
    tesla = client.get(TESLA_USERS)
    assert tesla.status_code == 401 and list(tesla.json()) == ["detail"]
    assert tesla.headers["www-authenticate"] == "JWT"
    entries = [e for e in client.get("/__admin/requests?limit=20").json()["requests"] if e["vendor"] != "admin"]
    assert {e["vendor"]: e["fault"] for e in entries} == {"titus": "fault-1:status", "litmos": "fault-2:status",
                                                          "tesla": "fault-3:status"}


def test_status_with_own_json_and_text_bodies(client: TestClient) -> None:
    add(client, {"match": {"vendor": "titus"}, "times": 1,
                 "action": {"type": "status", "status": 502, "body": {"oops": [1, 2]},
                            "content_type": "application/problem+json", "headers": {"Retry-After": "7"}}})
    response = client.get(USER5, headers=TITUS)
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "7"
    assert response.json() == {"oops": [1, 2]}
    add(client, {"match": {"vendor": "tesla"}, "times": 1,
                 "action": {"type": "status", "status": 299, "body": "just text"}})
    text = client.get(TESLA_USERS)
    assert (text.status_code, text.text) == (299, "just text")
    assert text.headers["content-type"].startswith("text/plain")


def test_status_headers_on_a_vendor_body(client: TestClient) -> None:
    add(client, {"match": {"vendor": "litmos"},
                 "action": {"type": "status", "status": 503, "headers": {"Retry-After": "30"}}})
    response = client.get(f"{LITMOS_USERS}&format=json", headers=LITMOS)
    assert (response.status_code, response.json()) == (503, {"Detail": "Rating Limit Exceeded"})
    assert response.headers["retry-after"] == "30"


def test_status_fault_runs_nothing(client: TestClient) -> None:
    add(client, {"match": {"vendor": "titus", "method": "POST"}, "action": {"type": "status", "status": 409}})
    response = client.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert response.status_code == 409
    assert "qa.fault" not in titus_usernames(client)


def test_status_after_runs_the_operation(client: TestClient) -> None:
    add(client, {"match": {"vendor": "titus", "method": "POST"},
                 "action": {"type": "status", "status": 500, "when": "after"}})
    response = client.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert (response.status_code, response.json()["errorcode"]) == (500, "codingerror")
    assert "qa.fault" in titus_usernames(client)


# -- delays --------------------------------------------------------------------------------------

def timed(client: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    response = client.get(*args, **kwargs)
    return response, time.perf_counter() - started


def test_fixed_delay(client: TestClient) -> None:
    add(client, {"match": {"vendor": "titus"}, "action": {"type": "delay", "delay_ms": 250}, "times": 1})
    response, elapsed = timed(client, USER5, headers=TITUS)
    assert (response.status_code, response.json()["id"]) == (200, 5)
    assert 0.25 <= elapsed < 2
    _, normal = timed(client, USER5, headers=TITUS)
    assert normal < 0.25
    entry = client.get("/__admin/requests?limit=2").json()["requests"][1]
    assert entry["fault"] == "fault-1:delay"


def test_random_delay_within_bounds(client: TestClient) -> None:
    add(client, {"match": {"vendor": "litmos"}, "action": {"type": "delay", "delay_ms": 50, "delay_max_ms": 150}})
    measured = []
    for _ in range(5):
        response, elapsed = timed(client, f"{LITMOS_USERS}&format=json&limit=1", headers=LITMOS)
        assert response.status_code == 200
        measured.append(elapsed)
    assert all(0.05 <= t < 0.6 for t in measured)
    durations = [e["duration_ms"] for e in client.get("/__admin/requests?limit=5").json()["requests"]]
    assert all(50 <= d < 500 for d in durations)
    assert len({round(d) for d in durations}) > 1  # random, not fixed


def test_delay_with_a_status(client: TestClient) -> None:
    add(client, {"match": {"vendor": "tesla"}, "action": {"type": "status", "status": 403, "delay_ms": 120}})
    response, elapsed = timed(client, TESLA_USERS)
    assert response.status_code == 403 and elapsed >= 0.12
    assert client.get("/__admin/requests?limit=1").json()["requests"][0]["fault"] == "fault-1:status+delay:120ms"


def applied_pattern(seed: int) -> list[bool]:
    client = app_client(vendor="litmos", seed=seed)
    try:
        add(client, {"match": {}, "action": {"type": "status", "status": 503}, "percent": 50})
        pattern = [client.get("/v1.svc/users?source=qa&limit=1", headers=LITMOS).status_code == 503
                   for _ in range(40)]
        assert fault_of(client, "fault-1")["applied"] == sum(pattern)
        return pattern
    finally:
        client.close()


def test_percent_is_seeded_and_deterministic() -> None:
    first, again, other = applied_pattern(7), applied_pattern(7), applied_pattern(8)
    assert first == again
    assert 5 < sum(first) < 35  # about half
    assert other != first


# -- empty and malformed -------------------------------------------------------------------------

def test_empty_after_runs_the_operation(client: TestClient) -> None:
    rule = add(client, {"match": {"vendor": "titus", "method": "POST", "path": "/user"}, "action": {"type": "empty"}})
    assert rule["action"]["when"] == "after"
    response = client.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert response.status_code == 201
    assert response.content == b""
    assert client.get("/__admin/requests?limit=1").json()["requests"][0]["fault"] == "fault-1:empty"
    assert "qa.fault" in titus_usernames(client)


def test_malformed_after_runs_the_operation_titus(client: TestClient) -> None:
    add(client, {"match": {"vendor": "titus", "method": "POST"}, "action": {"type": "malformed"}})
    response = client.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert response.status_code == 201
    assert response.content
    with pytest.raises(ValueError):
        json.loads(response.content)
    assert "qa.fault" in titus_usernames(client)


def test_malformed_after_litmos_xml(client: TestClient) -> None:
    add(client, {"match": {"vendor": "litmos", "method": "POST"}, "action": {"type": "malformed"}})
    payload = etree.Element("User")
    for key, value in NEW_LITMOS_USER.items():
        etree.SubElement(payload, key).text = str(value).lower() if isinstance(value, bool) else value
    response = client.post(LITMOS_USERS, content=etree.tostring(payload),
                           headers={**LITMOS, "Content-Type": "application/xml"})
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/xml")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)
    rows = client.get("/__admin/state/litmos").json()["tables"]["users"]["rows"]
    assert "qa.fault" in [row["UserName"] for row in rows]


def test_malformed_after_tesla_json(client: TestClient) -> None:
    add(client, {"match": {"vendor": "tesla", "method": "GET"}, "action": {"type": "malformed"}})
    admin = tesla_login(client)
    response = client.get(TESLA_USERS, headers=admin)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.content)


@pytest.mark.parametrize("kind", ["empty", "malformed"])
def test_before_with_status_creates_nothing(client: TestClient, kind: str) -> None:
    add(client, {"match": {"vendor": "titus", "method": "POST"},
                 "action": {"type": kind, "when": "before", "status": 500}})
    response = client.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert response.status_code == 500
    if kind == "empty":
        assert response.content == b""
    else:
        with pytest.raises(ValueError):
            json.loads(response.content)
    assert "qa.fault" not in titus_usernames(client)


@pytest.mark.parametrize(("kind", "when"), [("drop", "before"), ("reset", "before"), ("drop", "after")])
def test_drop_in_process_raises(shared: TestClient, kind: str, when: str) -> None:
    assert shared.post("/__admin/reset").status_code == 200
    add(shared, {"match": {"vendor": "titus", "method": "POST"}, "action": {"type": kind, "when": when}})
    raising = InlineClient(shared.app, raise_server_exceptions=True)
    with pytest.raises(ConnectionDropped):
        raising.post("/titus/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert ("qa.fault" in titus_usernames(shared)) == (when == "after")


# -- reset clears rules --------------------------------------------------------------------------

def test_full_reset_clears_rules(client: TestClient) -> None:
    add(client, teapot({"vendor": "titus"}))
    assert client.post("/__admin/reset").status_code == 200
    assert client.get("/__admin/faults").json() == {"faults": []}
    assert client.get(USER5, headers=TITUS).status_code == 200


def test_vendor_reset_clears_only_that_vendors_rules(client: TestClient) -> None:
    add(client, teapot({"vendor": "titus"}))
    add(client, teapot({"vendor": "litmos"}))
    assert client.post("/__admin/reset?vendor=titus").status_code == 200
    assert [r["match"]["vendor"] for r in client.get("/__admin/faults").json()["faults"]] == ["litmos"]
    assert client.get(USER5, headers=TITUS).status_code == 200
    assert hit(client.get(LITMOS_USERS, headers=LITMOS))


# -- drop and reset on a real server -------------------------------------------------------------

@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with thread_server(vendor="titus") as base:
        yield base


@pytest.fixture
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=5) as client:
        assert client.post("/__admin/reset").status_code == 200
        yield client


@pytest.mark.parametrize("kind", ["drop", "reset"])
def test_cut_connection_gets_no_answer_and_server_keeps_serving(http: httpx.Client, kind: str) -> None:
    add(http, {"match": {"path": "/user/5"}, "action": {"type": kind}, "times": 1})
    with pytest.raises(httpx.TransportError):
        http.get("/api/v1/user/5", headers=TITUS)
    following = http.get("/api/v1/user/5", headers=TITUS)
    assert (following.status_code, following.json()["id"]) == (200, 5)
    entry = http.get("/__admin/requests?limit=2").json()["requests"][1]
    assert (entry["fault"], entry["path"]) == (f"fault-1:{kind}", "/api/v1/user/5")


def test_dropped_titus_create_then_retry_is_a_duplicate(http: httpx.Client) -> None:
    add(http, {"match": {"method": "POST", "path": "/user"}, "action": {"type": "drop", "when": "after"}, "times": 1})
    with pytest.raises(httpx.TransportError):
        http.post("/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert "qa.fault" in titus_usernames(http)
    retry = http.post("/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert (retry.status_code, retry.json()["errorcode"]) == (409, "usernameexists")


def test_reset_before_creates_nothing(http: httpx.Client) -> None:
    add(http, {"match": {"method": "POST"}, "action": {"type": "reset"}, "times": 1})
    with pytest.raises(httpx.TransportError):
        http.post("/api/v1/user", json=NEW_TITUS_USER, headers=TITUS)
    assert "qa.fault" not in titus_usernames(http)
    assert http.post("/api/v1/user", json=NEW_TITUS_USER, headers=TITUS).status_code == 201


def test_malformed_204_keeps_the_connection_usable(http: httpx.Client) -> None:
    """A 204 has no body to spoil: a byte after its head would break the next answer on the connection."""
    add(http, {"match": {"method": "DELETE"}, "action": {"type": "malformed"}, "times": 1})
    deleted = http.delete("/api/v1/user/7", headers=TITUS)
    assert (deleted.status_code, deleted.content, deleted.headers["content-length"]) == (204, b"", "0")
    following = http.get("/api/v1/user/5", headers=TITUS)  # the same kept-alive connection
    assert (following.status_code, following.json()["id"]) == (200, 5)
