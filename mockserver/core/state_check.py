"""Checks an exported state before it replaces a live one (`PUT /__admin/state/{vendor}`).

An import must never leave a backend that cannot answer: a row whose id is not a sane integer,
a column holding a value of another kind than the seed holds there (an object where the seed has
text), or a reference to a row the state does not contain would turn into a 500 on the first
read. Each of those is refused with the path of the first bad item, before anything changes.

The kinds are learned from the vendor's own seeded state, so the check follows the models
without a schema kept beside them: a column the seed fills with text may hold text or null, one
it fills with numbers numbers or null, and so on. References are declared by each vendor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_ID = 2**53 - 1  # the largest integer every JSON client reads exactly

Shape = dict[str, dict[str, frozenset[str]]]  # table -> column -> kinds seen in the seed
# table -> column -> what its values name: "table" (that table's ids) or "table.Column" (a key column)
References = Mapping[str, Mapping[str, str]]
NO_REFERENCE = (None, 0, "")  # how the vendors spell "none": null, Moodle's 0, Litmos's empty string


class StateError(ValueError):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


# The kind of a value of each type JSON parses to, found with one lookup: `kind` is asked for
# every value of an imported state (1.7 million for 60,000 users), so it tries this first.
_KIND_OF_TYPE: dict[type, str] = {type(None): "null", bool: "boolean", int: "number", float: "number",
                                  str: "text", list: "list", dict: "object"}


def kind(value: Any) -> str:
    found = _KIND_OF_TYPE.get(type(value))
    if found is not None:
        return found
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def learn_shape(seed_state: Mapping[str, Any]) -> Shape:
    shape: Shape = {}
    for name, table in seed_state.get("tables", {}).items():
        columns: dict[str, set[str]] = {}
        for row in table.get("rows", []):
            for column, value in row.items():
                columns.setdefault(column, set()).add(kind(value))
        shape[name] = {column: frozenset(kinds) for column, kinds in columns.items()}
    return shape


def check_state(state: Any, shape: Shape, references: References) -> None:
    """Raise StateError at the first item the live backend could not serve."""
    if not isinstance(state, dict) or not isinstance(state.get("tables"), dict):
        raise StateError("tables", "a state holds its tables as an object")
    ids: dict[str, set[int]] = {}
    for name, table in state["tables"].items():
        where = f"tables.{name}"
        if name not in shape:
            raise StateError(where, f"no such table; this vendor has {', '.join(sorted(shape))}")
        if not isinstance(table, dict) or not isinstance(table.get("rows", []), list):
            raise StateError(where, "a table is an object with a list of rows")
        next_id = table.get("next_id", 1)
        if not _sane_id(next_id):
            raise StateError(f"{where}.next_id", f"must be an integer from 1 to {MAX_ID}")
        seen = ids.setdefault(name, set())
        for index, row in enumerate(table.get("rows", [])):
            _check_row(f"{where}.rows[{index}]", row, shape[name], seen)
    keys: dict[str, set[Any]] = {}
    for name, columns in references.items():
        for index, row in enumerate(state["tables"].get(name, {}).get("rows", [])):
            for column, target in columns.items():
                value = row.get(column)
                if value in NO_REFERENCE:
                    continue
                if target not in keys:
                    keys[target] = _key_values(state, target) if "." in target else ids.get(target, set())
                if value not in keys[target]:
                    raise StateError(f"tables.{name}.rows[{index}].{column}",
                                     f"refers to {target} {value!r}, which the state does not hold")


def _key_values(state: dict[str, Any], target: str) -> set[Any]:
    table, column = target.split(".", 1)
    return {row.get(column) for row in state["tables"].get(table, {}).get("rows", []) if isinstance(row, dict)}


def _sane_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def _check_row(where: str, row: Any, columns: dict[str, frozenset[str]], seen: set[int]) -> None:
    if not isinstance(row, dict):
        raise StateError(where, "a row is an object")
    row_id = row.get("id")
    if not _sane_id(row_id):
        raise StateError(f"{where}.id", f"must be an integer from 1 to {MAX_ID}")
    if row_id in seen:
        raise StateError(f"{where}.id", f"{row_id} is used by an earlier row")
    seen.add(row_id)
    for column, value in row.items():
        allowed = columns.get(column)
        if allowed is None or value is None:
            continue  # a column the seed leaves empty everywhere says nothing about its kind
        found = _KIND_OF_TYPE.get(type(value)) or kind(value)  # inline: one call fewer per value
        if found not in allowed and allowed - {"null"}:
            expected = " or ".join(sorted(allowed - {"null"}))
            raise StateError(f"{where}.{column}", f"holds {found}, where this table holds {expected}")
        if found == "number" and isinstance(value, int) and abs(value) > MAX_ID:
            raise StateError(f"{where}.{column}", f"{value} is out of range (at most {MAX_ID})")
