"""In-memory tables: rows keyed by integer id, unique indexes, and ordered views for paging.

A page read through an ordered view costs O(log n + page), not O(table). Rows are plain
dicts so that state exports to JSON and imports back without translation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sortedcontainers import SortedKeyList

Row = dict[str, Any]
KeyFn = Callable[[Row], Hashable | None]


class UniqueViolation(Exception):
    """Raised when a write would give two rows the same key in a unique index."""

    def __init__(self, index: str, key: Hashable, existing_id: Any) -> None:
        super().__init__(f"{index}: {key!r} already used by {existing_id!r}")
        self.index = index
        self.key = key
        self.existing_id = existing_id


@dataclass(frozen=True)
class Unique:
    """A unique index. `key` returns None for rows the index does not cover (e.g. empty idnumber)."""

    name: str
    key: KeyFn


@dataclass
class Page:
    items: list[Row]
    total: int


class Table:
    """Rows keyed by `id`, with unique indexes and sorted views declared up front."""

    def __init__(
        self,
        name: str,
        *,
        unique: Iterable[Unique] = (),
        orders: dict[str, Callable[[Row], Any]] | None = None,
        first_id: int = 1,
        fields: Iterable[str] = (),
    ) -> None:
        self.name = name
        self.fields = tuple(fields)  # every row must carry these (checked on import)
        self._uniques = list(unique)
        self._unique_maps: dict[str, dict[Hashable, Any]] = {u.name: {} for u in self._uniques}
        self._rows: dict[Any, Row] = {}
        self._order_keys = {"id": lambda row: row["id"], **(orders or {})}
        self._orders: dict[str, SortedKeyList] = {}
        for order_name, key in self._order_keys.items():
            self._orders[order_name] = SortedKeyList(key=self._tie_break(key))
        self._first_id = first_id
        self.next_id = first_id

    @staticmethod
    def _tie_break(key: Callable[[Row], Any]) -> Callable[[Row], Any]:
        return lambda row: (key(row), row["id"])

    # -- reads -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, row_id: Any) -> bool:
        return row_id in self._rows

    def get(self, row_id: Any) -> Row | None:
        return self._rows.get(row_id)

    def find(self, index: str, key: Hashable) -> Row | None:
        """The row whose key in unique index `index` is `key`, if any."""
        row_id = self._unique_maps[index].get(key)
        return None if row_id is None else self._rows[row_id]

    def rows(self, order: str = "id", reverse: bool = False) -> Iterator[Row]:
        view = self._orders[order]
        return reversed(view) if reverse else iter(view)

    def page(self, offset: int, limit: int, order: str = "id", reverse: bool = False) -> Page:
        """A slice of the ordered view without touching the rows outside it."""
        view = self._orders[order]
        total = len(view)
        if offset >= total or limit <= 0:
            return Page([], total)
        if reverse:
            stop = total - offset
            start = max(0, stop - limit)
            items = list(view.islice(start, stop))[::-1]
        else:
            items = list(view.islice(offset, offset + limit))
        return Page(items, total)

    def select(
        self, predicate: Callable[[Row], bool], order: str = "id", reverse: bool = False
    ) -> list[Row]:
        return [row for row in self.rows(order, reverse) if predicate(row)]

    # -- writes ------------------------------------------------------------------------------
    def allocate_id(self) -> int:
        row_id = self.next_id
        self.next_id += 1
        return row_id

    def check_unique(self, row: Row, *, ignore_id: Any = None) -> None:
        """Raise UniqueViolation if `row` would collide with another row."""
        for unique in self._uniques:
            key = unique.key(row)
            if key is None:
                continue
            holder = self._unique_maps[unique.name].get(key)
            if holder is not None and holder != ignore_id:
                raise UniqueViolation(unique.name, key, holder)

    def insert(self, row: Row) -> Row:
        """Insert a row; it gets the next id unless it brings one. A clash changes nothing."""
        brings_id = row.get("id") is not None
        candidate = row["id"] if brings_id else self.next_id
        if candidate in self._rows:
            raise UniqueViolation("id", candidate, candidate)
        self.check_unique(row)
        row["id"] = candidate
        if isinstance(candidate, int) and candidate >= self.next_id:
            self.next_id = candidate + 1
        self._rows[candidate] = row
        self._index(row)
        return row

    def update(self, row_id: Any, changes: Row) -> Row:
        """Apply `changes` to a row atomically: uniqueness is checked before anything moves."""
        current = self._rows[row_id]
        updated = {**current, **changes, "id": row_id}
        self.check_unique(updated, ignore_id=row_id)
        self._unindex(current)
        current.clear()
        current.update(updated)
        self._index(current)
        return current

    def delete(self, row_id: Any) -> Row:
        row = self._rows.pop(row_id)
        self._unindex(row)
        return row

    # -- persistence -------------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        return {"next_id": self.next_id, "rows": copy.deepcopy(list(self._orders["id"]))}

    def load(self, data: dict[str, Any]) -> None:
        """Replace all rows (used by state import); indexes are rebuilt and re-checked."""
        self._rows.clear()
        for mapping in self._unique_maps.values():
            mapping.clear()
        for view in self._orders.values():
            view.clear()
        self.next_id = self._first_id
        for row in copy.deepcopy(data.get("rows", [])):
            if not isinstance(row, dict):
                raise ValueError(f"{self.name}: every row must be an object")
            missing = [name for name in self.fields if name not in row]
            if missing:
                raise ValueError(f"{self.name}: row {row.get('id')!r} lacks {', '.join(missing)}")
            if not isinstance(row.get("id"), int) or isinstance(row.get("id"), bool):
                raise ValueError(f"{self.name}: every row needs an integer id")
            self.insert(row)
        self.next_id = max(self.next_id, int(data.get("next_id", self.next_id)))

    # -- internals ---------------------------------------------------------------------------
    def _index(self, row: Row) -> None:
        for unique in self._uniques:
            key = unique.key(row)
            if key is not None:
                self._unique_maps[unique.name][key] = row["id"]
        for view in self._orders.values():
            view.add(row)

    def _unindex(self, row: Row) -> None:
        for unique in self._uniques:
            key = unique.key(row)
            if key is not None and self._unique_maps[unique.name].get(key) == row["id"]:
                del self._unique_maps[unique.name][key]
        for view in self._orders.values():
            view.remove(row)


def casefold_key(field_name: str) -> KeyFn:
    """Unique-index key over one string field, case-insensitive, skipping empty values."""

    def key(row: Row) -> Hashable | None:
        value = row.get(field_name)
        return value.casefold() if isinstance(value, str) and value else None

    return key


def exact_key(field_name: str) -> KeyFn:
    def key(row: Row) -> Hashable | None:
        value = row.get(field_name)
        return None if value in (None, "") else value

    return key
