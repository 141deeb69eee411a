"""Titus Connect's JSON representation: each record's fields in its schema's order, a created
record with its Location, the bulk result envelope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import flask

from ...core.bodies import json_response
from ..base import mount_base_url
from .errors import error_body

if TYPE_CHECKING:  # the models use FieldOrder, so this module imports none of them when it runs
    from .models.bulk import ItemResult


@dataclass(frozen=True)
class FieldOrder:
    """A component schema's properties in the spec's order: the order a record's fields go on the wire."""

    schema: str
    names: tuple[str, ...]

    def view(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Every property of the schema, in order, taken from `values` (a missing one is a KeyError:
        the model and the spec disagree)."""
        return {name: values[name] for name in self.names}


class FieldOrders:
    """The property order of the spec's component schemas, each read once."""

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


def created(item: dict[str, Any], resource: str) -> flask.Response:
    """201 with the new item, its Location being `{mount}/{resource}/{id}`."""
    return json_response(item, 201, headers={"Location": f"{mount_base_url()}/{resource}/{item['id']}"})


def bulk_response(results: list[ItemResult], key: str | None = None) -> flask.Response:
    """200 with a result per item, in order, and a summary (docs/titus.md, "Bulk writes")."""
    body: list[dict[str, Any]] = []
    for result in results:
        entry: dict[str, Any] = {"index": result.index, "status": result.status}
        if result.error is not None:
            entry["error"] = error_body(result.error)
        elif result.data is not None:
            if key is None:
                entry["id"] = result.data["id"]
            else:
                entry["key"] = {name: result.data[name] for name in key.split(",")}
            entry["data"] = result.data
        body.append(entry)
    failed = sum(1 for r in results if r.error is not None)
    return json_response({"results": body,
                          "summary": {"total": len(results), "succeeded": len(results) - failed, "failed": failed}})
