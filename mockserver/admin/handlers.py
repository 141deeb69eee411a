"""/__admin handlers: health, reset, journal, state and clock; the QA toolkit's handlers live in
`qa.py` and `verification.py` and are served from here (Connexion resolves operations in this module)."""

from __future__ import annotations

from typing import Any

import flask

from .. import __version__
from ..core.bodies import json_response
from ..core.clock import ClockRangeError, apply_change
from ..core.errors import ErrorKind, MockError
from ..core.state_check import StateError, check_state
from ..vendors.base import mask_secrets, masked_path, request_context
from .common import json_object, mounted, realm, server
from .qa import (  # noqa: F401 (operations served by this module)
    add_fault, clear_faults, clear_ratelimits, delete_fault, delete_namespace, get_fault, get_ratelimits,
    list_faults, list_namespaces, list_scenarios, load_scenario, set_ratelimit,
)
from .verification import count_requests, find_requests, unmatched_requests  # noqa: F401

__all__ = [
    "health", "reset", "list_requests", "clear_requests", "export_state", "import_state", "get_clock", "set_clock",
    "add_fault", "clear_faults", "clear_ratelimits", "delete_fault", "delete_namespace", "get_fault",
    "get_ratelimits", "list_faults", "list_namespaces", "list_scenarios", "load_scenario", "set_ratelimit",
    "count_requests", "find_requests", "unmatched_requests",
]


def health() -> flask.Response:
    target = realm()
    mounts = {m.name: m.prefix or "/" for m in request_context().mounts}
    return json_response({"status": "ok", "version": __version__, "vendors": list(target.vendors), "mounts": mounts,
                          "namespace": target.name})


def reset(vendor: str | None = None, namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    names = target.reset(mounted(target, vendor))
    return json_response({"reset": names, "namespace": target.name})


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


def export_state(vendor: str, secrets: bool = False, namespace: str | None = None) -> flask.Response:
    """Credentials (tokens, API keys, secrets, password hashes) masked unless `secrets=true`."""
    target = realm(namespace)
    state = target.backends[mounted(target, vendor)].export_state()
    if not secrets:
        state = mask_secrets(state, target.vendors[vendor].secret_fields)
    return json_response(state)


def import_state(vendor: str, namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    backend = target.backends[mounted(target, vendor)]
    data = json_object()
    masked = masked_path(data, target.vendors[vendor].secret_fields)
    if masked is not None:
        raise MockError(ErrorKind.BAD_REQUEST, f"state not imported, nothing changed: {masked} is a masked secret; "
                        f"export with ?secrets=true to import the state back", code="masked_secret")
    try:
        check_state(data, server().seed_shape(vendor), target.vendors[vendor].state_references)
    except StateError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"state not imported, nothing changed: {exc}", code="bad_state") from None
    try:
        backend.import_state(data)
    except Exception as exc:  # unknown tables, clashing unique keys: the state does not fit this vendor
        raise MockError(ErrorKind.CONFLICT, f"state not imported, nothing changed: {exc}") from None
    return json_response({"imported": vendor, "tables": {n: len(t) for n, t in backend.tables.items()}})


def get_clock(namespace: str | None = None) -> flask.Response:
    return json_response(realm(namespace).clock.view())


def set_clock(namespace: str | None = None) -> flask.Response:
    clock = realm(namespace).clock
    try:
        apply_change(clock, json_object())
    except ClockRangeError as exc:
        raise MockError(ErrorKind.CONFLICT, str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise MockError(ErrorKind.BAD_REQUEST, str(exc)) from None
    return json_response(clock.view())
