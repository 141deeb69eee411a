"""/__admin/metrics: Prometheus text that prometheus-client's own parser reads, each family
moving when its event happens, and the admin API's own calls never counted."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

TITUS = {"Authorization": "Bearer titus-admin-token"}
LITMOS = {"apikey": "litmos-demo-key"}
USER5 = "/titus/api/v1/user/5"


def scrape(client: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/__admin/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def client(all_client: Any) -> Any:
    return all_client


def test_requests_and_latency_move_with_each_vendor_call(client: Any) -> None:
    before = scrape(client)
    for _ in range(3):
        assert client.get(USER5, headers=TITUS).status_code == 200
    assert client.get("/titus/api/v1/user/999999", headers=TITUS).status_code == 404
    after = scrape(client)
    labels = {"vendor": "titus", "operation": "get_user"}
    assert value(after, "lms_mock_requests_total", **labels, status="200") - \
        value(before, "lms_mock_requests_total", **labels, status="200") == 3
    assert value(after, "lms_mock_requests_total", **labels, status="404") - \
        value(before, "lms_mock_requests_total", **labels, status="404") == 1
    assert value(after, "lms_mock_request_duration_seconds_count", vendor="titus") - \
        value(before, "lms_mock_request_duration_seconds_count", vendor="titus") == 4


def test_admin_calls_and_health_checks_are_not_counted(client: Any) -> None:
    before = scrape(client)
    for _ in range(5):
        client.get("/__admin/health")
        client.get("/__admin/requests")
    after = scrape(client)
    assert not any(name == "lms_mock_requests_total" and dict(labels).get("vendor") == "admin"
                   for name, labels in after)
    assert {k: v for k, v in after.items() if k[0] == "lms_mock_requests_total"} == \
        {k: v for k, v in before.items() if k[0] == "lms_mock_requests_total"}


def test_paths_no_api_owns_count_as_unrouted(client: Any) -> None:
    before = scrape(client)
    assert client.get("/nowhere/at/all").status_code == 404
    after = scrape(client)
    labels = {"vendor": "none", "operation": "unrouted", "status": "404"}
    assert value(after, "lms_mock_requests_total", **labels) - value(before, "lms_mock_requests_total", **labels) == 1


def test_fault_rules_forced_statuses_and_rate_limits_are_counted(client: Any) -> None:
    before = scrape(client)
    rule = {"match": {"vendor": "titus"}, "action": {"type": "status", "status": 418, "body": {"fault": True}},
            "times": 1}
    assert client.post("/__admin/faults", json=rule).status_code == 201
    assert client.get(USER5, headers=TITUS).status_code == 418
    assert client.get(USER5, headers={**TITUS, "X-Mock-Status": "404"}).status_code == 404
    client.put("/__admin/ratelimits", json={"vendor": "litmos", "credential": "litmos-demo-key", "used": 100})
    assert client.get("/litmos/v1.svc/users?source=qa", headers=LITMOS).status_code == 503
    after = scrape(client)
    for name, labels in [("lms_mock_faults_fired_total", {"vendor": "titus", "action": "status"}),
                         ("lms_mock_forced_statuses_total", {"vendor": "titus", "status": "404"}),
                         ("lms_mock_rate_limited_total", {"vendor": "litmos"})]:
        assert value(after, name, **labels) - value(before, name, **labels) == 1, name


def test_journal_and_namespace_gauges_follow_the_state(client: Any) -> None:
    client.post("/__admin/reset?namespaces=drop")
    before = scrape(client)
    assert value(before, "lms_mock_journal_entries") == 0
    assert value(before, "lms_mock_namespaces_alive") == 0
    client.get(USER5, headers=TITUS)
    client.get("/ns/metrics-a" + USER5, headers=TITUS)
    client.get("/ns/metrics-b" + USER5, headers=TITUS)
    after = scrape(client)
    assert value(after, "lms_mock_journal_entries") == 3
    assert value(after, "lms_mock_namespaces_alive") == 2
    client.post("/__admin/reset?namespaces=drop")
    assert value(scrape(client), "lms_mock_namespaces_alive") == 0


def test_the_scrape_needs_the_admin_token_when_one_is_set(make_client: Any) -> None:
    guarded = make_client(admin_token="metrics-token-1")
    assert guarded.get("/__admin/metrics").status_code == 401
    answer = guarded.get("/__admin/metrics", headers={"Authorization": "Bearer metrics-token-1"})
    assert answer.status_code == 200 and "lms_mock_requests_total" in answer.text or \
        "lms_mock_requests" in answer.text
