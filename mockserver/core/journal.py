"""A bounded record of what came in and what went out, with credentials redacted.

Bounded twice: in entries (`capacity`) and in bytes (`max_bytes`), so a client sending large
headers or bodies cannot grow the server's memory: a header value, path or query longer than
`FIELD_LIMIT` is cut with a marker saying how much was left out, a body past `body_limit`
likewise, and the oldest entries make way once the total passes `max_bytes`. Text that is not
valid UTF-8 (a lone surrogate escaped in JSON, say) is kept with backslash escapes, so an entry
is never lost to an encoding error.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from lxml import etree

if TYPE_CHECKING:
    from .patterns import RequestPattern, RequestView

REDACTED = "***"
SENSITIVE_HEADERS = frozenset({"authorization", "apikey", "cookie", "x-api-key", "proxy-authorization"})
SENSITIVE_QUERY = frozenset({"apikey", "api_key", "token", "password", "secret_id"})
# Body field names (JSON keys, form names, XML local names), compared lower-cased.
SENSITIVE_FIELDS = frozenset({
    "password", "secret", "secret_id", "client_secret", "token", "refresh", "access", "apikey", "api_key",
    "newpassword", "currentpassword", "access_token", "refresh_token",
    "credential",  # the admin API's patterns, fault matches and rate-limit changes name one
})
DEFAULT_BODY_LIMIT = 65536
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
FIELD_LIMIT = 4096  # characters of one header value, path or query kept in an entry


def cut(text: str, limit: int = FIELD_LIMIT) -> str:
    """`text`, or its first `limit` characters and a marker with the size of the rest."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…[{len(text) - limit} more characters not kept]"


def _escaped(text: str) -> str:
    """`text` as valid UTF-8: what cannot be encoded (lone surrogates) as backslash escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


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
    namespace: str | None = None
    vendor_path: str | None = None  # path relative to the vendor mount; None outside every mount
    route: str | None = None  # template of the operation reached; None when no route matched
    content_type: str | None = None
    request_body: str = ""  # redacted, bounded text
    request_body_truncated: bool = False
    credential_id: str | None = None
    fault: str | None = None  # what the QA layer did, e.g. "override:409"; free text
    preflight: bool = False  # a browser's CORS preflight: left out of verification unless asked for

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def size(self) -> int:
        """About what this entry holds, in characters: what `max_bytes` is counted in."""
        headers = sum(len(k) + len(v) for part in (self.request_headers, self.response_headers) for k, v in part.items())
        return 256 + len(self.path) + len(self.query) + headers + len(self.request_body)

    def view(self) -> RequestView:
        """This entry as the request patterns see it (path relative to the mount when known)."""
        from .patterns import RequestView

        return RequestView(
            vendor=self.vendor,
            method=self.method,
            path=self.vendor_path if self.vendor_path is not None else self.path,
            query=tuple(parse_qsl(self.query, keep_blank_values=True)),
            headers=dict(self.request_headers),
            credential_id=self.credential_id,
            body=self.request_body.encode("utf-8"),
            content_type=self.content_type,
            status=self.status,
        )


def redact_headers(headers: Iterable[tuple[bytes, bytes]], hidden: frozenset[str] = SENSITIVE_HEADERS) -> dict[str, str]:
    """ASGI headers as one dict: lower-case names, repeated values joined, `hidden` ones as ***."""
    result: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name = cut(raw_name.decode("latin-1").lower(), 256)
        value = REDACTED if name in hidden else raw_value.decode("latin-1")
        result[name] = f"{result[name]}, {value}" if name in result else value
    return {name: cut(value) for name, value in result.items()}


def redact_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return cut(urlencode([(k, REDACTED if k.lower() in SENSITIVE_QUERY else v) for k, v in pairs]))


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _redact_json_value(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        changed = False
        result: dict[str, Any] = {}
        for key, item in value.items():
            if str(key).lower() in SENSITIVE_FIELDS:
                result[key], changed = REDACTED, True
            else:
                result[key], inner = _redact_json_value(item)
                changed = changed or inner
        return result, changed
    if isinstance(value, list):
        items = [_redact_json_value(item) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    return value, False


_JSON_NAMES = "|".join(sorted((re.escape(n) for n in SENSITIVE_FIELDS), key=len, reverse=True))
# "password": "value" (or a bare scalar) for text that json cannot load; linear, no backtracking
_JSON_PAIR = re.compile(rf'("(?:{_JSON_NAMES})"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}}\]]+)', re.IGNORECASE)


def _redacted_pieces(value: Any) -> Iterator[str]:
    """`json.dumps(value, ensure_ascii=False)` in pieces, sensitive keys' values blanked."""
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield (", " if index else "") + json.dumps(key, ensure_ascii=False) + ": "
            if str(key).lower() in SENSITIVE_FIELDS:
                yield json.dumps(REDACTED)
            else:
                yield from _redacted_pieces(item)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _redacted_pieces(item)
        yield "]"
    else:
        yield json.dumps(value, ensure_ascii=False)


