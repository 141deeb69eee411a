"""Objects a backend's fork shares instead of copying (see `Backend.fork` in vendors/base.py)."""

from __future__ import annotations

from typing import Any


class SharedByForks:
    """Read-only once built (the spec's field orders, policies, signing keys): every fork of a
    backend uses this very object, so a fork copies only what can change."""

    __slots__ = ()

    def __copy__(self) -> Any:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return self
