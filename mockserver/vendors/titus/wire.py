"""Titus Connect's JSON representation: a created record with its Location, the bulk result
envelope (each record's fields in its schema's order: field_order.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flask

from ...core.bodies import json_response
from ..base import mount_base_url
from .errors import error_body

if TYPE_CHECKING:  # annotations only: the models never import the wire format
    from .models.bulk import ItemResult


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