def _may_name_a_secret(text: str) -> bool:
    """False when no key of `text` can be a sensitive name: none appears, and no `\\u` escape
    could spell one (lower-cased, as keys are compared, so the Kelvin sign counts as a k)."""
    lowered = text.lower()
    return "\\u" in text or any(name in lowered for name in SENSITIVE_FIELDS)


def _redact_json(text: str, limit: int, parsed: tuple[Any] | None = None) -> str:
    """The text with sensitive keys blanked; unchanged text stays byte-for-byte as sent.

    Text json cannot load (invalid, or nested past the recursion limit) is kept, with a regex
    blanking `"password": "..."`-style pairs. A body longer than `limit` is cut anyway, so its
    redacted form is written out only as far as the cut: a 20 MiB state import costs one parse,
    not a redacted copy of every row and its whole text (seconds on the event loop). `parsed`:
    `(value,)`, what json.loads(text) gives, already parsed by the server (the admin body guard);
    a long body is then not parsed again (a 20 MiB state: 1.4 s). A short one is, as the handler
    may have changed its value since, and costs little.
    """
    if len(text) > limit and not _may_name_a_secret(text):
        return text
    try:
        if len(text) > limit and parsed is not None:
            return "".join(_prefix(_redacted_pieces(parsed[0]), limit))
        value = json.loads(text)
        if len(text) <= limit:
            redacted, changed = _redact_json_value(value)
            return json.dumps(redacted, ensure_ascii=False) if changed else text
        return "".join(_prefix(_redacted_pieces(value), limit))
    except (ValueError, RecursionError):
        return _JSON_PAIR.sub(lambda m: m.group(1) + '"' + REDACTED + '"', text)


def _prefix(pieces: Iterator[str], limit: int) -> Iterator[str]:
    """The pieces until they hold more than `limit` characters."""
    size = 0
    for piece in pieces:
        yield piece
        size += len(piece)
        if size > limit:
            return


def _redact_form(text: str, strict: bool = False) -> str | None:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=strict)
    except ValueError:
        return None
    if not any(name.lower() in SENSITIVE_FIELDS for name, _ in pairs):
        return text
    return urlencode([(k, REDACTED if k.lower() in SENSITIVE_FIELDS else v) for k, v in pairs], safe="*")


_TAG = re.compile(r"<(/?)(?:[\w.-]+:)?([\w.-]+)[^<>]*?(/?)>")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _redact_xml_text(text: str) -> str:
    """Fallback for XML lxml should not or cannot parse: blank the content of sensitive elements.

    One linear scan over the tags: everything between `<Password ...>` and its matching close
    tag goes; an element never closed loses the text up to the next tag.
    """
    pieces: list[str] = []
    done = 0
    open_name: str | None = None
    start = depth = 0
    for tag in _TAG.finditer(text):
        closing, name, empty = tag.group(1), tag.group(2).lower(), tag.group(3)
        if open_name is None:
            if not closing and not empty and name in SENSITIVE_FIELDS:
                open_name, start, depth = name, tag.end(), 0
            continue
        if name != open_name or empty:
            continue
        if not closing:
            depth += 1
        elif depth:
            depth -= 1
        else:
            pieces.append(text[done:start] + REDACTED)
            done, open_name = tag.start(), None
    if open_name is not None:
        following = text.find("<", start)
        pieces.append(text[done:start] + REDACTED)
        done = len(text) if following < 0 else following
    pieces.append(text[done:])
    return "".join(pieces)


def _redact_xml(body: bytes, text: str) -> str:
    if _DOCTYPE.search(body):
        return _redact_xml_text(text)  # never hand a DTD (entities, external refs) to the parser
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return _redact_xml_text(text)
    if root is None:
        return _redact_xml_text(text)
    changed = False
    for element in list(root.iter()):  # a list: redacting removes children mid-walk
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        for name in list(element.attrib):
            if etree.QName(name).localname.lower() in SENSITIVE_FIELDS:
                element.set(name, REDACTED)
                changed = True
        if etree.QName(element).localname.lower() in SENSITIVE_FIELDS:
            for child in list(element):
                element.remove(child)
            element.text = REDACTED
            changed = True
    if not changed:
        return text
    return etree.tostring(root.getroottree(), encoding="unicode")


def _bound(text: str, limit: int) -> tuple[str, bool]:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text, False
    return encoded[:max(limit, 0)].decode("utf-8", errors="ignore"), True


