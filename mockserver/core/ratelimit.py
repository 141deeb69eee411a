"""Rolling-window request counters per credential: counters, not dice."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from .clock import Clock


@dataclass(frozen=True)
class Limit:
    requests: int
    window: float  # seconds

    @classmethod
    def parse(cls, text: str) -> "Limit":
        """`100/60s` -> 100 requests per 60 seconds; `0/60s` disables nothing, it blocks all."""
        from .clock import parse_duration

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


class RateLimiter:
    """Allows at most `limit.requests` hits per key in any rolling `limit.window` seconds.

    A refused request is not counted, so a client that waits out the window recovers.
    """

    def __init__(self, limit: Limit, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Record one request for `key`; False when it is over the limit."""
        now = self._clock.now()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            self._evict(hits, now)
            if len(hits) >= self.limit.requests:
                return False
            hits.append(now)
            return True

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may send again (0 if it may now)."""
        now = self._clock.now()
        with self._lock:
            hits = self._hits.get(key)
            if not hits:
                return 0.0
            self._evict(hits, now)
            if len(hits) < self.limit.requests:
                return 0.0
            return max(0.0, hits[0] + self.limit.window - now)

    def counters(self) -> dict[str, int]:
        now = self._clock.now()
        with self._lock:
            for hits in self._hits.values():
                self._evict(hits, now)
            return {key: len(hits) for key, hits in self._hits.items() if hits}

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()

    def _evict(self, hits: deque[float], now: float) -> None:
        horizon = now - self.limit.window
        while hits and hits[0] <= horizon:
            hits.popleft()
