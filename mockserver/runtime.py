"""The server's live state: settings, vendors, each vendor's sealed seed, the default realm and
the named ones (namespaces). The server has realms; it is not one."""

from __future__ import annotations

from pathlib import Path

from .config import Settings
from .core.clock import Clock
from .core.gc_pause import gc_paused
from .core.memo import Key, Memo, digest
from .core.progress import StartupProgress
from .core.schema import SpecDocument
from .core.state_check import Shape, learn_shape
from .namespaces import Namespaces
from .observe.metrics import ServerMetrics
from .realm import Realm
from .scenarios import Scenario
from .vendors.base import Backend, Vendor


_SEEDS: Memo[Backend] = Memo(16)


def seed_key(vendor: Vendor, settings: Settings) -> Key | None:
    """What a vendor's seed is built from: the exact bytes of its fixture file and spec, the
    seed and the vendor's backend options (None when the files cannot be read: loading them
    then says why in its own words)."""
    path = vendor.fixture_path(settings.fixtures)
    try:
        return (type(vendor).__qualname__, str(path), digest(path), vendor.spec.digest, settings.seed,
                *vendor.backend_options())
    except OSError:
        return None


def sealed_seed(vendor: Vendor, settings: Settings, progress: StartupProgress | None = None) -> Backend:
    """The vendor's backend built from its validated fixtures and sealed. Servers in this process
    with the same key share it: a sealed backend never changes, realms only ever use forks of it,
    and a server whose seed is already here neither reads nor validates the fixture file again."""
    progress = progress or StartupProgress.silent()

    def build() -> Backend:
        with gc_paused():
            path = vendor.fixture_path(settings.fixtures)
            progress.step(f"{vendor.name} seed: reading {path.name}{_size(path)}")
            fixtures = vendor.load_fixtures(settings.fixtures, progress)
            progress.step(f"{vendor.name} seed: building")
            backend = vendor.build_backend(fixtures, Clock(), settings.seed)
            progress.step(f"{vendor.name} seed: sealing")
            backend.seal()
        return backend

    key = seed_key(vendor, settings)
    return build() if key is None else _SEEDS.get_or_build(key, build)


def _size(path: Path) -> str:
    try:
        return f" ({path.stat().st_size / 1e6:.1f} MB)"
    except OSError:
        return ""


class Runtime:
    """The server: what every realm shares, the default realm, and the namespaces."""

    def __init__(self, settings: Settings, vendors: dict[str, Vendor], progress: StartupProgress | None = None) -> None:
        self.admin_spec = SpecDocument.open(settings.specs / "admin" / "openapi.yaml")
        self.settings = settings
        self.vendors = vendors
        # Each vendor's fixtures are read, validated and built into a seed once, then sealed;
        # every realm (and every reset) forks it.
        self.seeds: dict[str, Backend] = {name: sealed_seed(vendor, settings, progress)
                                          for name, vendor in vendors.items()}
        if settings.scenario_files and progress is not None:
            progress.step(f"scenarios: {', '.join(path.name for path in settings.scenario_files)}")
        self.startup_scenarios = [
            Scenario.from_file(path, self) for path in settings.scenario_files]
        self._seed_shapes: dict[str, Shape] = {}
        self.namespaces = Namespaces(self._new_realm, settings.max_namespaces, settings.namespace_ttl_seconds)
        self.metrics = ServerMetrics(journal_entries=self._journal_entries,
                                     namespaces_alive=lambda: len(self.namespaces))
        self.default = self._new_realm(None)

    def _new_realm(self, name: str | None) -> Realm:
        return Realm(name, self.settings, self.vendors, self.seeds, self.startup_scenarios)

    def _journal_entries(self) -> float:
        return len(self.default.journal) + sum(len(realm.journal) for realm in self.namespaces.realms())

    def seed_shape(self, vendor: str) -> Shape:
        """The kinds of value each column of `vendor`'s seeded state holds (for import checks)."""
        shape = self._seed_shapes.get(vendor)
        if shape is None:
            shape = self._seed_shapes[vendor] = learn_shape(self.seeds[vendor].export_state())
        return shape

    def realm(self, namespace: str | None) -> Realm:
        """The default realm, or the named namespace (created on first use)."""
        return self.default if namespace is None else self.namespaces.get(namespace)
