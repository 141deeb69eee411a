"""Helpers every TeSLA resource module shares: path ids, the standard errors, the crash switch."""

from __future__ import annotations

from ...core.errors import ErrorKind, MockError

NOT_FOUND = "Not found."
UNIQUE_TOGETHER = "The fields institution_id, uid must make a unique set."


def parse_pk(segment: str | None) -> int | None:
    """A path segment as Django turns it into a primary key (None: not a number, so 404)."""
    try:
        return int(segment)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def not_found() -> MockError:
    return MockError(ErrorKind.NOT_FOUND, NOT_FOUND)


def upstream_crash(reason: str) -> MockError:
    """The real server's 500 (rendered as its HTML page); only raised with the quirks setting."""
    return MockError(ErrorKind.SERVER_ERROR, f"upstream crash reproduced: {reason}")
