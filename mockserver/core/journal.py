"""A bounded record of what came in and what went out, with credentials redacted."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

REDACTED = "***"
SENSITIVE_HEADERS = frozenset({"authorization", "apikey", "cookie", "x-api-key", "proxy-authorization"})
SENSITIVE_QUERY = frozenset({"apikey", "api_key", "token", "password", "secret_id"})


@dataclass
class Entry:
    id: int
    time: float
    vendor: str | None
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    request_headers: dict[str, str] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)
    request_body_size: int = 0
    response_body_size: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def redact_headers(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    result: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").lower()
        value = REDACTED if name in SENSITIVE_HEADERS else raw_value.decode("latin-1")
        result[name] = f"{result[name]}, {value}" if name in result else value
    return result


def redact_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, REDACTED if k.lower() in SENSITIVE_QUERY else v) for k, v in pairs])


class Journal:
    """Newest-first request log holding at most `capacity` entries."""

    def __init__(self, capacity: int = 1000) -> None:
        self._entries: deque[Entry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, **values: Any) -> Entry:
        with self._lock:
            entry = Entry(id=next(self._ids), **values)
            self._entries.append(entry)
        return entry

    def entries(
        self,
        *,
        vendor: str | None = None,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        with self._lock:
            snapshot = list(self._entries)
        result = []
        for entry in reversed(snapshot):
            if vendor and entry.vendor != vendor:
                continue
            if method and entry.method.upper() != method.upper():
                continue
            if path and path not in entry.path:
                continue
            if status is not None and entry.status != status:
                continue
            result.append(entry)
            if limit is not None and len(result) >= limit:
                break
        return result

    def clear(self, vendor: str | None = None) -> int:
        with self._lock:
            before = len(self._entries)
            if vendor is None:
                self._entries.clear()
            else:
                kept = [e for e in self._entries if e.vendor != vendor]
                self._entries.clear()
                self._entries.extend(kept)
            return before - len(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
