"""The bulk envelope's rules (docs/titus.md, "Bulk writes"): ordered per-item results, or all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ....core.errors import MockError
from ....core.store import Row, Table
from .store import Lock

MAX_ITEMS = 100


@dataclass
class ItemResult:
    """One item's outcome: a status with the record's view, or the error it met."""

    index: int
    status: int
    data: dict[str, Any] | None = None
    error: MockError | None = None


def run_bulk(
    lock: Lock,
    items: list[Row],
    apply: Callable[[Row], tuple[int, dict[str, Any]]],
    tables: Iterable[Table],
    *,
    atomic: bool,
) -> list[ItemResult]:
    """Apply items in order, each on its own; with `atomic`, the first failure undoes them all.

    The atomic failure is raised as the item's MockError with `index` added, after every table
    the operation may touch is restored from the snapshot taken before the first item.
    """
    tables = list(tables)
    results: list[ItemResult] = []
    with lock:
        snapshot = [table.dump() for table in tables] if atomic else []
        for index, item in enumerate(items):
            try:
                status, view = apply(item)
            except MockError as error:
                if atomic:
                    for table, saved in zip(tables, snapshot):
                        table.load(saved)
                    error.extra = {**error.extra, "index": index}
                    raise
                results.append(ItemResult(index, error.http_status, error=error))
                continue
            results.append(ItemResult(index, status, data=view))
    return results
