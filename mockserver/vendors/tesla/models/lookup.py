"""Helpers every TeSLA resource module shares: path ids and lookups, cascades, errors, the crash switch."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table

NOT_FOUND = "Not found."
UNIQUE_TOGETHER = "The fields institution_id, uid must make a unique set."


def parse_pk(segment: str | int | None) -> int | None:
    """A path segment as Django turns it into a primary key (None: not a number, so 404)."""
    if segment is None:
        return None
    try:
        return int(segment)
    except ValueError:
        return None


def institution_pk(segment: str | int) -> int:
    """The institution id of a nested route's path: a segment that is not a number is 404."""
    iid = parse_pk(segment)
    if iid is None:
        raise not_found()
    return iid


def path_institution(institutions: Table, segment: str | int) -> Row:
    """The institution a nested route's path names: 404 when there is none (a create under it)."""
    row = institutions.get(parse_pk(segment))
    if row is None:
        raise not_found()
    return row


def institution_row(table: Table, segment: str | int, id_segment: str | int) -> Row:
    """The row `id_segment` of `table` when it belongs to the institution of the path (else 404)."""
    row = table.get(parse_pk(id_segment))
    if row is None or row["institution"] != institution_pk(segment):
        raise not_found()
    return row


def existing(table: Table, row_id: Any) -> Row:
    """A row the caller knows exists (its permission or an earlier lookup found it); else 404."""
    row = table.get(row_id)
    if row is None:
        raise not_found()
    return row


def delete_where(table: Table, field: str, value: Any) -> None:
    """Delete every row of `table` whose `field` is `value`: a database cascade."""
    for row in [row for row in table.rows() if row[field] == value]:
        table.delete(row["id"])


def not_found() -> MockError:
    return MockError(ErrorKind.NOT_FOUND, NOT_FOUND)


def upstream_crash(reason: str) -> MockError:
    """The real server's 500 (rendered as its HTML page); only raised with the quirks setting."""
    return MockError(ErrorKind.SERVER_ERROR, f"upstream crash reproduced: {reason}")
