"""Request patterns: one matcher shared by fault rules and journal verification.

A pattern looks at a `RequestView`, which can be built from a live request or from a journal
entry, so the same JSON a test uses to inject a fault can later ask "was this request made?".
Credentials are compared by fingerprint, so a redacted journal can still be matched.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from lxml import etree


def fingerprint(credential: str) -> str:
    """A short stable digest of a credential, safe to keep in a journal."""
    return "sha256:" + hashlib.sha256(credential.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class RequestView:
    """What a pattern can look at, for a live request or a journal entry."""

    vendor: str | None
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    credential_id: str | None = None
    body: bytes = b""
    content_type: str | None = None
    status: int | None = None


class PatternError(ValueError):
    """A pattern the API must refuse; the message says which key and why."""


_KEYS = ("vendor", "method", "path", "path_glob", "path_regex", "query", "headers", "credential",
         "body", "body_contains", "status", "include_preflight")


@dataclass(frozen=True)
class RequestPattern:
    """Every set field must hold (AND); an unset field matches anything."""

    vendor: str | None = None
    methods: tuple[str, ...] = ()
    path: str | None = None
    path_glob: str | None = None
    path_regex: str | None = None
    query: Mapping[str, str | None] = field(default_factory=dict)
    headers: Mapping[str, str | None] = field(default_factory=dict)
    credential: str | None = None
    body: Mapping[str, Any] = field(default_factory=dict)
    body_contains: str | None = None
    status: int | None = None
    include_preflight: bool = False  # journal verification: count browsers' CORS preflights too

    @classmethod
    def from_dict(cls, data: Any) -> "RequestPattern":
        """Validate the JSON form strictly; unknown keys and wrong types are refused."""
        if not isinstance(data, Mapping):
            raise PatternError("a pattern must be a JSON object")
        unknown = sorted(str(key) for key in data if key not in _KEYS)
        if unknown:
            raise PatternError(f"unknown key(s): {', '.join(unknown)} (allowed: {', '.join(_KEYS)})")
        path_regex = _opt_str(data, "path_regex")
        if path_regex is not None:
            try:
                re.compile(path_regex)
            except re.error as exc:
                raise PatternError(f"path_regex: not a valid regular expression: {exc}") from None
        status = data.get("status")
        if status is not None:
            if not _is_int(status) or not 100 <= status <= 599:
                raise PatternError("status: must be an integer from 100 to 599")
        body = data.get("body")
        if body is not None and not isinstance(body, Mapping):
            raise PatternError("body: must be an object of field -> value")
        credential = _opt_str(data, "credential")
        if credential == "":
            raise PatternError("credential: must not be empty")
        include_preflight = data.get("include_preflight", False)
        if not isinstance(include_preflight, bool):
            raise PatternError("include_preflight: must be true or false")
        return cls(
            vendor=_opt_str(data, "vendor"),
            methods=_methods(data.get("method")),
            path=_opt_str(data, "path"),
            path_glob=_opt_str(data, "path_glob"),
            path_regex=path_regex,
            query=_presence_map(data, "query"),
            headers=_presence_map(data, "headers"),
            credential=credential,
            body=dict(body or {}),
            body_contains=_opt_str(data, "body_contains"),
            status=status,
            include_preflight=include_preflight,
        )

    def to_dict(self) -> dict[str, Any]:
        """The normalized JSON form; the credential appears only as its fingerprint."""
        result: dict[str, Any] = {}
        if self.vendor is not None:
            result["vendor"] = self.vendor
        if self.methods:
            result["method"] = list(self.methods)
        for key in ("path", "path_glob", "path_regex"):
            if getattr(self, key) is not None:
                result[key] = getattr(self, key)
        if self.query:
            result["query"] = dict(self.query)
        if self.headers:
            result["headers"] = dict(self.headers)
        if self.credential is not None:
            result["credential_id"] = fingerprint(self.credential)
        if self.body:
            result["body"] = dict(self.body)
        if self.body_contains is not None:
            result["body_contains"] = self.body_contains
        if self.status is not None:
            result["status"] = self.status
        if self.include_preflight:
            result["include_preflight"] = True
        return result

    def matches(self, view: RequestView) -> bool:
        """True when the view satisfies every set field; never raises on odd bodies."""
        if self.vendor is not None and view.vendor != self.vendor:
            return False
        if self.methods and view.method.upper() not in self.methods:
            return False
        if self.status is not None and view.status != self.status:
            return False
        if self.path is not None and view.path != self.path:
            return False
        if self.path_glob is not None and not _glob_regex(self.path_glob).fullmatch(view.path):
            return False
        if self.path_regex is not None and not _compiled(self.path_regex).fullmatch(view.path):
            return False
        if self.credential is not None and view.credential_id != fingerprint(self.credential):
            return False
        if self.query and not _presence_ok(self.query, _query_values(view.query)):
            return False
        if self.headers:
            header_values = {name.lower(): [value] for name, value in view.headers.items()}
            if not _presence_ok(self.headers, header_values):
                return False
        if self.body_contains is not None:
            if self.body_contains not in view.body.decode("utf-8", errors="replace"):
                return False
        if self.body:
            parsed = parsed_body(view)
            if parsed is None:
                return False
            document, stringly = parsed
            if not _subset(self.body, document, stringly):
                return False
        return True


# -- validation helpers -------------------------------------------------------------------------

def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise PatternError(f"{key}: must be a string")
    return value


_METHOD = re.compile(r"^[A-Za-z]+$")


def _methods(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise PatternError("method: must be a string or a non-empty list of strings")
    methods: list[str] = []
    for item in items:
        if not isinstance(item, str) or not (item == "*" or _METHOD.match(item)):
            raise PatternError(f"method: not an HTTP method: {item!r}")
        if item == "*":
            return ()
        if item.upper() not in methods:
            methods.append(item.upper())
    return tuple(methods)


def _presence_map(data: Mapping[str, Any], key: str) -> dict[str, str | None]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PatternError(f"{key}: must be an object of name -> string, \"*\" or null")
    result: dict[str, str | None] = {}
    for name, expected in value.items():
        if not isinstance(name, str) or not name:
            raise PatternError(f"{key}: names must be non-empty strings")
        if expected is not None and not isinstance(expected, str):
            raise PatternError(f"{key}.{name}: must be a string, \"*\" or null")
        result[name.lower()] = expected
    return result


# -- matching helpers ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """`**` spans segments, `*` stays inside one, `?` is one non-'/' char; the rest is literal."""
    parts: list[str] = []
    index = 0
    while index < len(glob):
        if glob.startswith("**", index):
            parts.append(".*")
            index += 2
        elif glob[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re.escape(glob[index]))
            index += 1
    return re.compile("".join(parts), re.DOTALL)


def _query_values(pairs: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name.lower(), []).append(value)
    return values


def _presence_ok(expected: Mapping[str, str | None], actual: Mapping[str, list[str]]) -> bool:
    """None = absent, "*" = present, else one of the received values equals it."""
    for name, want in expected.items():
        got = actual.get(name.lower())
        if want is None:
            if got:
                return False
        elif not got:
            return False
        elif want != "*" and want not in got:
            return False
    return True


# -- body parsing -------------------------------------------------------------------------------

_CACHE_ATTR = "_parsed_body_cache"
_MISSING = object()


def parsed_body(view: RequestView) -> tuple[Any, bool] | None:
    """(document, stringly) for the view's body, or None if it cannot be parsed.

    `stringly` is True for XML and form bodies, whose leaf values are always text. The result is
    stored on the view so several patterns checking one request parse it once.
    """
    if _CACHE_ATTR not in view.__dict__:
        object.__setattr__(view, _CACHE_ATTR, _parse(view.body, view.content_type))
    cached: tuple[Any, bool] | None = view.__dict__[_CACHE_ATTR]
    return cached


def _parse(body: bytes, content_type: str | None) -> tuple[Any, bool] | None:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    start = body.lstrip()[:1]
    if media == "application/json" or media.endswith("+json"):
        return _parse_json(body)
    if media in ("application/xml", "text/xml") or media.endswith("+xml") or start == b"<":
        return _parse_xml(body)
    if media == "application/x-www-form-urlencoded":
        return _parse_form(body)
    if media:
        return None
    if start in (b"{", b"["):
        return _parse_json(body)
    if b"=" in body:
        return _parse_form(body)
    return None


def _parse_json(body: bytes) -> tuple[Any, bool] | None:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return (document, False) if isinstance(document, (dict, list)) else None


def _parse_form(body: bytes) -> tuple[Any, bool] | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return dict(parse_qsl(text, keep_blank_values=True)), True


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse_xml(body: bytes) -> tuple[Any, bool] | None:
    """Root's children as a dict; any DTD makes the document unparseable (no entity tricks)."""
    if b"<!DOCTYPE" in body.upper():
        return None
    try:
        root = etree.fromstring(body, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return None
    return _element_dict(root), True


def _element_dict(element: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        name = etree.QName(child).localname
        value = _element_dict(child) if any(isinstance(c.tag, str) for c in child) else (child.text or "").strip()
        if name not in result:
            result[name] = value
        elif isinstance(result[name], _Repeated):
            result[name].append(value)
        else:
            result[name] = _Repeated([result[name], value])
    return {name: list(value) if isinstance(value, _Repeated) else value for name, value in result.items()}


class _Repeated(list):
    """Marks a list built from a repeated tag, so a leaf that is itself a list is not confused."""


# -- subset matching ----------------------------------------------------------------------------

def _subset(expected: Mapping[str, Any], actual: Any, stringly: bool) -> bool:
    for key, want in expected.items():
        got = _lookup(actual, str(key))
        if got is _MISSING or not _value_ok(want, got, stringly):
            return False
    return True


def _lookup(node: Any, path: str) -> Any:
    """Follow a dotted path; a literal key containing dots wins over splitting it."""
    if isinstance(node, Mapping) and path in node:
        return node[path]
    head, dot, rest = path.partition(".")
    if isinstance(node, Mapping):
        if head not in node:
            return _MISSING
        child = node[head]
    elif isinstance(node, list):
        if not head.isdigit() or int(head) >= len(node):
            return _MISSING
        child = node[int(head)]
    else:
        return _MISSING
    return _lookup(child, rest) if dot else child


def _value_ok(want: Any, got: Any, stringly: bool) -> bool:
    if isinstance(want, Mapping):
        return isinstance(got, (Mapping, list)) and _subset(want, got, stringly)
    if isinstance(want, list):
        return (isinstance(got, list) and len(got) == len(want)
                and all(_value_ok(w, g, stringly) for w, g in zip(want, got)))
    if stringly and isinstance(got, str):
        return want is not None and _as_text(want) == got
    if isinstance(want, bool) or isinstance(got, bool):
        return isinstance(want, bool) and isinstance(got, bool) and want == got
    if isinstance(want, float) and isinstance(got, (int, float)) and math.isnan(want):
        return False
    return bool(want == got)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
