"""The recording format: one JSON object a line, one line per exchange, credentials redacted.

    {"format": "lms-mockserver-traffic", "version": 1, "seq": 1, "time": "2026-12-07T10:00:00.123Z",
     "vendor": "litmos", "target": "https://...", "duration_ms": 41.2,
     "request": {"method": "GET", "path": "/users", "query": "source=app&apikey=***",
                 "headers": {...}, "body": "...", "body_encoding": "text"},
     "response": {"status": 200, "headers": {...}, "body": "...", "body_encoding": "text"}}

`path` is relative to the target (the vendor's base URL), so a recording replays against any
instance of that vendor. Bodies are text when they are UTF-8 (JSON, XML and form bodies redacted
field by field, as the journal does), else base64; each is kept whole up to `BODY_LIMIT`. Header
values the journal hides (Authorization, apikey, cookies) and `Set-Cookie` are `***`, as are
query values named like credentials. Nothing that was sent as a secret is written in clear.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ..core.journal import REDACTED, SENSITIVE_HEADERS, SENSITIVE_QUERY, redact_body

FORMAT = "lms-mockserver-traffic"
VERSION = 1
BODY_LIMIT = 16 * 1024 * 1024  # bytes of one body kept (past it the body is cut, and marked)
HIDDEN_HEADERS = SENSITIVE_HEADERS | {"set-cookie", "x-csrftoken"}


def redact_query_in_place(query: str) -> str:
    """The query with each credential's value as `***`, every other byte as sent (replay needs
    the exact encoding of the rest)."""
    if not query:
        return ""
    parts = []
    for part in query.split("&"):
        name = part.split("=", 1)[0]
        parts.append(f"{name}={REDACTED}" if "=" in part and name.lower() in SENSITIVE_QUERY else part)
    return "&".join(parts)


def redact_header_pairs(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Header pairs as one dict (lower-case names, repeats joined), credentials as `***`."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        name = name.lower()
        value = REDACTED if name in HIDDEN_HEADERS else value
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def body_record(body: bytes, content_type: str | None) -> dict[str, Any]:
    """`body`, `body_encoding` ("text" or "base64") and `body_truncated` of one message."""
    if not body:
        return {"body": "", "body_encoding": "text", "body_truncated": False}
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        cut = body[:BODY_LIMIT]
        return {"body": base64.b64encode(cut).decode("ascii"), "body_encoding": "base64",
                "body_truncated": len(body) > len(cut)}
    text, truncated = redact_body(body, content_type, BODY_LIMIT)
    return {"body": text, "body_encoding": "text", "body_truncated": truncated}


def parsed_body(body: str, media: str) -> tuple[str, Any]:
    """("json", value), ("xml", root element) or ("text", body), by the content type, as far as
    the body parses (an XML parser that loads no DTD, resolves no entity and uses no network)."""
    if "json" in media:
        try:
            return "json", json.loads(body)
        except ValueError:
            return "text", body
    if "xml" in media and body.strip():
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            return "xml", etree.fromstring(body.encode("utf-8"), parser)
        except (etree.XMLSyntaxError, ValueError):
            return "text", body
    return "text", body


def exchange_line(seq: int, vendor: str, target: str, started: float, duration_ms: float,
                  request: dict[str, Any], response: dict[str, Any]) -> str:
    moment = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(started)) + f".{int(started % 1 * 1000):03d}Z"
    record = {"format": FORMAT, "version": VERSION, "seq": seq, "time": moment, "vendor": vendor, "target": target,
              "duration_ms": round(duration_ms, 3), "request": request, "response": response}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


class RecordingError(ValueError):
    """A recording that cannot be read: the message names the line and what is wrong."""


def read_recording(path: Path) -> list[dict[str, Any]]:
    """Every exchange of a recording, in order."""
    exchanges = []
    try:
        handle: IO[str] = path.open(encoding="utf-8")
    except OSError as exc:
        raise RecordingError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise RecordingError(f"{path}:{number}: not JSON ({exc})") from None
            if not isinstance(record, dict) or record.get("format") != FORMAT:
                raise RecordingError(f"{path}:{number}: not an exchange of an lms-mockserver recording")
            if record.get("version") != VERSION:
                raise RecordingError(f"{path}:{number}: format version {record.get('version')!r}; this release reads "
                                     f"version {VERSION}")
            exchanges.append(record)
    return exchanges
