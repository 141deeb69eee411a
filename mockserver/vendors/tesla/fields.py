"""The order of the fields in a TeSLA answer: the property order of the spec's component schemas.

DRF writes a serializer's fields in their declared order, and clients see it; the spec declares
each response schema's properties in that order (`specs/tesla/openapi.yaml`), so the views take
it from there instead of keeping a second copy. `allOf` parts are read in order, then the
schema's own properties; write-only properties (passwords) are not answered.
"""

from __future__ import annotations

from typing import Any

from ...core.schema import SpecDocument


def _names(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    found: list[str] = []
    for part in schema.get("allOf") or []:
        found.extend(name for name in _names(part) if name not in found)
    for name, prop in (schema.get("properties") or {}).items():
        if name not in found and not (isinstance(prop, dict) and prop.get("writeOnly")):
            found.append(name)
    return found


class FieldOrders:
    """Each component schema's answered fields, in order; read once when the vendor starts."""

    def __init__(self, spec: SpecDocument) -> None:
        schemas = spec.resolved["components"]["schemas"]
        self._orders = {name: tuple(_names(schema)) for name, schema in schemas.items()}

    def __getitem__(self, schema: str) -> tuple[str, ...]:
        return self._orders[schema]
