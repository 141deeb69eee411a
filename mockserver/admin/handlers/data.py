"""/__admin/data: a namespace's tables for the dashboard (browse.py): sizes, pages, records."""

from __future__ import annotations

import flask

from ...browse import overview, page, record
from ...core.bodies import json_response
from ..request import realm


def data_overview(namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    return json_response({"namespace": target.name, "vendors": overview(target)})


def data_page(vendor: str, table: str, offset: int = 0, limit: int = 50, q: str = "",
              namespace: str | None = None) -> flask.Response:
    return json_response(page(realm(namespace), vendor, table, offset, limit, q))


def data_record(vendor: str, table: str, record_id: str, namespace: str | None = None) -> flask.Response:
    return json_response(record(realm(namespace), vendor, table, record_id))
