"""The server's live state: settings, vendors, parsed fixtures, the default realm and the
named ones (namespaces). The server has realms; it is not one."""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

from .config import Settings
from .core.clock import Clock
from .core.schema import SpecDocument
from .core.state_check import Shape, learn_shape
from .namespaces import Namespaces
from .realm import Realm
from .scenarios import Scenario
from .vendors.base import Vendor


_VALIDATED: OrderedDict[tuple[str, str, str, str], dict[str, Any]] = OrderedDict()
_VALIDATED_MAX = 16


def validated_fixtures(vendor: Vendor, fixtures_dir: Path) -> dict[str, Any]:
    """`vendor.load_fixtures(fixtures_dir)`, remembered for the process by the exact bytes of the
    fixture file and of the spec: validating seed data is a fifth of building an app, and a test
    run builds hundreds of apps from the same files. Errors are never remembered."""
    path = vendor.fixture_path(fixtures_dir)
    try:
        key = (type(vendor).__qualname__, str(path), _digest(path), _digest(vendor.spec.path))
    except OSError:  # unreadable: load_fixtures says so in its own words
        return vendor.load_fixtures(fixtures_dir)
    data = _VALIDATED.get(key)
    if data is None:
        data = vendor.load_fixtures(fixtures_dir)
        _VALIDATED[key] = data
        while len(_VALIDATED) > _VALIDATED_MAX:
            _VALIDATED.popitem(last=False)
    else:
        _VALIDATED.move_to_end(key)
    return copy.deepcopy(data)  # each server its own copy: nothing one does reaches another


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Runtime:
    """The server: what every realm shares, the default realm, and the namespaces."""

    def __init__(self, settings: Settings, vendors: dict[str, Vendor]) -> None:
        self.admin_spec = SpecDocument(settings.specs / "admin" / "openapi.yaml")
        self.settings = settings
        self.vendors = vendors
        # Fixtures are read and validated once; every reset rebuilds from this parsed copy.
        self.fixtures: dict[str, dict[str, Any]] = {
            name: validated_fixtures(vendor, settings.fixtures) for name, vendor in vendors.items()
        }
        self.startup_scenarios = [
            Scenario.from_file(path, self) for path in settings.scenario_files]
        self._seed_shapes: dict[str, Shape] = {}
        self.namespaces = Namespaces(self._new_realm, settings.max_namespaces, settings.namespace_ttl_seconds)
        self.default = self._new_realm(None)

    def _new_realm(self, name: str | None) -> Realm:
        return Realm(name, self.settings, self.vendors, self.fixtures, self.startup_scenarios)

    def seed_shape(self, vendor: str) -> Shape:
        """The kinds of value each column of `vendor`'s seeded state holds (for import checks)."""
        shape = self._seed_shapes.get(vendor)
        if shape is None:
            seeded = self.vendors[vendor].build_backend(self.fixtures[vendor], Clock(), self.settings.seed)
            shape = self._seed_shapes[vendor] = learn_shape(seeded.export_state())
        return shape

    def realm(self, namespace: str | None) -> Realm:
        """The default realm, or the named namespace (created on first use)."""
        return self.default if namespace is None else self.namespaces.get(namespace)
