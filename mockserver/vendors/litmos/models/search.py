"""Litmos's `search` query parameter, one rule for every list: a case-insensitive substring of a
text field (the name, a course's code, or any of a user's names and email)."""

from __future__ import annotations

from collections.abc import Callable

from ....core.store import Row

USER_FIELDS = ("UserName", "FirstName", "LastName", "Email")  # what `search` reads on /users and user lists


def matches(search: str | None, fields: tuple[str, ...] = ("Name",)) -> Callable[[Row], bool]:
    """A predicate keeping the rows where any of `fields` contains `search`; no search keeps every row."""
    needle = (search or "").casefold()
    return lambda row: not needle or any(needle in row[name].casefold() for name in fields)
