"""DRF list mechanics: filters, search, ordering, and limit/offset pages with absolute links.

Each piece follows the real server's libraries (django-filter, DRF's SearchFilter,
OrderingFilter and LimitOffsetPagination): the last value of a repeated query key wins, bad
paging values fall back to the defaults, unknown ordering fields are ignored, and links keep the
other query parameters with the keys sorted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from ...core.sharing import SharedByForks
from .wire import NULL_CHARACTERS, FieldErrors

DEFAULT_LIMIT = 10
Row = dict[str, Any]
Args = Any  # a werkzeug MultiDict (or anything with getlist)


def last(args: Args, name: str) -> str | None:
    values = args.getlist(name)
    return values[-1] if values else None


class QueryFilter(Protocol):
    """One filter of a list: the 400 words for a bad value, and the test a row must pass."""

    @property
    def name(self) -> str: ...

    def error(self, args: Args) -> list[str] | None: ...

    def predicate(self, args: Args) -> Callable[[Row], bool] | None: ...


@dataclass(frozen=True)
class Filter:
    """A django-filter field: `exact` or `icontains` text, or a multiple choice (OR-ed)."""

    name: str
    lookup: str  # exact | icontains | choice
    choices: dict[str, Callable[[Row], bool]] | None = None

    def error(self, args: Args) -> list[str] | None:
        if self.lookup == "choice":
            for value in args.getlist(self.name):
                if value not in (self.choices or {}):
                    return [f"Select a valid choice. {value} is not one of the available choices."]
            return None
        value = last(args, self.name)
        return [NULL_CHARACTERS] if value is not None and "\x00" in value else None

    def predicate(self, args: Args) -> Callable[[Row], bool] | None:
        if self.lookup == "choice":
            tests = [(self.choices or {})[value] for value in args.getlist(self.name)]
            return (lambda row: any(test(row) for test in tests)) if tests else None
        value = last(args, self.name)
        if not value:  # django-filter skips empty values
            return None
        if self.lookup == "exact":
            return lambda row: row.get(self.name) == value
        needle = value.casefold()
        return lambda row: isinstance(row.get(self.name), str) and needle in row[self.name].casefold()


@dataclass(frozen=True)
class ListRules(SharedByForks):
    """How one list endpoint filters, searches and orders its rows."""

    filters: Sequence[QueryFilter]
    search_fields: Sequence[str]
    ordering_fields: frozenset[str]
    default_ordering: Sequence[str]

    def errors(self, args: Args) -> FieldErrors:
        """django-filter's 400 body for bad filter values ({} when all are fine)."""
        found = {}
        for item in self.filters:
            messages = item.error(args)
            if messages:
                found[item.name] = messages
        return found

    def apply(self, rows: Sequence[Row], args: Args) -> list[Row]:
        """Filter, then search, then order; the caller has checked `errors` first."""
        tests = [p for p in (f.predicate(args) for f in self.filters) if p is not None]
        terms = search_terms(last(args, "search") or "")
        selected = [row for row in rows if all(test(row) for test in tests) and self._found(row, terms)]
        return self._ordered(selected, last(args, "ordering"))

    def _found(self, row: Row, terms: list[str]) -> bool:
        if not self.search_fields:  # no SearchFilter on the view: `search` is ignored
            return True
        texts = [row[name].casefold() for name in self.search_fields if isinstance(row.get(name), str)]
        return all(any(term in text for text in texts) for term in terms)

    def _ordered(self, rows: list[Row], param: str | None) -> list[Row]:
        requested = [term.strip() for term in param.split(",")] if param else []
        terms = [t for t in requested if (t[1:] if t.startswith("-") else t) in self.ordering_fields]
        result = sorted(rows, key=lambda row: row["id"])  # ties: by id, as a stable last resort
        for term in reversed(terms or list(self.default_ordering)):
            name = term.lstrip("-")
            result.sort(key=lambda row: _sort_key(row.get(name)), reverse=term.startswith("-"))
        return result


def _sort_key(value: Any) -> tuple[int, Any]:
    """NULL first when ascending, as SQLite and MySQL order them."""
    return (0, 0) if value is None else (1, value)


def search_terms(param: str) -> list[str]:
    """DRF's SearchFilter: NUL removed, split on commas and whitespace, compared case-insensitively."""
    return [term.casefold() for term in param.replace("\x00", "").replace(",", " ").split()]


def _positive_int(text: str | None, strict: bool) -> int:
    """The parameter as a count; ValueError means "use the default"."""
    if text is None:
        raise ValueError("absent")
    value = int(text)
    if value < 0 or (value == 0 and strict):
        raise ValueError(text)
    return value


def window(args: Args) -> tuple[int, int]:
    """(limit, offset): a limit that is not a positive integer is 10, a bad offset is 0."""
    try:
        limit = _positive_int(last(args, "limit"), strict=True)
    except ValueError:
        limit = DEFAULT_LIMIT
    try:
        offset = _positive_int(last(args, "offset"), strict=False)
    except ValueError:
        offset = 0
    return limit, offset


def _with_query(url: str, changes: dict[str, int | None]) -> str:
    scheme, netloc, path, query, _ = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = [str(value)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), ""))


def page(rows: Sequence[Row], args: Args, url: str, view: Callable[[Row], Row]) -> dict[str, Any]:
    """`{count, next, previous, results}` for `rows`; `url` is the request's absolute URL."""
    limit, offset = window(args)
    count = len(rows)
    next_link = None
    if offset + limit < count:
        next_link = _with_query(url, {"limit": limit, "offset": offset + limit})
    previous_link = None
    if offset > 0:
        previous_offset = offset - limit if offset - limit > 0 else None
        previous_link = _with_query(url, {"limit": limit, "offset": previous_offset})
    return {
        "count": count,
        "next": next_link,
        "previous": previous_link,
        "results": [view(row) for row in rows[offset:offset + limit]],
    }
