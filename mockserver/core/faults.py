"""Fault rules: a request pattern and an action, for the next N, a seeded share, or until removed.

Decisions come from each rule's own seeded RNG, so the same seed and the same requests give the
same faults on every run. The book only decides; the gateway renders and applies the action.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .patterns import PatternError, RequestPattern, RequestView

ACTION_TYPES = ("status", "delay", "empty", "malformed", "drop", "reset")
MAX_DELAY_MS = 60_000

_ACTION_KEYS = ("type", "status", "body", "content_type", "headers", "delay_ms", "delay_max_ms", "when")
_RULE_KEYS = ("match", "action", "times", "percent", "priority", "name")


class FaultError(ValueError):
    """A fault rule the API must refuse; the message names the key."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _unknown(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise FaultError(f"unknown key(s): {', '.join(unknown)} (allowed: {', '.join(allowed)})")


@dataclass(frozen=True)
class FaultAction:
    """What to do to a matching request; `when` says whether the real handler runs first."""

    type: str
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_ms: float | None = None
    delay_max_ms: float | None = None
    when: str = "before"

    @classmethod
    def from_dict(cls, data: Any) -> "FaultAction":
        if not isinstance(data, Mapping):
            raise FaultError("action: must be a JSON object")
        _unknown(data, _ACTION_KEYS)
        kind = data.get("type")
        if kind not in ACTION_TYPES:
            raise FaultError(f"type: required, one of {', '.join(ACTION_TYPES)}")
        when = data.get("when", "after" if kind in ("empty", "malformed") else "before")
        if when not in ("before", "after"):
            raise FaultError("when: must be \"before\" or \"after\"")
        body, content_type = _body(kind, data)
        status = _status(kind, when, data, has_body=body is not None)
        delay_ms, delay_max_ms = _delays(kind, data)
        headers = data.get("headers") or {}
        if not isinstance(headers, Mapping) or not all(
                isinstance(k, str) and k and isinstance(v, str) for k, v in headers.items()):
            raise FaultError("headers: must be an object of header name -> string value")
        if headers and kind in ("drop", "reset"):
            raise FaultError(f"headers: type {kind} sends no response to put headers on")
        return cls(type=kind, status=status, body=body, content_type=content_type, headers=dict(headers),
                   delay_ms=delay_ms, delay_max_ms=delay_max_ms, when=when)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": self.type, "when": self.when}
        if self.status is not None:
            result["status"] = self.status
        if self.body is not None:
            result["body"] = self.body.decode("utf-8", errors="replace")
            result["content_type"] = self.content_type
        if self.headers:
            result["headers"] = dict(self.headers)
        if self.delay_ms is not None:
            result["delay_ms"] = self.delay_ms
        if self.delay_max_ms is not None:
            result["delay_max_ms"] = self.delay_max_ms
        return result


def _body(kind: str, data: Mapping[str, Any]) -> tuple[bytes | None, str | None]:
    content_type = data.get("content_type")
    if content_type is not None and (not isinstance(content_type, str) or not content_type.strip()):
        raise FaultError("content_type: must be a non-empty string")
    if "body" not in data:
        if content_type is not None:
            raise FaultError("content_type: only with a body")
        return None, None
    if kind != "status":
        raise FaultError(f"body: only with type status, not {kind}")
    value = data["body"]
    if isinstance(value, str):
        return value.encode("utf-8"), content_type or "text/plain"
    try:
        encoded = json.dumps(value, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise FaultError(f"body: not a JSON value ({exc})") from None
    return encoded, content_type or "application/json"


def _status(kind: str, when: str, data: Mapping[str, Any], has_body: bool) -> int | None:
    status = data.get("status")
    needs_error = kind in ("empty", "malformed") and when == "before"
    if status is None:
        if kind == "status":
            raise FaultError("status: required for type status")
        if needs_error:
            raise FaultError(f"status: required for {kind} with when \"before\" (the error that gets {kind})")
        return None
    if kind != "status" and not needs_error:
        raise FaultError(f"status: not allowed for type {kind} with when \"{when}\"")
    if not _is_int(status):
        raise FaultError("status: must be an integer")
    low = 200 if has_body else 400
    if not low <= status <= 599:
        why = "" if has_body else " without a body (only error bodies can be vendor-shaped)"
        raise FaultError(f"status: must be from {low} to 599{why}")
    if has_body and status in (204, 304):
        raise FaultError(f"status: {status} has no body in HTTP; give another status or no body")
    return status


def _delays(kind: str, data: Mapping[str, Any]) -> tuple[float | None, float | None]:
    delay_ms = data.get("delay_ms")
    delay_max_ms = data.get("delay_max_ms")
    for key, value in (("delay_ms", delay_ms), ("delay_max_ms", delay_max_ms)):
        if value is not None and (not _is_number(value) or not 0 <= value <= MAX_DELAY_MS):
            raise FaultError(f"{key}: must be a number from 0 to {MAX_DELAY_MS}")
    if kind == "delay" and delay_ms is None:
        raise FaultError("delay_ms: required for type delay")
    if delay_max_ms is not None:
        if delay_ms is None:
            raise FaultError("delay_max_ms: needs delay_ms")
        if delay_max_ms < delay_ms:
            raise FaultError("delay_max_ms: must be >= delay_ms")
    return (None if delay_ms is None else float(delay_ms),
            None if delay_max_ms is None else float(delay_max_ms))


@dataclass
class FaultRule:
    """One installed rule with its counters; `times` spent keeps it listed but inert."""

    id: str
    match: RequestPattern
    action: FaultAction
    times: int | None = None
    percent: float | None = None
    priority: int = 0
    name: str | None = None
    matched: int = 0
    applied: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.times is None else max(0, self.times - self.applied)

    @property
    def spent(self) -> bool:
        return self.times is not None and self.applied >= self.times

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "match": self.match.to_dict(), "action": self.action.to_dict(),
                "times": self.times, "percent": self.percent, "priority": self.priority,
                "matched": self.matched, "applied": self.applied, "remaining": self.remaining}


