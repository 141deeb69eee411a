"""Namespaces: isolated copies of the whole mock, one per CI job, under `/ns/{name}/...`.

Each is created from the fixtures on first use, dropped when idle for the configured time, and
capped in number so a runaway job cannot exhaust memory (each holds a full seeded state).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .core.errors import ErrorKind, MockError

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PREFIX = "/ns/"
T = TypeVar("T")


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise MockError(ErrorKind.BAD_REQUEST, f"not a namespace name: {name!r} (letters, digits, '.', '_', '-'; "
                        "1 to 64 characters, starting with a letter or digit)", code="bad_namespace")
    return name


def split_path(path: str) -> tuple[str, str] | None:
    """`/ns/job-1/litmos/v1.svc/users` -> ("job-1", "/litmos/v1.svc/users"); None if no prefix."""
    if not path.startswith(PREFIX):
        return None
    name, slash, rest = path[len(PREFIX):].partition("/")
    return name, slash + rest if slash else "/"


class _Slot(Generic[T]):
    def __init__(self, realm: T, now: float) -> None:
        self.realm = realm
        self.created = time.time()
        self.last_used = now
        self.wall_last_used = self.created
        self.requests = 0


class Namespaces(Generic[T]):
    """name -> realm, built on first use by `factory`. Idle time is wall time, not mock time."""

    def __init__(self, factory: Callable[[str], T], max_count: int, idle_ttl: float,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._factory = factory
        self.max_count = max_count
        self.idle_ttl = idle_ttl
        self._monotonic = monotonic
        self._slots: dict[str, _Slot[T]] = {}
        self._lock = threading.Lock()

    def get(self, name: str, count_request: bool = False) -> T:
        check_name(name)
        now = self._monotonic()
        with self._lock:
            self._sweep(now)
            slot = self._slots.get(name)
            if slot is None:
                if len(self._slots) >= self.max_count:
                    oldest = min((s.last_used for s in self._slots.values()), default=now)
                    wait = max(1, math.ceil(oldest + self.idle_ttl - now))
                    raise MockError(
                        ErrorKind.RATE_LIMITED, f"namespace limit reached ({self.max_count} live namespaces); delete "
                        "one with DELETE /__admin/namespaces/{name}, wait for idle ones to expire, or start the mock "
                        "with a higher --max-namespaces", status=429, code="namespace_limit",
                        headers={"Retry-After": str(wait)})
                # Built under the lock: two first requests of one job must not build two states.
                slot = self._slots[name] = _Slot(self._factory(name), now)
            slot.last_used = now
            slot.wall_last_used = time.time()
            if count_request:
                slot.requests += 1
            return slot.realm

    def delete(self, name: str) -> bool:
        check_name(name)
        with self._lock:
            return self._slots.pop(name, None) is not None

    def clear(self) -> list[str]:
        """Drop every namespace; their names, in the order they were made."""
        with self._lock:
            names = list(self._slots)
            self._slots.clear()
            return names

    def describe(self) -> list[dict[str, Any]]:
        """Live namespaces, most recently used first."""
        now = self._monotonic()
        with self._lock:
            self._sweep(now)
            slots = sorted(self._slots.items(), key=lambda item: item[1].last_used, reverse=True)
            return [{"name": name, "created": round(slot.created, 3), "last_used": round(slot.wall_last_used, 3),
                     "idle_seconds": round(now - slot.last_used, 3), "requests": slot.requests}
                    for name, slot in slots]

    def realms(self) -> list[T]:
        """The live namespaces' realms (for gauges read at scrape time)."""
        with self._lock:
            return [slot.realm for slot in self._slots.values()]

    def __len__(self) -> int:
        return len(self._slots)

    def _sweep(self, now: float) -> None:
        for name in [n for n, slot in self._slots.items() if now - slot.last_used > self.idle_ttl]:
            del self._slots[name]
