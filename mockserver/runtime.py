"""The live server state: clock, journal and one backend per mounted vendor."""

from __future__ import annotations

from typing import Any

from .config import Settings
from .core.clock import Clock
from .core.journal import Journal
from .vendors.base import Backend, Vendor


class Runtime:
    def __init__(self, settings: Settings, vendors: dict[str, Vendor]) -> None:
        self.settings = settings
        self.vendors = vendors
        self.clock = Clock()
        self.journal = Journal(settings.journal_size)
        # Fixtures are read and validated once; every reset rebuilds from this parsed copy.
        self.fixtures: dict[str, dict[str, Any]] = {
            name: vendor.load_fixtures(settings.fixtures) for name, vendor in vendors.items()
        }
        self.backends: dict[str, Backend] = {}
        self.reset()

    def reset(self, vendor: str | None = None) -> list[str]:
        """Back to the exact seeded state (ids included) for one vendor or all of them."""
        names = [vendor] if vendor else list(self.vendors)
        if vendor is None:
            self.clock.reset()
        for name in names:
            self.backends[name] = self.vendors[name].build_backend(self.fixtures[name], self.clock, self.settings.seed)
        return names
