"""Realm-level QA controls shared by the admin API and scenario files: rate limits and state
overrides. Each checks everything first and changes nothing when it refuses."""

from __future__ import annotations

import copy
from typing import Any

from .core.clock import parse_duration
from .core.errors import ErrorKind, MockError
from .core.ratelimit import Limit, RateLimiter
from .core.state_check import Shape, StateError, check_state
from .realm import Realm
from .vendors.base import Backend, masked_path


def limiter_of(realm: Realm, vendor: str) -> RateLimiter:
    if vendor not in realm.vendors:
        raise MockError(ErrorKind.NOT_FOUND, f"vendor {vendor!r} is not mounted on this server")
    limiter = getattr(realm.backends[vendor], "rate_limiter", None)
    if limiter is None or realm.vendors[vendor].rate_limit_status is None:
        raise MockError(ErrorKind.NOT_FOUND, f"{vendor} has no rate limit (its documentation gives none)")
    return limiter


def ratelimit_view(realm: Realm) -> dict[str, Any]:
    vendors: dict[str, Any] = {}
    for name, vendor in realm.vendors.items():
        limiter = getattr(realm.backends[name], "rate_limiter", None)
        if limiter is None or vendor.rate_limit_status is None:
            continue
        credentials = {
            key: {"used": counter.used, "limit": counter.limit.requests, "window_seconds": counter.limit.window,
                  "retry_after_seconds": round(counter.retry_after, 3)}
            for key, counter in limiter.counters().items()
        }
        vendors[name] = {"limit": limiter.limit.requests, "window_seconds": limiter.limit.window,
                         "status": vendor.rate_limit_status, "credentials": credentials}
    return {"vendors": vendors}


def check_ratelimit(realm: Realm, change: dict[str, Any]) -> tuple[RateLimiter, Limit | None, str | None, int]:
    """Validate a `{vendor, credential?, limit?, window?, used?}` change without applying it."""
    unknown = set(change) - {"vendor", "credential", "limit", "window", "used"}
    if unknown:
        raise MockError(ErrorKind.BAD_REQUEST, f"unknown keys: {', '.join(sorted(unknown))}")
    vendor = change.get("vendor")
    if not isinstance(vendor, str):
        raise MockError(ErrorKind.BAD_REQUEST, "vendor is required")
    limiter = limiter_of(realm, vendor)
    credential = change.get("credential")
    if credential is not None and (not isinstance(credential, str) or not credential):
        raise MockError(ErrorKind.BAD_REQUEST, "credential must be a non-empty string")
    used = change.get("used", 0)
    if not isinstance(used, int) or isinstance(used, bool) or not 0 <= used <= 1_000_000:
        raise MockError(ErrorKind.BAD_REQUEST, "used must be an integer from 0 to 1000000")
    if used and credential is None:
        raise MockError(ErrorKind.BAD_REQUEST, "used needs a credential: it fills that credential's counter")
    limit = None
    if "limit" in change or "window" in change:
        current = limiter.limit_for(credential) if credential else limiter.limit
        requests = change.get("limit", current.requests)
        if not isinstance(requests, int) or isinstance(requests, bool) or requests < 0:
            raise MockError(ErrorKind.BAD_REQUEST, "limit must be a whole number of requests (0 or more)")
        try:
            window = parse_duration(change["window"]) if "window" in change else current.window
        except ValueError as exc:
            raise MockError(ErrorKind.BAD_REQUEST, str(exc)) from None
        if window <= 0:
            raise MockError(ErrorKind.BAD_REQUEST, "window must be longer than 0s")
        limit = Limit(requests, window)
    return limiter, limit, credential, used


def change_ratelimit(realm: Realm, change: dict[str, Any]) -> None:
    limiter, limit, credential, used = check_ratelimit(realm, change)
    if limit is not None:
        limiter.set_limit(limit, credential)
    if used and credential is not None:  # check_ratelimit refused `used` without a credential
        limiter.fill(credential, used)


def clear_ratelimits(realm: Realm, vendor: str | None) -> list[str]:
    names = [vendor] if vendor else [n for n, v in realm.vendors.items() if v.rate_limit_status is not None]
    cleared = []
    for name in names:
        limiter_of(realm, name).clear()
        cleared.append(name)
    return cleared


