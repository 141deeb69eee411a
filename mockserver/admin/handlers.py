"""/__admin handlers: health, reset, journal, state export/import, clock."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import flask

from .. import __version__
from ..core.bodies import BodyError, json_response, parse_json
from ..core.clock import ClockRangeError, parse_duration
from ..core.errors import ErrorKind, MockError
from ..runtime import Runtime
from ..vendors.base import request_scope


def _runtime() -> Runtime:
    return request_scope()["mockserver.runtime"]


def _mounted(vendor: str | None) -> str | None:
    if vendor is not None and vendor not in _runtime().vendors:
        raise MockError(ErrorKind.NOT_FOUND, f"vendor {vendor!r} is not mounted on this server")
    return vendor


def _json_object() -> dict[str, Any]:
    try:
        data = parse_json(flask.request.get_data())
    except BodyError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MockError(ErrorKind.BAD_REQUEST, "request body must be a JSON object")
    return data


def health() -> flask.Response:
    runtime = _runtime()
    mounts = {m.name: m.prefix or "/" for m in request_scope()["mockserver.mounts"]}
    return json_response({"status": "ok", "version": __version__, "vendors": list(runtime.vendors), "mounts": mounts})


def reset(vendor: str | None = None) -> flask.Response:
    runtime = _runtime()
    names = runtime.reset(_mounted(vendor))
    runtime.journal.clear(vendor)
    return json_response({"reset": names})


def list_requests(vendor: str | None = None, method: str | None = None, path: str | None = None,
                  status: int | None = None, limit: int = 100) -> flask.Response:
    journal = _runtime().journal
    entries = journal.entries(vendor=vendor, method=method, path=path, status=status, limit=limit)
    return json_response({"total": len(journal), "requests": [e.as_dict() for e in entries]})


def clear_requests(vendor: str | None = None) -> flask.Response:
    return json_response({"cleared": _runtime().journal.clear(vendor)})


def export_state(vendor: str) -> flask.Response:
    backend = _runtime().backends[_mounted(vendor)]
    return json_response(backend.export_state())


def import_state(vendor: str) -> flask.Response:
    runtime = _runtime()
    backend = runtime.backends[_mounted(vendor)]
    data = _json_object()
    try:
        backend.import_state(data)
    except Exception as exc:  # unknown tables, clashing unique keys: the state does not fit this vendor
        raise MockError(ErrorKind.CONFLICT, f"state not imported, nothing changed: {exc}") from None
    return json_response({"imported": vendor, "tables": {n: len(t) for n, t in backend.tables.items()}})


def _clock_view() -> dict[str, Any]:
    clock = _runtime().clock
    now = clock.now()
    iso = datetime.fromtimestamp(now, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    return {"now": now, "iso": iso, "offset_seconds": clock.offset, "frozen": clock.frozen}


def get_clock() -> flask.Response:
    return json_response(_clock_view())


def set_clock() -> flask.Response:
    clock = _runtime().clock
    data = _json_object()
    unknown = set(data) - {"advance", "set", "freeze", "reset"}
    if unknown or not data:
        raise MockError(ErrorKind.BAD_REQUEST, "use one or more of: advance, set, freeze, reset")
    freeze = data.get("freeze")
    try:
        if freeze is not None and not isinstance(freeze, bool):
            raise ValueError("freeze must be true or false")
        if data.get("reset") is True:
            clock.reset()
        if freeze:  # freeze first, so a `set` in the same call lands exactly
            clock.freeze()
        if "set" in data:
            clock.set(_parse_instant(data["set"]))
        if "advance" in data:
            clock.advance(parse_duration(data["advance"]))
        if freeze is False:
            clock.unfreeze()
    except ClockRangeError as exc:
        raise MockError(ErrorKind.CONFLICT, str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise MockError(ErrorKind.BAD_REQUEST, str(exc)) from None
    return json_response(_clock_view())


def _parse_instant(value: Any) -> float:
    if not isinstance(value, str):
        raise ValueError("set must be an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"set: not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()
