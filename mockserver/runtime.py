"""The server's live state: settings, vendors, parsed fixtures, the default realm and the
named ones (namespaces). The server has realms; it is not one."""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from .config import Settings
from .core.clock import Clock
from .core.schema import SpecDocument
from .core.state_check import Shape, learn_shape
from .namespaces import Namespaces
from .realm import Realm
from .scenarios import Scenario
from .vendors.base import Backend, Vendor


T = TypeVar("T")
Key = tuple[Hashable, ...]
_VALIDATED: OrderedDict[Key, dict[str, Any]] = OrderedDict()
_SEEDS: OrderedDict[Key, Backend] = OrderedDict()
_REMEMBERED = 16  # fixture sets (and seeds) a process keeps


def _remember(memo: OrderedDict[Key, T], key: Key, build: Callable[[], T]) -> T:
    value = memo.get(key)
    if value is None:
        value = memo[key] = build()
        while len(memo) > _REMEMBERED:
            memo.popitem(last=False)
    else:
        memo.move_to_end(key)
    return value


def fixture_key(vendor: Vendor, fixtures_dir: Path) -> Key | None:
    """What a vendor's parsed seed depends on: the exact bytes of its fixture file and spec
    (None when they cannot be read: loading then says why in its own words)."""
    path = vendor.fixture_path(fixtures_dir)
    try:
        return (type(vendor).__qualname__, str(path), _digest(path), _digest(vendor.spec.path))
    except OSError:
        return None


def validated_fixtures(vendor: Vendor, fixtures_dir: Path) -> dict[str, Any]:
    """`vendor.load_fixtures(fixtures_dir)`, remembered for the process by the exact bytes of the
    fixture file and of the spec: validating seed data is a fifth of building an app, and a test
    run builds hundreds of apps from the same files. Errors are never remembered."""
    key = fixture_key(vendor, fixtures_dir)
    if key is None:
        return vendor.load_fixtures(fixtures_dir)
    data = _remember(_VALIDATED, key, lambda: vendor.load_fixtures(fixtures_dir))
    return copy.deepcopy(data)  # each server its own copy: nothing one does reaches another


def sealed_seed(vendor: Vendor, fixtures: dict[str, Any], key: Key | None, seed: int) -> Backend:
    """The vendor's backend built from its fixtures and sealed, shared by every realm of every
    server in this process with the same fixture bytes, seed and backend options: a sealed
    backend never changes, and realms only ever use forks of it."""
    def build() -> Backend:
        backend = vendor.build_backend(fixtures, Clock(), seed)
        backend.seal()
        return backend

    if key is None:
        return build()
    return _remember(_SEEDS, (*key, seed, *vendor.backend_options()), build)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Runtime:
    """The server: what every realm shares, the default realm, and the namespaces."""

    def __init__(self, settings: Settings, vendors: dict[str, Vendor]) -> None:
        self.admin_spec = SpecDocument(settings.specs / "admin" / "openapi.yaml")
        self.settings = settings
        self.vendors = vendors
        # Fixtures are read and validated once, and each vendor's seed built from them once and
        # sealed; every realm (and every reset) forks it.
        self.fixtures: dict[str, dict[str, Any]] = {
            name: validated_fixtures(vendor, settings.fixtures) for name, vendor in vendors.items()
        }
        self.seeds: dict[str, Backend] = {
            name: sealed_seed(vendor, self.fixtures[name], fixture_key(vendor, settings.fixtures), settings.seed)
            for name, vendor in vendors.items()
        }
        self.startup_scenarios = [
            Scenario.from_file(path, self) for path in settings.scenario_files]
        self._seed_shapes: dict[str, Shape] = {}
        self.namespaces = Namespaces(self._new_realm, settings.max_namespaces, settings.namespace_ttl_seconds)
        self.default = self._new_realm(None)

    def _new_realm(self, name: str | None) -> Realm:
        return Realm(name, self.settings, self.vendors, self.seeds, self.startup_scenarios)

    def seed_shape(self, vendor: str) -> Shape:
        """The kinds of value each column of `vendor`'s seeded state holds (for import checks)."""
        shape = self._seed_shapes.get(vendor)
        if shape is None:
            shape = self._seed_shapes[vendor] = learn_shape(self.seeds[vendor].export_state())
        return shape

    def realm(self, namespace: str | None) -> Realm:
        """The default realm, or the named namespace (created on first use)."""
        return self.default if namespace is None else self.namespaces.get(namespace)
