"""What a slow start is doing, said once the start has taken more than half a second.

A start with the packaged seed says nothing before its banner. One that takes longer (a big
seed, a cold machine) names the step it is in when the half second passes, then each step as it
begins and, about once a second, how many records it has checked or built."""

from __future__ import annotations

import logging
import threading
import time

LOG = logging.getLogger("mockserver.startup")
QUIET_FOR = 0.5  # seconds a start may take before it says what it is doing


class StartupProgress:
    """Steps and counts of one start. `StartupProgress.silent()` says nothing (tests, embedding)."""

    def __init__(self, log: logging.Logger | None = LOG, quiet_for: float | None = None, every: float = 1.0) -> None:
        self._log = log if log is not None and log.isEnabledFor(logging.INFO) else None
        quiet_for = QUIET_FOR if quiet_for is None else quiet_for
        self._every = every
        self._started = time.monotonic()
        self._step = "starting"
        self._speaking = False
        self._last_count = 0.0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if self._log is not None:
            self._timer = threading.Timer(quiet_for, self._half_second_passed)
            self._timer.daemon = True
            self._timer.start()

    @classmethod
    def silent(cls) -> "StartupProgress":
        return cls(None)

    def step(self, text: str) -> None:
        """A step begins: said now if the start is already slow, else kept for the timer."""
        with self._lock:
            self._step = text
            self._last_count = time.monotonic()
            if self._speaking:
                self._say(text)

    def count(self, done: int, total: int, what: str) -> None:
        """`done` of `total` so far; said at most once every `every` seconds, once speaking."""
        if self._log is None or not self._speaking:
            return
        now = time.monotonic()
        if now - self._last_count >= self._every:
            with self._lock:
                self._last_count = now
                self._say(f"{what}: {done:,} of {total:,}")

    def done(self) -> None:
        """The start is over: the timer stops; a slow start says how long it took."""
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._speaking:
                self._say(f"started in {time.monotonic() - self._started:.1f} s")
            self._log = None

    def _half_second_passed(self) -> None:
        with self._lock:
            if self._log is not None:
                self._speaking = True
                self._say(f"{self._step} ...")

    def _say(self, text: str) -> None:
        if self._log is not None:
            self._log.info("%s", text)
