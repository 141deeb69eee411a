"""One namespace's live state: its clock, journal, fault rules and a backend per mounted vendor.

The default namespace (plain vendor URLs) is a realm like any other; the server (runtime.py)
holds it beside the named ones. A realm knows nothing of scenarios: what the server applies
after each reset arrives as `start`, anything with `apply` and `for_vendor`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from .config import Settings
from .core.clock import Clock
from .core.faults import FaultBook
from .core.journal import Journal
from .vendors.base import Backend, Vendor


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
        self.journal = Journal(settings.journal_size, max_bytes=settings.journal_max_bytes)
        self.faults = FaultBook(settings.seed)
        self.backends: dict[str, Backend] = {}
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
