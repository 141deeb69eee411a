"""A namespace's data as the dashboard shows it: tables with their sizes, a page of a table
(optionally searched), one record with what it refers to and what refers to it.

Relations come from each vendor's `state_references` (the same map that checks an imported
state): `{"enrolments": {"userid": "users"}}` says an enrolment's `userid` names a user's `id`;
`"users.Id"` names another key column. Secrets are masked as in a state export."""

from __future__ import annotations

from typing import Any

from .core.errors import ErrorKind, MockError
from .core.store import Table
from .realm import Realm
from .vendors.base import mask_secrets

LABEL_FIELDS = ("username", "UserName", "name", "Name", "fullname", "FullName", "title", "Title", "shortname",
                "email", "Email", "acronym", "token")
MAX_REFERRERS = 20  # ids listed per referring table (the count is always whole)


def overview(realm: Realm) -> dict[str, dict[str, int]]:
    """vendor -> table -> rows."""
    return {vendor: {name: len(table) for name, table in sorted(backend.tables.items())}
            for vendor, backend in realm.backends.items()}


def _table(realm: Realm, vendor: str, table: str) -> Table:
    backend = realm.backends.get(vendor)
    if backend is None:
        raise MockError(ErrorKind.NOT_FOUND, f"vendor {vendor!r} is not mounted on this server")
    found = backend.tables.get(table)
    if found is None:
        raise MockError(ErrorKind.NOT_FOUND, f"{vendor} has no table {table!r} (tables: {', '.join(sorted(backend.tables))})")
    return found


def _matches(row: dict[str, Any], needle: str, hidden: frozenset[str]) -> bool:
    return any(needle in str(value).casefold() for key, value in row.items()
               if key not in hidden and not isinstance(value, (dict, list)))


def label(row: dict[str, Any]) -> str:
    """A few words that name a row for a person (its username, name or title), else its id."""
    for name in LABEL_FIELDS:
        value = row.get(name)
        if isinstance(value, str) and value:
            return value
    return str(row.get("id"))


def page(realm: Realm, vendor: str, table: str, offset: int = 0, limit: int = 50, query: str = "") -> dict[str, Any]:
    """Rows `offset` to `offset + limit` in id order, those whose values contain `query` (any case)."""
    found = _table(realm, vendor, table)
    hidden = realm.vendors[vendor].secret_fields
    with realm.backends[vendor].lock:
        if query:
            needle = query.casefold()
            matching = [row for row in found.rows() if _matches(row, needle, hidden)]
            total, rows = len(matching), matching[offset:offset + limit]
        else:
            window = found.page(offset, limit)
            total, rows = window.total, window.items
    seen: list[str] = []
    for row in rows:
        seen += [key for key in row if key not in seen]
    # The id, then what names a row (username, name, title, email), then the rest as stored.
    first = ["id", *(name for name in LABEL_FIELDS if name != "token")]
    columns = [name for name in first if name in seen] + [name for name in seen if name not in first]
    return {"vendor": vendor, "table": table, "total": total, "offset": offset, "limit": limit, "query": query,
            "columns": columns, "rows": [mask_secrets(dict(row), hidden) for row in rows]}


def _row_by_key(table: Table, column: str, value: Any) -> dict[str, Any] | None:
    if column == "id":
        return table.get(value)
    return next((row for row in table.rows() if row.get(column) == value), None)


def _find(table: Table, record_id: str) -> dict[str, Any] | None:
    """The row whose id is `record_id` (ids are numbers for most tables, text for a few)."""
    if record_id.lstrip("-").isdigit():
        row = table.get(int(record_id))
        if row is not None:
            return row
    return table.get(record_id)


def record(realm: Realm, vendor: str, table: str, record_id: str) -> dict[str, Any]:
    """One row, what its reference columns point at, and which rows of other tables point at it."""
    found = _table(realm, vendor, table)
    references: dict[str, dict[str, str]] = realm.vendors[vendor].state_references
    hidden = realm.vendors[vendor].secret_fields
    tables = realm.backends[vendor].tables
    with realm.backends[vendor].lock:
        row = _find(found, record_id)
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, f"{vendor}.{table} has no row {record_id!r}")
        refers_to = []
        for column, target in references.get(table, {}).items():
            target_table, _, key = target.partition(".")
            value = row.get(column)
            if value is None or target_table not in tables:
                continue
            other = _row_by_key(tables[target_table], key or "id", value)
            refers_to.append({"column": column, "table": target_table, "value": value,
                              "id": other["id"] if other else None, "label": label(other) if other else None})
        referred_by = []
        for other_table, columns in sorted(references.items()):
            for column, target in columns.items():
                target_table, _, key = target.partition(".")
                if target_table != table or other_table not in tables:
                    continue
                value = row.get(key or "id")
                pointing = [other for other in tables[other_table].rows() if other.get(column) == value]
                if pointing:
                    referred_by.append({"table": other_table, "column": column, "count": len(pointing),
                                        "rows": [{"id": other["id"], "label": label(other)}
                                                 for other in pointing[:MAX_REFERRERS]]})
    return {"vendor": vendor, "table": table, "id": row["id"], "label": label(row),
            "row": mask_secrets(dict(row), hidden), "refers_to": refers_to, "referred_by": referred_by}
