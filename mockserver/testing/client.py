"""A small client for the mock's admin API (specs/admin/openapi.yaml), for tests written in Python.

Every method is one admin call; a non-2xx answer raises `MockAdminError` so a test never goes on
with a mock that refused its setup.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

ADMIN = "/__admin"


class MockAdminError(Exception):
    """The admin API refused a call: `status` and the parsed `body` (the mock's own error JSON)."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body
        super().__init__(f"admin API answered {status}: {body}")


def _duration(value: str | float | timedelta) -> str:
    """`"61s"` passes; numbers are seconds and timedeltas are sent in milliseconds."""
    if isinstance(value, str):
        return value
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    text = f"{seconds * 1000:.3f}".rstrip("0").rstrip(".")
    return f"{text}ms"


def _instant(value: str | datetime) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:  # the mock runs in UTC; a naive datetime means UTC here
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _pattern(pattern: Mapping[str, Any] | None, keywords: Mapping[str, Any]) -> dict[str, Any]:
    """A RequestPattern from a mapping and/or keywords; top-level None means "not given"."""
    merged = {**(pattern or {}), **keywords}
    return {key: value for key, value in merged.items() if value is not None}


class MockClient:
    """Drives one mock server (and one namespace of it, when given) through its admin API."""

    def __init__(self, base_url: str, namespace: str | None = None, timeout: float = 10,
                 *, admin_token: str | None = None, _http: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.namespace_name = namespace
        self.admin_token = admin_token  # sent as a Bearer token on admin calls (servers run with --admin-token)
        self._owns_http = _http is None
        self.http = _http or httpx.Client(base_url=self.base_url, timeout=timeout)

    # --- plumbing -----------------------------------------------------------------------------

    def url(self, path: str = "") -> str:
        """Full URL of a vendor (or admin) path in this client's namespace: `url("/titus/api/v1/user/5")`."""
        prefix = f"/ns/{self.namespace_name}" if self.namespace_name else ""
        if path and not path.startswith("/"):
            path = "/" + path
        return f"{self.base_url}{prefix}{path}"

    def namespace(self, name: str) -> MockClient:
        """The same server seen through namespace `name` (shares this client's connection pool)."""
        return MockClient(self.base_url, namespace=name, admin_token=self.admin_token, _http=self.http)

    def _call(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
              namespaced: bool = True, **kwargs: Any) -> Any:
        query = {key: value for key, value in (params or {}).items() if value is not None}
        if namespaced and self.namespace_name:
            query["namespace"] = self.namespace_name
        if self.admin_token:
            kwargs["headers"] = {**kwargs.get("headers", {}), "Authorization": f"Bearer {self.admin_token}"}
        response = self.http.request(method, ADMIN + path, params=query, **kwargs)
        try:
            body: Any = response.json() if response.content else None
        except ValueError:
            body = response.text
        if not response.is_success:
            raise MockAdminError(response.status_code, body)
        return body

    # --- state --------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    def reset(self, vendor: str | None = None, *, drop_namespaces: bool = False) -> dict[str, Any]:
        """Back to the seed: state, ids, clock, fault rules, counters and journal (or one vendor's).
        `drop_namespaces` (default namespace only) also drops every named namespace, in the same call."""
        return self._call("POST", "/reset", params={"vendor": vendor,
                                                    "namespaces": "drop" if drop_namespaces else None})

    def state(self, vendor: str, secrets: bool = False) -> dict[str, Any]:
        """A vendor's whole state; credentials masked unless `secrets` (needed to import it back)."""
        return self._call("GET", f"/state/{vendor}", params={"secrets": "true" if secrets else None})

    def set_state(self, vendor: str, state: Mapping[str, Any]) -> dict[str, Any]:
        """Replace a vendor's state with an earlier `state(vendor, secrets=True)` export."""
        return self._call("PUT", f"/state/{vendor}", json=state)

    def snapshot(self, name: str) -> dict[str, Any]:
        """Keep every vendor's data as it is now under `name` (this namespace's; the name again replaces it)."""
        return self._call("POST", "/snapshots", json={"name": name})

    def restore(self, name: str) -> dict[str, Any]:
        """Every vendor's data back to snapshot `name`, which stays, to restore again."""
        return self._call("POST", f"/snapshots/{name}/restore")

    def snapshots(self) -> list[dict[str, Any]]:
        return self._call("GET", "/snapshots")["snapshots"]

    def delete_snapshot(self, name: str) -> dict[str, Any]:
        return self._call("DELETE", f"/snapshots/{name}")

    def load_scenario(self, scenario: str | os.PathLike[str] | Mapping[str, Any]) -> dict[str, Any]:
        """Apply a scenario: a YAML/JSON file path (sent as is) or a mapping (sent as JSON)."""
        if isinstance(scenario, Mapping):
            return self._call("POST", "/scenarios", json=scenario)
        path = Path(scenario)
        kind = "application/json" if path.suffix.lower() == ".json" else "application/yaml"
        return self._call("POST", "/scenarios", content=path.read_bytes(), headers={"Content-Type": kind})

    def scenarios(self) -> list[dict[str, Any]]:
        return self._call("GET", "/scenarios")["scenarios"]

    # --- fault rules ----------------------------------------------------------------------------

    def add_fault(self, match: Mapping[str, Any] | None = None, action: Mapping[str, Any] | None = None,
                  times: int | None = None, percent: float | None = None, priority: int | None = None,
                  name: str | None = None) -> dict[str, Any]:
        """Add a rule; `add_fault({"match": ..., "action": ...})` (one whole rule) works too."""
        if action is None and match is not None and "action" in match:
            rule = dict(match)
        else:
            if action is None:
                raise TypeError("add_fault needs an action, e.g. {'type': 'status', 'status': 503}")
            rule = {"match": dict(match or {}), "action": dict(action), "times": times,
                    "percent": percent, "priority": priority, "name": name}
        return self._call("POST", "/faults", json={k: v for k, v in rule.items() if v is not None})

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "/faults")["faults"]

    def fault(self, fault_id: str) -> dict[str, Any]:
        return self._call("GET", f"/faults/{fault_id}")

    def remove_fault(self, fault_id: str) -> dict[str, Any]:
        return self._call("DELETE", f"/faults/{fault_id}")

    def clear_faults(self, vendor: str | None = None) -> int:
        return self._call("DELETE", "/faults", params={"vendor": vendor})["removed"]

    # --- clock ----------------------------------------------------------------------------------

    def clock(self) -> dict[str, Any]:
        return self._call("GET", "/clock")

    def _set_clock(self, change: Mapping[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/clock", json=change)

    def advance(self, duration: str | float | timedelta) -> datetime:
        """Move the mock's time forward (`"61s"`, `"2h"`, seconds as a number, or a timedelta)."""
        return self._when(self._set_clock({"advance": _duration(duration)}))

    def set_time(self, instant: str | datetime) -> datetime:
        return self._when(self._set_clock({"set": _instant(instant)}))

    def freeze(self) -> datetime:
        return self._when(self._set_clock({"freeze": True}))

    def unfreeze(self) -> datetime:
        return self._when(self._set_clock({"freeze": False}))

    def reset_clock(self) -> datetime:
        return self._when(self._set_clock({"reset": True}))

    def now(self) -> datetime:
        """The mock's current time (UTC)."""
        return self._when(self.clock())

    @staticmethod
    def _when(clock: Mapping[str, Any]) -> datetime:
        return datetime.fromtimestamp(clock["now"], tz=timezone.utc)

    # --- verification ---------------------------------------------------------------------------

    def count(self, pattern: Mapping[str, Any] | None = None, /, **keywords: Any) -> int:
        """Journalled requests matching a RequestPattern: `count(method="POST", path="/user", body={...})`."""
        return self._call("POST", "/requests/count", json=_pattern(pattern, keywords))["count"]

    def find(self, pattern: Mapping[str, Any] | None = None, /, limit: int = 100,
             **keywords: Any) -> list[dict[str, Any]]:
        """The matching journal entries, newest first."""
        return self._call("POST", "/requests/find", params={"limit": limit},
                          json=_pattern(pattern, keywords))["requests"]

    def assert_requested(self, pattern: Mapping[str, Any] | None = None, /, times: int | None = 1,
                         **keywords: Any) -> list[dict[str, Any]]:
        """Assert the client made exactly `times` calls matching the pattern (`times=None`: at
        least one), and return them. A failure says what was expected and what arrived: the
        latest calls to that vendor, and calls no route matched with the routes nearest to them."""
        wanted = _pattern(pattern, keywords)
        found = self.find(wanted, limit=10_000)
        if (len(found) >= 1) if times is None else (len(found) == times):
            return found
        expected = "at least 1 call" if times is None else f"{times} call{'s' if times != 1 else ''}"
        raise AssertionError("\n".join([f"expected {expected} matching {wanted}, found {len(found)}",
                                        *self._what_arrived(wanted.get("vendor"))]))

    def assert_not_requested(self, pattern: Mapping[str, Any] | None = None, /, **keywords: Any) -> None:
        """Assert no call matched the pattern (the failure lists the ones that did)."""
        self.assert_requested(pattern, times=0, **keywords)

    def _what_arrived(self, vendor: str | None) -> list[str]:
        lines = []
        latest = self.requests(vendor=vendor, limit=10)
        lines.append(f"latest {len(latest)} call(s){' to ' + vendor if vendor else ''}, newest first:"
                     if latest else "no call arrived" + (f" for {vendor}" if vendor else ""))
        for entry in latest:
            lines.append(f"  {entry['method']} {entry.get('vendor_path') or entry['path']}"
                         f"{'?' + entry['query'] if entry.get('query') else ''} -> {entry['status']}"
                         f"{' [' + entry['fault'] + ']' if entry.get('fault') else ''}")
        for entry in self.unmatched(limit=5):
            near = ", ".join(f"{m['method']} {m['path']}" for m in entry.get("near_misses", [])) or "nothing near"
            lines.append(f"  no route for {entry['method']} {entry['path']}; nearest: {near}")
        return lines

    def unmatched(self, limit: int = 100) -> list[dict[str, Any]]:
        """Requests no operation matched, each with its `near_misses`."""
        return self._call("GET", "/requests/unmatched", params={"limit": limit})["requests"]

    def requests(self, vendor: str | None = None, method: str | None = None, path: str | None = None,
                 status: int | None = None, limit: int | None = None,
                 include_admin: bool = False) -> list[dict[str, Any]]:
        """The journal of client calls, newest first (`path` is a substring filter); with
        `include_admin` also the admin API's own calls (the last 100)."""
        params = {"vendor": vendor, "method": method, "path": path, "status": status, "limit": limit,
                  "include": "admin" if include_admin else None}
        return self._call("GET", "/requests", params=params)["requests"]

    def clear_requests(self, vendor: str | None = None) -> int:
        return self._call("DELETE", "/requests", params={"vendor": vendor})["cleared"]

    # --- rate limits ----------------------------------------------------------------------------

    def ratelimits(self) -> dict[str, Any]:
        return self._call("GET", "/ratelimits")

    def set_ratelimit(self, vendor: str, credential: str | None = None, limit: int | None = None,
                      window: str | float | timedelta | None = None, used: int | None = None) -> dict[str, Any]:
        """Change a limit; `used=N` pre-fills the credential's counter so the next call can be over it."""
        change = {"vendor": vendor, "credential": credential, "limit": limit,
                  "window": None if window is None else _duration(window), "used": used}
        return self._call("PUT", "/ratelimits", json={k: v for k, v in change.items() if v is not None})

    def clear_ratelimits(self, vendor: str | None = None) -> list[str]:
        return self._call("DELETE", "/ratelimits", params={"vendor": vendor})["cleared"]

    # --- namespaces (server-wide) ----------------------------------------------------------------

    def namespaces(self) -> list[dict[str, Any]]:
        return self._call("GET", "/namespaces", namespaced=False)["namespaces"]

    def delete_namespace(self, name: str) -> dict[str, Any]:
        return self._call("DELETE", f"/namespaces/{name}", namespaced=False)

    # --- lifetime -------------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> MockClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        where = f" namespace={self.namespace_name!r}" if self.namespace_name else ""
        return f"<MockClient {self.base_url}{where}>"


__all__ = ["MockAdminError", "MockClient"]
