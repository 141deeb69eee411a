"""The server's Prometheus metrics (prometheus-client), one registry per server.

Every family is bounded: vendors and operations come from the specs, statuses are three digits,
fault actions are the few the fault rules know; the journal and the namespaces are gauges read
at scrape time. Exposed at `/__admin/metrics` in Prometheus text format."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import CONTENT_TYPE_LATEST

from .outcome import Outcome

CONTENT_TYPE = CONTENT_TYPE_LATEST
# From a cached GET (about a millisecond) to the longest delay a fault rule or override may ask.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class ServerMetrics:
    """The families, registered in a registry of this server's own (servers in one process, as
    in a test run, never share counts)."""

    def __init__(self, journal_entries: Callable[[], float], namespaces_alive: Callable[[], float]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("lms_mock_requests", "Vendor requests answered, by vendor, operation and status",
                                ["vendor", "operation", "status"], registry=self.registry)
        self.latency = Histogram("lms_mock_request_duration_seconds", "Time to answer a vendor request, by vendor",
                                 ["vendor"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.faults = Counter("lms_mock_faults_fired", "Fault rules that fired, by vendor and action",
                              ["vendor", "action"], registry=self.registry)
        self.forced = Counter("lms_mock_forced_statuses", "Statuses forced with the override header",
                              ["vendor", "status"], registry=self.registry)
        self.rate_limited = Counter("lms_mock_rate_limited", "Requests refused by the vendor's rate limit",
                                    ["vendor"], registry=self.registry)
        Gauge("lms_mock_journal_entries", "Client calls held in the journals of every namespace",
              registry=self.registry).set_function(journal_entries)
        Gauge("lms_mock_namespaces_alive", "Named namespaces alive (the default one not counted)",
              registry=self.registry).set_function(namespaces_alive)

    def observe(self, outcome: Outcome) -> None:
        self.requests.labels(outcome.vendor, outcome.operation, str(outcome.status)).inc()
        self.latency.labels(outcome.vendor).observe(outcome.seconds)
        if outcome.fault_action is not None:
            self.faults.labels(outcome.vendor, outcome.fault_action).inc()
        if outcome.forced_status is not None:
            self.forced.labels(outcome.vendor, str(outcome.forced_status)).inc()
        if outcome.rate_limited:
            self.rate_limited.labels(outcome.vendor).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
