"""Read-only fields in a partial update (PUT): the stored value passes, any other is refused."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import bad_request


def readonly_changes(row: dict[str, Any], changes: dict[str, Any], fields: Iterable[str]) -> None:
    """Drop read-only fields sent with their stored value; any other value is 400 `readonlyfield`."""
    for name in fields:
        if name in changes and changes.pop(name) != row.get(name):
            raise bad_request("readonlyfield", f"The field {name} is read-only", name)
