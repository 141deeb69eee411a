"""Response field order from the spec: each component schema's `properties`, in the order written.

A record goes on the wire with its schema's properties in that order, so the spec alone decides
it (and Schemathesis checks the same schema). The stored columns of a record are the same
properties less the ones its model derives on the way out (`columns`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ...core.sharing import SharedByForks


@dataclass(frozen=True)
class FieldOrder(SharedByForks):
    """One component schema's property names, in the spec's order."""

    schema: str
    names: tuple[str, ...]

    def view(self, values: Mapping[str, Any], /, **derived: Any) -> dict[str, Any]:
        """Every property in order: a `derived` value where given, else the one in `values`
        (a property found in neither is a KeyError: the model and the spec disagree)."""
        return {name: derived[name] if name in derived else values[name] for name in self.names}

    def columns(self, derived: Iterable[str] = ()) -> tuple[str, ...]:
        """The properties a stored row carries: all but those its model `derived` on the way out."""
        skipped = set(derived)
        missing = skipped - set(self.names)
        if missing:
            raise KeyError(f"{self.schema} has no properties {sorted(missing)}")
        return tuple(name for name in self.names if name not in skipped)


class FieldOrders(SharedByForks):
    """The property order of the spec's component schemas, each read once and kept."""

    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self._schemas = schemas
        self._orders: dict[str, FieldOrder] = {}

    @classmethod
    def from_spec(cls, document: Mapping[str, Any]) -> FieldOrders:
        return cls(document["components"]["schemas"])

    def of(self, schema: str) -> FieldOrder:
        order = self._orders.get(schema)
        if order is None:
            properties = self._schemas[schema].get("properties")
            if not properties:
                raise KeyError(f"component schema {schema} lists no properties")
            order = self._orders[schema] = FieldOrder(schema, tuple(properties))
        return order
