"""One namespace's live state: its clock, journal, fault rules and a backend per mounted vendor.

The default namespace (plain vendor URLs) is a realm like any other; the server (runtime.py)
holds it beside the named ones. A realm knows nothing of scenarios: what the server applies
after each reset arrives as `start`, anything with `apply` and `for_vendor`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from .config import Settings
from .core.clock import Clock
from .core.faults import FaultBook
from .core.journal import Journal
from .snapshots import Snapshot, SnapshotBook
from .vendors.base import Backend, Vendor

ADMIN_JOURNAL_SIZE = 100  # the admin API's own calls kept (`/__admin/requests?include=admin`)


class StartStep(Protocol):
    """Something re-applied to a realm after every reset (a startup scenario)."""

    def apply(self, realm: "Realm") -> dict[str, Any]: ...

    def for_vendor(self, vendor: str) -> "StartStep": ...


class Realm:
    """Everything a namespace owns. Its backends are forks of the server's sealed seeds (one per
    vendor, built once): a new realm or a reset shares the seed's rows and copies what it writes."""

    def __init__(self, name: str | None, settings: Settings, vendors: dict[str, Vendor],
                 seeds: Mapping[str, Backend], start: Sequence[StartStep] = ()) -> None:
        self.name = name
        self.settings = settings
        self.vendors = vendors
        self.seeds = seeds
        self.start = start
        self.clock = Clock()
        ids = itertools.count(1)
        # Client calls only: the admin API's own calls (a test's setup, a dashboard) go to a small
        # ring beside it, and health checks nowhere, so counts stay right however long it runs.
        self.journal = Journal(settings.journal_size, max_bytes=settings.journal_max_bytes, ids=ids)
        self.admin_journal = Journal(ADMIN_JOURNAL_SIZE, max_bytes=settings.journal_max_bytes // 8, ids=ids)
        self.faults = FaultBook(settings.seed)
        self.backends: dict[str, Backend] = {}
        self.snapshots = SnapshotBook()
        self.scenarios: list[dict[str, Any]] = []
        self.created = time.time()
        self.requests = 0
        self.reset()

    def reset(self, vendor: str | None = None) -> list[str]:
        """Back to the start state for one vendor or all: seeded data (ids included), counters,
        fault rules and journal; for all, also the clock and the startup scenarios."""
        names = [vendor] if vendor else list(self.vendors)
        if vendor is None:
            self.clock.reset()
            self.faults.clear()
            self.journal.clear()
            self.admin_journal.clear()
            self.snapshots.clear()
            self.scenarios = []
        else:
            self.faults.clear(vendor)
            self.journal.clear(vendor)
        for name in names:
            self.backends[name] = self.seeds[name].fork(self.clock)
        for step in self.start:
            if vendor is None:
                self.scenarios.append(step.apply(self))
            else:  # the vendor's part of the start state; the list of applied scenarios stands
                step.for_vendor(vendor).apply(self)
        return names

    def take_snapshot(self, name: str) -> Snapshot:
        """Every vendor's data as it is now, kept as `name` in this namespace."""
        return self.snapshots.take(name, self.backends, self.clock.now())

    def restore_snapshot(self, name: str) -> Snapshot:
        """Every vendor's data back to snapshot `name` (which stays, to restore again)."""
        snapshot = self.snapshots.get(name)
        for vendor, backend in snapshot.backends.items():
            self.backends[vendor] = backend.fork(self.clock)
        return snapshot
