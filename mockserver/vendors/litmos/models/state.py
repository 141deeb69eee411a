"""What every part of the Litmos backend shares: its lock, the clock and the seeded id stream.

Each part (users, teams, courses, ...) gets this object, the tables it reads and writes, and the
sibling parts its cascades call; the backend (backend.py) builds them all and owns the tables.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ....core.clock import Clock
from ....core.ids import IdSource
from ....core.store import Row, Table

ORIGINAL_ID_BASE = 10152000  # every OriginalId is above it


@dataclass(frozen=True)
class Shared:
    """The backend's lock (every call takes it before reading or writing), the clock the admin API
    moves, and the id stream seeded by `--seed`, so the same requests after a reset give the same ids."""

    lock: threading.RLock
    clock: Clock
    ids: IdSource

    def now_ms(self) -> int:
        """The clock's now in epoch milliseconds, the unit every stored Litmos date uses."""
        return int(self.clock.now() * 1000)

    def new_ids(self, table: Table) -> tuple[str, int]:
        """A fresh `Id` token for a row of `table` and its next `OriginalId` (both from the seeded stream)."""
        token = self.ids.url_token()
        while table.find("Id", token) is not None:
            token = self.ids.url_token()
        last = next(table.rows("OriginalId", reverse=True), None)
        original = max(ORIGINAL_ID_BASE, last["OriginalId"] if last else 0) + self.ids.randint(1, 97)
        return token, original


def seed_names(data: dict[str, Any], collection: str, field: str) -> set[str]:
    """The case-folded `field` of every record of a seed collection (the seed checks name records by it)."""
    return {str(record[field]).casefold() for record in data.get(collection, [])}


def sort_key(name: str) -> Callable[[Row], Any]:
    """A table order on one member: text in any letter case, other values as they are."""
    def key(row: Row) -> Any:
        value = row[name]
        return value.casefold() if isinstance(value, str) else value

    return key
