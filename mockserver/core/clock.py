"""One clock for every time-dependent rule, so tests move time instead of sleeping."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

# The admin spec's `pattern` says the same in ECMA-262: ASCII digits, blanks and tabs only.
_DURATION = re.compile(r"^[ \t]*(-?[0-9]+(?:\.[0-9]+)?)[ \t]*(ms|s|m|h|d)?[ \t]*\Z")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(text: str | int | float) -> float:
    """Seconds from `61s`, `250ms`, `5m`, `1h`, `2d` or a bare number of seconds."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 61s, 250ms, 5m, 1h)")
    return float(match.group(1)) * _UNITS[match.group(2)]


# Instants a client can be shown: from the epoch to the end of year 9999.
MIN_TIME = 0.0
MAX_TIME = 253402300799.0


class ClockRangeError(ValueError):
    """The clock was asked to leave the range of instants it can show."""


def _in_range(when: float) -> float:
    if not MIN_TIME <= when <= MAX_TIME:
        raise ClockRangeError("time must stay between 1970-01-01 and 9999-12-31")
    return when


class Clock:
    """Wall time plus an offset that can be advanced, set, or frozen."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._frozen_at: float | None = None
        self._lock = threading.Lock()

    def now(self) -> float:
        """Current mock time in Unix seconds."""
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        return self._source() + self._offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        _in_range(self.now() + seconds)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        return self.now()

    def set(self, when: float) -> float:
        _in_range(when)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = when
            else:
                self._offset = when - self._source()
        return self.now()

    def freeze(self) -> None:
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = self._source() + self._offset

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._source()
                self._frozen_at = None

    def view(self) -> dict[str, Any]:
        """The clock as the admin API shows it."""
        now = self.now()
        iso = datetime.fromtimestamp(now, tz=timezone.utc).isoformat().replace("+00:00", "Z")
        return {"now": now, "iso": iso, "offset_seconds": self.offset, "frozen": self.frozen}

    def copy(self) -> "Clock":
        """A clock at the same time and mode, moving independently (to try a change first)."""
        twin = Clock(self._source)
        with self._lock:
            twin._offset, twin._frozen_at = self._offset, self._frozen_at
        return twin

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None


def parse_instant(value: Any) -> float:
    """Unix seconds from an ISO 8601 date-time (`Z` or an offset; naive means UTC)."""
    if not isinstance(value, str):
        raise ValueError("set must be an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"set: not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


CHANGE_KEYS = ("advance", "set", "freeze", "reset")


def apply_change(clock: Clock, change: dict[str, Any]) -> None:
    """`{"advance": "61s"}`, `{"set": ISO}`, `{"freeze": bool}`, `{"reset": true}`, combined in
    the order reset, freeze, set, advance, unfreeze. Raises ValueError (ClockRangeError for a
    time out of range) and then leaves the clock as it was."""
    unknown = set(change) - set(CHANGE_KEYS)
    if unknown or not change:
        raise ValueError("use one or more of: advance, set, freeze, reset")
    freeze = change.get("freeze")
    if freeze is not None and not isinstance(freeze, bool):
        raise ValueError("freeze must be true or false")
    instant = parse_instant(change["set"]) if "set" in change else None
    step = parse_duration(change["advance"]) if "advance" in change else None
    trial = clock.copy()
    _apply(trial, change.get("reset") is True, freeze, instant, step)  # raises before anything moves
    _apply(clock, change.get("reset") is True, freeze, instant, step)


def _apply(clock: Clock, reset: bool, freeze: bool | None, instant: float | None, step: float | None) -> None:
    if reset:
        clock.reset()
    if freeze:  # freeze first, so a `set` in the same call lands exactly
        clock.freeze()
    if instant is not None:
        clock.set(instant)
    if step is not None:
        clock.advance(step)
    if freeze is False:
        clock.unfreeze()
