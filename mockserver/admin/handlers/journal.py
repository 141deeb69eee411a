"""/__admin/requests: the journal, newest first, paged with `before`.

A realm journals its client calls; the admin API's own calls sit in a small ring beside them
(realm.py), listed here with `include=admin` or `vendor=admin`. Health checks are in neither."""

from __future__ import annotations

import heapq
from typing import Any

import flask

from ...core.bodies import json_response
from ...core.journal import Entry
from ..request import realm


def list_requests(vendor: str | None = None, method: str | None = None, path: str | None = None,
                  status: int | None = None, limit: int = 100, before: int | None = None,
                  namespace: str | None = None, include: str | None = None) -> flask.Response:
    live = realm(namespace)
    if vendor == "admin":
        journals = [live.admin_journal]
    elif include == "admin":
        journals = [live.journal, live.admin_journal]
    else:
        journals = [live.journal]
    found = [journal.entries(vendor=vendor, method=method, path=path, status=status, limit=limit, before=before)
             for journal in journals]
    entries: list[Entry] = list(heapq.merge(*found, key=lambda entry: -entry.id))[:limit]
    page: dict[str, Any] = {"total": sum(len(journal) for journal in journals),
                            "requests": [e.as_dict() for e in entries]}
    if len(entries) == limit:
        page["next_before"] = entries[-1].id  # pass as `before` for the next, older page
    return json_response(page)


def clear_requests(vendor: str | None = None, namespace: str | None = None) -> flask.Response:
    live = realm(namespace)
    if vendor == "admin":
        return json_response({"cleared": live.admin_journal.clear()})
    cleared = live.journal.clear(vendor) + (live.admin_journal.clear() if vendor is None else 0)
    return json_response({"cleared": cleared})
