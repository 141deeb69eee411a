"""The live server state: one realm per namespace, each with its own clock, journal, fault
rules and a backend per mounted vendor. The default realm serves the plain vendor URLs."""

from __future__ import annotations

import time
from typing import Any

from .config import Settings
from .core.clock import Clock
from .core.faults import FaultBook
from .core.journal import Journal
from .core.schema import SpecDocument
from .core.state_check import Shape, learn_shape
from .namespaces import Namespaces
from .vendors.base import Backend, Vendor


class Realm:
    """Everything a namespace owns. Built from the shared parsed fixtures, never from disk."""

    def __init__(self, name: str | None, server: "Runtime") -> None:
        self.name = name
        self.server = server
        self.settings = server.settings
        self.vendors = server.vendors
        self.fixtures = server.fixtures
        self.clock = Clock()
        self.journal = Journal(self.settings.journal_size, max_bytes=self.settings.journal_max_bytes)
        self.faults = FaultBook(self.settings.seed)
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
            self.backends[name] = self.vendors[name].build_backend(self.fixtures[name], self.clock, self.settings.seed)
        for scenario in self.server.startup_scenarios:
            if vendor is None:
                self.scenarios.append(scenario.apply(self))
            else:  # the vendor's part of the start state; the list of applied scenarios stands
                scenario.for_vendor(vendor).apply(self)
        return names


class Runtime(Realm):
    """The server: settings, vendors, parsed fixtures, and the default realm plus namespaces."""

    def __init__(self, settings: Settings, vendors: dict[str, Vendor]) -> None:
        from .scenarios import Scenario  # scenarios apply to realms; imported late to keep layers apart

        self.admin_spec = SpecDocument(settings.specs / "admin" / "openapi.yaml")
        self.settings = settings
        self.vendors = vendors
        # Fixtures are read and validated once; every reset rebuilds from this parsed copy.
        self.fixtures: dict[str, dict[str, Any]] = {
            name: vendor.load_fixtures(settings.fixtures) for name, vendor in vendors.items()
        }
        self.startup_scenarios = [Scenario.from_file(path, self) for path in settings.scenario_files]
        self._seed_shapes: dict[str, Shape] = {}
        self.namespaces = Namespaces(lambda name: Realm(name, self), settings.max_namespaces,
                                     settings.namespace_ttl_seconds)
        super().__init__(None, self)

    def seed_shape(self, vendor: str) -> Shape:
        """The kinds of value each column of `vendor`'s seeded state holds (for import checks)."""
        shape = self._seed_shapes.get(vendor)
        if shape is None:
            seeded = self.vendors[vendor].build_backend(self.fixtures[vendor], Clock(), self.settings.seed)
            shape = self._seed_shapes[vendor] = learn_shape(seeded.export_state())
        return shape

    def realm(self, namespace: str | None) -> Realm:
        """The default realm, or the named namespace (created on first use)."""
        return self if namespace is None else self.namespaces.get(namespace)