def redact_body(body: bytes, content_type: str | None, limit: int,
                parsed: tuple[Any] | None = None) -> tuple[str, bool]:
    """The body as text with credential fields blanked, at most `limit` utf-8 bytes, and whether it was cut.

    JSON, form and XML are recognised by content type, or sniffed when the type says nothing
    useful; anything that does not parse is kept as text (XML still gets a regex pass). Redaction
    happens before truncation so a cut can never expose half a secret. `parsed`: `(value,)`, the
    body as JSON, when the server has parsed it already (see _redact_json).
    """
    if not body:
        return "", False
    text = body.decode("utf-8", errors="replace")
    media = _media_type(content_type)
    start = text.lstrip()[:1]
    if media == "application/json" or media.endswith("+json"):
        redacted = _redact_json(text, limit, parsed)
    elif media == "application/x-www-form-urlencoded":
        redacted = _redact_form(text)
    elif media in ("application/xml", "text/xml") or media.endswith("+xml"):
        redacted = _redact_xml(body, text)
    elif start in ("{", "["):
        redacted = _redact_json(text, limit, parsed)
    elif start == "<":
        redacted = _redact_xml(body, text)
    else:
        redacted = _redact_form(text, strict=True)
    return _bound(_escaped(text if redacted is None else redacted), limit)


class Journal:
    """Newest-first request log holding at most `capacity` entries and about `max_bytes`."""

    def __init__(self, capacity: int = 1000, body_limit: int = DEFAULT_BODY_LIMIT,
                 max_bytes: int = DEFAULT_MAX_BYTES, ids: Iterator[int] | None = None) -> None:
        self._entries: deque[Entry] = deque()
        self._capacity = capacity
        # Journals that are listed together (a realm's client calls and admin calls) share one
        # stream of ids, so merged entries keep a single newest-first order.
        self._ids = ids if ids is not None else itertools.count(1)
        self._lock = threading.Lock()
        self.body_limit = body_limit
        self.max_bytes = max_bytes
        self._bytes = 0

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def bytes(self) -> int:
        return self._bytes

    def record(self, *, parsed_body: tuple[Any] | None = None, **values: Any) -> Entry:
        """Append an entry. A `request_body` given as bytes is redacted and bounded here first
        (`parsed_body`: `(value,)`, that body as the server parsed it, see redact_body)."""
        body = values.get("request_body")
        if isinstance(body, (bytes, bytearray)):
            text, truncated = redact_body(bytes(body), values.get("content_type"), self.body_limit, parsed_body) \
                if body else ("", False)
            values["request_body"] = text
            values["request_body_truncated"] = truncated or values.get("request_body_truncated", False)
        for name in ("path", "vendor_path"):
            if isinstance(values.get(name), str):
                values[name] = cut(_escaped(values[name]))
        with self._lock:
            entry = Entry(id=next(self._ids), **values)
            self._entries.append(entry)
            self._bytes += entry.size()
            while len(self._entries) > self._capacity or (self._bytes > self.max_bytes and len(self._entries) > 1):
                self._bytes -= self._entries.popleft().size()
        return entry

    def entries(
        self,
        *,
        vendor: str | None = None,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        limit: int | None = None,
        before: int | None = None,
    ) -> list[Entry]:
        """Newest first; `before` an entry id pages back to older entries."""
        with self._lock:
            snapshot = list(self._entries)
        result = []
        for entry in reversed(snapshot):
            if before is not None and entry.id >= before:
                continue
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

    def _snapshot(self) -> list[Entry]:
        with self._lock:
            return list(self._entries)

    def find(self, pattern: RequestPattern, limit: int | None = None) -> list[Entry]:
        """Entries whose request `pattern` matches, newest first (preflights only when the
        pattern asks for them: a browser sends those, not the client)."""
        result = []
        for entry in reversed(self._snapshot()):
            if limit is not None and len(result) >= limit:
                break
            if self._verifiable(entry, pattern):
                result.append(entry)
        return result

    def count(self, pattern: RequestPattern) -> int:
        return sum(1 for entry in self._snapshot() if self._verifiable(entry, pattern))

    @staticmethod
    def _verifiable(entry: Entry, pattern: RequestPattern) -> bool:
        if entry.preflight and not pattern.include_preflight:
            return False
        return pattern.matches(entry.view())

    def unmatched(self, limit: int | None = None) -> list[Entry]:
        """Requests that reached no operation (inside a vendor mount or outside all), newest first.

        The mock's own admin API is left out: its misses are not a client's integration problem;
        so are preflights, which the CORS layer answers on any path (the request that follows shows).
        """
        result = []
        for entry in reversed(self._snapshot()):
            if limit is not None and len(result) >= limit:
                break
            if entry.vendor != "admin" and entry.route is None and not entry.preflight:
                result.append(entry)
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
            self._bytes = sum(entry.size() for entry in self._entries)
            return before - len(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
