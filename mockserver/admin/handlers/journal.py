"""/__admin/requests: the journal, newest first, paged with `before`."""

from __future__ import annotations

from typing import Any

import flask

from ...core.bodies import json_response
from ..request import realm


def list_requests(vendor: str | None = None, method: str | None = None, path: str | None = None,
                  status: int | None = None, limit: int = 100, before: int | None = None,
                  namespace: str | None = None) -> flask.Response:
    journal = realm(namespace).journal
    entries = journal.entries(vendor=vendor, method=method, path=path, status=status, limit=limit, before=before)
    page: dict[str, Any] = {"total": len(journal), "requests": [e.as_dict() for e in entries]}
    if len(entries) == limit:
        page["next_before"] = entries[-1].id  # pass as `before` for the next, older page
    return json_response(page)


def clear_requests(vendor: str | None = None, namespace: str | None = None) -> flask.Response:
    return json_response({"cleared": realm(namespace).journal.clear(vendor)})
