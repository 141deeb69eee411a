"""Rolling-window request counters per credential: counters, not dice."""

from __future__ import annotations

import copy
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from .clock import Clock, parse_duration


@dataclass(frozen=True)
class Limit:
    requests: int
    window: float  # seconds

    @classmethod
    def parse(cls, text: str) -> "Limit":
        """`100/60s` -> 100 requests per 60 seconds; `0/60s` disables nothing, it blocks all."""
        try:
            count, _, window = text.partition("/")
            limit = cls(int(count), parse_duration(window or "60s"))
        except ValueError as exc:
            raise ValueError(f"not a rate limit: {text!r} (use e.g. 100/60s)") from exc
        if limit.requests < 0 or limit.window <= 0:
            raise ValueError(f"not a rate limit: {text!r} (use e.g. 100/60s)")
        return limit

    def __str__(self) -> str:
        return f"{self.requests}/{self.window:g}s"


@dataclass(frozen=True)
class Counter:
    """One credential's live count, as the admin API shows it."""

    used: int
    limit: Limit
    retry_after: float


class RateLimiter:
    """Allows at most `limit.requests` hits per key in any rolling `limit.window` seconds.

    A refused request is not counted, so a client that waits out the window recovers. A key may
    have its own limit (QA: one credential throttled harder than the rest).
    """

    def __init__(self, limit: Limit, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._own: dict[str, Limit] = {}
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict[int, Any]) -> "RateLimiter":
        """A limiter with the same limits and counts and a lock of its own (a backend's fork)."""
        with self._lock:
            twin = RateLimiter(self.limit, copy.deepcopy(self._clock, memo))
            twin._hits = {key: deque(hits) for key, hits in self._hits.items()}
            twin._own = dict(self._own)
        return twin

    def limit_for(self, key: str) -> Limit:
        return self._own.get(key, self.limit)

    def set_limit(self, limit: Limit, key: str | None = None) -> None:
        """Change the limit of every key, or of one key only."""
        with self._lock:
            if key is None:
                self.limit = limit
            else:
                self._own[key] = limit

    def fill(self, key: str, count: int) -> None:
        """Count `count` more requests for `key` at the current time (QA: start near the limit)."""
        now = self._clock.now()
        with self._lock:
            self._hits.setdefault(key, deque()).extend([now] * count)

    def hit(self, key: str) -> bool:
        """Record one request for `key`; False when it is over the limit."""
        now = self._clock.now()
        with self._lock:
            limit = self.limit_for(key)
            hits = self._hits.setdefault(key, deque())
            self._evict(hits, now, limit)
            if len(hits) >= limit.requests:
                return False
            hits.append(now)
            return True

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may send again (0 if it may now)."""
        now = self._clock.now()
        with self._lock:
            return self._retry_after(key, now)

    def counters(self) -> dict[str, Counter]:
        """Every key with requests in its window, or with a limit of its own."""
        now = self._clock.now()
        with self._lock:
            result = {}
            for key in sorted(set(self._hits) | set(self._own)):
                hits = self._hits.get(key, deque())
                self._evict(hits, now, self.limit_for(key))
                if hits or key in self._own:
                    result[key] = Counter(len(hits), self.limit_for(key), self._retry_after(key, now))
            return result

    def clear(self) -> None:
        """Forget every count (the limits stay)."""
        with self._lock:
            self._hits.clear()

    def _retry_after(self, key: str, now: float) -> float:
        limit = self.limit_for(key)
        if limit.requests <= 0:
            return limit.window  # nothing is ever let through
        hits = self._hits.get(key)
        if not hits:
            return 0.0
        self._evict(hits, now, limit)
        if len(hits) < limit.requests:
            return 0.0
        # The request that frees a slot is the one `limit.requests` places from the newest.
        return max(0.0, hits[len(hits) - limit.requests] + limit.window - now)

    @staticmethod
    def _evict(hits: deque[float], now: float, limit: Limit) -> None:
        horizon = now - limit.window
        while hits and hits[0] <= horizon:
            hits.popleft()
