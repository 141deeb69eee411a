"""/__admin handlers that answer what the client sent: counts, finds and near misses."""

from __future__ import annotations

import flask

from ...core.bodies import json_response
from ...core.errors import ErrorKind, MockError
from ...core.journal import Journal
from ...core.nearmiss import nearest
from ...core.patterns import PatternError, RequestPattern
from ...vendors.base import request_context
from ..request import json_body, realm


def _pattern() -> RequestPattern:
    try:
        return RequestPattern.from_dict(json_body())
    except PatternError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, str(exc), code="bad_pattern") from None


def _journal(pattern: RequestPattern, namespace: str | None) -> Journal:
    """Client calls; the admin API's own (its small ring) only when a pattern asks for them
    (`"vendor": "admin"`)."""
    live = realm(namespace)
    return live.admin_journal if pattern.vendor == "admin" else live.journal


def count_requests(namespace: str | None = None) -> flask.Response:
    pattern = _pattern()
    journal = _journal(pattern, namespace)
    return json_response({"count": journal.count(pattern), "journal_size": len(journal),
                          "journal_capacity": journal.capacity})


def find_requests(limit: int = 100, namespace: str | None = None) -> flask.Response:
    pattern = _pattern()
    journal = _journal(pattern, namespace)
    entries = journal.find(pattern, limit)
    return json_response({"total": len(journal), "requests": [e.as_dict() for e in entries]})


def unmatched_requests(limit: int = 100, namespace: str | None = None) -> flask.Response:
    mounts = {m.name: m for m in request_context().mounts}
    # A path outside every mount is compared with the full paths (mount prefix + template), so
    # a wrong base path (`/titus/api/v2/user/5`) still finds its route and says which API it is.
    every = [(method, m.prefix + template) for m in mounts.values() if m.name != "admin"
             for method, template in m.routes.operations()]
    found = []
    for entry in realm(namespace).journal.unmatched(limit):
        mount = mounts.get(entry.vendor or "")
        operations = mount.routes.operations() if mount is not None else every
        path = entry.vendor_path if entry.vendor_path is not None else entry.path
        if entry.vendor_path is None and entry.namespace and path.startswith(f"/ns/{entry.namespace}/"):
            path = path[len(f"/ns/{entry.namespace}"):]
        # A spec's OPTIONS operations (TeSLA's metadata) are no "did you mean" for another method.
        candidates = [(m, t) for m, t in operations if m != "OPTIONS" or entry.method.upper() == "OPTIONS"]
        found.append({**entry.as_dict(), "near_misses": nearest(entry.method, path, candidates)})
    return json_response({"requests": found})