def merged_state(realm: Realm, vendor: str, override: Any) -> dict[str, Any]:
    """The vendor's current export with `override` merged in: rows by id, other lists appended."""
    if vendor not in realm.vendors:
        raise MockError(ErrorKind.NOT_FOUND, f"vendor {vendor!r} is not mounted on this server")
    if not isinstance(override, dict):
        raise MockError(ErrorKind.BAD_REQUEST, f"state.{vendor} must be an object")
    state = realm.backends[vendor].export_state()
    tables = override.get("tables", {})
    if not isinstance(tables, dict):
        raise MockError(ErrorKind.BAD_REQUEST, f"state.{vendor}.tables must be an object")
    for name, table in tables.items():
        if name not in state["tables"]:
            raise MockError(ErrorKind.BAD_REQUEST, f"state.{vendor}: no table {name!r} (tables: "
                            f"{', '.join(sorted(state['tables']))})")
        rows = table.get("rows") if isinstance(table, dict) else None
        if not isinstance(rows, list) or not all(isinstance(r, dict) and "id" in r for r in rows):
            raise MockError(ErrorKind.BAD_REQUEST, f"state.{vendor}.tables.{name}.rows must be a list of objects "
                            "with an id")
        current = {row["id"]: row for row in state["tables"][name]["rows"]}
        for row in copy.deepcopy(rows):
            current[row["id"]] = {**current.get(row["id"], {}), **row}
        state["tables"][name]["rows"] = list(current.values())
    for key, value in override.items():
        if key == "tables":
            continue
        if not isinstance(value, list) or not isinstance(state.get(key), list):
            raise MockError(ErrorKind.BAD_REQUEST, f"state.{vendor}.{key}: not a list this vendor's state has")
        state[key] = state[key] + copy.deepcopy(value)
    return state


def override_state(realm: Realm, overrides: dict[str, Any]) -> list[str]:
    """Merge state into several vendors at once: all of it, or (on any refusal) none of it."""
    merged = {vendor: merged_state(realm, vendor, override) for vendor, override in overrides.items()}
    saved = {vendor: realm.backends[vendor].export_state() for vendor in merged}
    done: list[str] = []
    try:
        for vendor, state in merged.items():
            realm.backends[vendor].import_state(state)
            done.append(vendor)
    except Exception as exc:
        for vendor in done:
            realm.backends[vendor].import_state(saved[vendor])
        raise MockError(ErrorKind.CONFLICT, f"state not applied, nothing changed: {exc}") from None
    return done


def import_checked_state(realm: Realm, vendor: str, data: Any, seed_shape: Shape, *, owned: bool = False) -> Backend:
    """Replace one vendor's state with an export (`GET /__admin/state/{vendor}?secrets=true`, a
    state file): refused whole, with the first bad item named, or applied whole. `seed_shape`:
    the kinds of value the seed's columns hold (Runtime.seed_shape); `owned`: `data` was parsed
    for this call alone, so its rows go in without a copy."""
    if not isinstance(data, dict):
        raise MockError(ErrorKind.BAD_REQUEST, "state not imported, nothing changed: a vendor's state must be an object")
    backend = realm.backends[vendor]
    secret_fields = realm.vendors[vendor].secret_fields
    masked = masked_path(data, secret_fields)
    if masked is not None:
        raise MockError(ErrorKind.BAD_REQUEST, f"state not imported, nothing changed: {masked} is a masked secret; "
                        f"export with ?secrets=true to import the state back", code="masked_secret")
    try:
        check_state(data, seed_shape, realm.vendors[vendor].state_references)
    except StateError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"state not imported, nothing changed: {exc}", code="bad_state") from None
    try:
        backend.import_state(data, owned=owned)
    except Exception as exc:  # unknown tables, clashing unique keys: the state does not fit this vendor
        raise MockError(ErrorKind.CONFLICT, f"state not imported, nothing changed: {exc}") from None
    return backend


def check_rule_match(rule: Any, vendors: Any) -> None:
    """What a fault rule's match may name beyond its own syntax: a mounted vendor, and no
    `status` (a rule acts before the answer exists) or `include_preflight` (both are for journal
    patterns)."""
    match = rule.get("match") if isinstance(rule, dict) else None
    if not isinstance(match, dict):
        return
    if "status" in match:
        raise MockError(ErrorKind.BAD_REQUEST, "match: status: a fault rule acts before there is an answer; "
                        "status only matches journal entries (requests/count, requests/find)", code="bad_fault")
    if "include_preflight" in match:
        raise MockError(ErrorKind.BAD_REQUEST, "match: include_preflight: preflights are answered by the CORS "
                        "layer before fault rules; include_preflight only applies to requests/count and "
                        "requests/find", code="bad_fault")
    vendor = match.get("vendor")
    if isinstance(vendor, str) and vendor not in vendors:
        raise MockError(ErrorKind.BAD_REQUEST, f"match: vendor: {vendor!r} is not mounted here (mounted: "
                        f"{', '.join(vendors)})", code="bad_fault")
