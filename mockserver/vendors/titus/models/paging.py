"""Lists: the page envelope of every list operation, its filters and its sort keys."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table

MAX_PERPAGE = 500


def sort_key(field: str) -> Callable[[dict[str, Any]], Any]:
    """Case-insensitive for strings, so `sort=username` reads as a person expects."""

    def key(row: dict[str, Any]) -> Any:
        value = row.get(field)
        return value.casefold() if isinstance(value, str) else value

    return key


def check_paging(page: int, perpage: int) -> None:
    if page < 1 or not 1 <= perpage <= MAX_PERPAGE:
        raise MockError(ErrorKind.BAD_REQUEST, "Invalid parameter value detected", code="invalidparameter",
                        extra={"debuginfo": f"page must be >= 1 and perpage between 1 and {MAX_PERPAGE}"})


def listing(
    table: Table,
    key: str,
    view: Callable[[dict[str, Any]], dict[str, Any]],
    predicate: Callable[[dict[str, Any]], bool] | None,
    *,
    page: int,
    perpage: int,
    sort: str = "id",
    order: str = "asc",
) -> dict[str, Any]:
    """`{batch: {page, perpage, totalpages, totalitems}, <key>: [...]}` (docs/titus.md, `GET /users`);
    without a filter a page costs O(log n + page)."""
    check_paging(page, perpage)
    reverse = order == "desc"
    offset = (page - 1) * perpage
    if predicate is not None:
        matched = table.select(predicate, order=sort, reverse=reverse)
        total, items = len(matched), matched[offset:offset + perpage]
    else:
        result = table.page(offset, perpage, order=sort, reverse=reverse)
        total, items = result.total, result.items
    return {
        "batch": {"page": page, "perpage": perpage, "totalpages": math.ceil(total / perpage), "totalitems": total},
        key: [view(row) for row in items],
    }


def exact_filter(filters: dict[str, Any], names: Iterable[str]) -> Callable[[dict[str, Any]], bool] | None:
    """A predicate over exact-match filters (None values ignored), or None when nothing filters."""
    wanted = {name: filters[name] for name in names if filters.get(name) is not None}
    since = filters.get("modifiedsince")
    if not wanted and since is None:
        return None

    def predicate(row: dict[str, Any]) -> bool:
        if since is not None and row["timemodified"] < since:
            return False
        return all(row.get(name) == value for name, value in wanted.items())

    return predicate


def both(*predicates: Callable[[dict[str, Any]], bool] | None) -> Callable[[dict[str, Any]], bool] | None:
    active = [p for p in predicates if p is not None]
    if not active:
        return None
    return lambda row: all(p(row) for p in active)
