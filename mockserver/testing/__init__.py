"""Helpers for testing code that talks to the mock: an admin client, an in-process server, a pytest plugin.

Exports are loaded on first use: the pytest plugin (`mockserver.testing.plugin`) is imported by
every pytest run where this package is installed, and must not pay for httpx or the app there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import MockAdminError, MockClient
    from .server import MockServerThread

__all__ = ["MockAdminError", "MockClient", "MockServerThread"]

_HOMES = {"MockAdminError": "client", "MockClient": "client", "MockServerThread": "server"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
