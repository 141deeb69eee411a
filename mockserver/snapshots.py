"""Named snapshots of one namespace's data: take one at any point, restore it as often as wanted.

A snapshot holds a sealed copy of every vendor's backend (`Backend.snapshot`: the seed's rows
shared, rows written since frozen, indexes copied); restoring forks it, as a reset forks the seed.
The clock, fault rules and journal are not part of it: a restore puts the data back, not time."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .core.errors import ErrorKind, MockError
from .vendors.base import Backend

MAX_SNAPSHOTS = 32  # per namespace; a full reset drops them all


@dataclass
class Snapshot:
    name: str
    backends: dict[str, Backend]
    created: float = field(default_factory=time.time)
    mock_time: float = 0.0

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "created": round(self.created, 3), "mock_time": round(self.mock_time, 3),
                "vendors": sorted(self.backends),
                "rows": {vendor: sum(len(table) for table in backend.tables.values())
                         for vendor, backend in sorted(self.backends.items())}}


class SnapshotBook:
    """A namespace's snapshots by name, at most MAX_SNAPSHOTS."""

    def __init__(self) -> None:
        self._snapshots: dict[str, Snapshot] = {}

    def take(self, name: str, backends: Mapping[str, Backend], mock_time: float) -> Snapshot:
        """Snapshot `backends` as `name` (a snapshot of that name is replaced)."""
        if name not in self._snapshots and len(self._snapshots) >= MAX_SNAPSHOTS:
            raise MockError(ErrorKind.CONFLICT, f"snapshot limit reached ({MAX_SNAPSHOTS} in this namespace): delete "
                            "one with DELETE /__admin/snapshots/{name} or reuse a name", code="snapshot_limit")
        snapshot = Snapshot(name, {vendor: backend.snapshot() for vendor, backend in backends.items()},
                            mock_time=mock_time)
        self._snapshots[name] = snapshot
        return snapshot

    def get(self, name: str) -> Snapshot:
        snapshot = self._snapshots.get(name)
        if snapshot is None:
            raise MockError(ErrorKind.NOT_FOUND, f"no snapshot {name!r} in this namespace", code="no_snapshot")
        return snapshot

    def delete(self, name: str) -> None:
        self.get(name)
        del self._snapshots[name]

    def describe(self) -> list[dict[str, Any]]:
        """Oldest first."""
        return [snapshot.describe() for snapshot in self._snapshots.values()]

    def clear(self) -> None:
        self._snapshots.clear()

    def __len__(self) -> int:
        return len(self._snapshots)