@dataclass(frozen=True)
class Applied:
    """The decision for one request: which rule, what to do, and the resolved delay."""

    rule_id: str
    action: FaultAction
    delay_seconds: float


class FaultBook:
    """The fault rules of one namespace. Thread-safe (a lock)."""

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self._rules: list[tuple[int, FaultRule]] = []  # (creation sequence, rule)
        self._rngs: dict[str, random.Random] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, data: Any) -> FaultRule:
        """Validate and install a rule; raises FaultError naming the bad key."""
        if not isinstance(data, Mapping):
            raise FaultError("a fault rule must be a JSON object")
        _unknown(data, _RULE_KEYS)
        try:
            match = RequestPattern.from_dict(data.get("match") if data.get("match") is not None else {})
        except PatternError as exc:
            raise FaultError(f"match: {exc}") from None
        if "action" not in data:
            raise FaultError("action: required")
        try:
            action = FaultAction.from_dict(data["action"])
        except FaultError as exc:
            message = str(exc)
            raise FaultError(message if message.startswith("action:") else f"action: {message}") from None
        times = data.get("times")
        if times is not None and (not _is_int(times) or times < 1):
            raise FaultError("times: must be an integer >= 1 (or null for no limit)")
        percent = data.get("percent")
        if percent is not None and (not _is_number(percent) or not 0 < percent <= 100):
            raise FaultError("percent: must be a number greater than 0 and at most 100")
        priority = data.get("priority", 0)
        if not _is_int(priority):
            raise FaultError("priority: must be an integer")
        name = data.get("name")
        if name is not None and not isinstance(name, str):
            raise FaultError("name: must be a string")
        with self._lock:
            sequence = next(self._ids)
            rule = FaultRule(id=f"fault-{sequence}", match=match, action=action, times=times,
                             percent=None if percent is None else float(percent), priority=priority, name=name)
            self._rngs[rule.id] = random.Random(f"{self.seed}:{rule.id}")
            self._rules.append((sequence, rule))
            self._rules.sort(key=lambda item: (-item[1].priority, item[0]))
        return rule

    def rules(self) -> list[FaultRule]:
        """All rules, spent ones included, in the order they are tried."""
        with self._lock:
            return [rule for _, rule in self._rules]

    def get(self, rule_id: str) -> FaultRule | None:
        with self._lock:
            return next((rule for _, rule in self._rules if rule.id == rule_id), None)

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [item for item in self._rules if item[1].id != rule_id]
            self._rngs.pop(rule_id, None)
            return len(self._rules) < before

    def clear(self, vendor: str | None = None) -> int:
        """Remove all rules (or one vendor's); an emptied book numbers from fault-1 again."""
        with self._lock:
            keep = [item for item in self._rules if vendor is not None and item[1].match.vendor != vendor]
            removed = len(self._rules) - len(keep)
            self._rules = keep
            self._rngs = {rule.id: self._rngs[rule.id] for _, rule in keep}
            if not keep:
                self._ids = itertools.count(1)
            return removed

    def pick(self, view: RequestView) -> Applied | None:
        """The one action for this request, or None; counts matches and applications."""
        with self._lock:
            for _, rule in self._rules:
                if rule.spent or not rule.match.matches(view):
                    continue
                rule.matched += 1
                rng = self._rngs[rule.id]
                if rule.percent is not None and rng.random() * 100.0 >= rule.percent:
                    continue
                rule.applied += 1
                action = rule.action
                if action.delay_max_ms is not None and action.delay_ms is not None:
                    delay_ms = rng.uniform(action.delay_ms, action.delay_max_ms)
                else:
                    delay_ms = action.delay_ms or 0.0
                return Applied(rule_id=rule.id, action=action, delay_seconds=delay_ms / 1000.0)
        return None


def corrupt(body: bytes) -> bytes:
    """A deterministic malformed copy: the first half, so JSON or XML no longer parses."""
    if len(body) < 2:
        return b"<"
    return body[: len(body) // 2]
