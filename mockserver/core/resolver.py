"""operationId -> handler, for every spec the server mounts, checked both ways at startup.

A handlers package declares what it serves in `__all__`: one function per operationId. A spec
operation without a function would otherwise surface as a 500 on its first call, and a function
without an operation is dead code that looks alive; both stop the server before it listens.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from connexion.resolver import Resolver

from .routes import HTTP_METHODS

Handler = Callable[..., Any]


class HandlerMismatch(Exception):
    """A spec and its handlers package disagree; the message names every operationId concerned."""

    def __init__(self, spec_name: str, missing: list[str], unused: list[str]) -> None:
        parts = []
        if missing:
            parts.append(f"operations with no handler: {', '.join(missing)}")
        if unused:
            parts.append(f"handlers with no operation: {', '.join(unused)}")
        super().__init__(f"{spec_name}: {'; '.join(parts)}")
        self.missing = missing
        self.unused = unused


def operation_ids(paths: Mapping[str, Mapping[str, Any]]) -> Iterator[str]:
    """Every operationId of a spec's `paths`, in document order."""
    for item in paths.values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and operation.get("operationId"):
                yield operation["operationId"]


def declared_handlers(module_name: str) -> dict[str, Handler]:
    """The functions a handlers package declares in `__all__`, by name."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        raise HandlerMismatch(module_name, [], ["(the package declares no __all__)"])
    return {name: getattr(module, name) for name in names}


def checked_handlers(spec_name: str, paths: Mapping[str, Mapping[str, Any]],
                     handlers: Mapping[str, Handler]) -> dict[str, Handler]:
    """`handlers` restricted to the spec's operations, or HandlerMismatch when either side has extras."""
    wanted = list(dict.fromkeys(operation_ids(paths)))
    missing = [name for name in wanted if name not in handlers]
    unused = sorted(set(handlers) - set(wanted))
    if missing or unused:
        raise HandlerMismatch(spec_name, missing, unused)
    return {name: handlers[name] for name in wanted}


def operation_resolver(handlers: Mapping[str, Handler]) -> Resolver:
    """A Connexion resolver over an already checked table (see `checked_handlers`)."""
    return Resolver(function_resolver=handlers.__getitem__)
