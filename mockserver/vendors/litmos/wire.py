"""What a Litmos request asks for and how an answer looks on the wire, read from the ASGI scope.

Shared by handlers and the error renderer so both pick the same format for the same request.
"""

from __future__ import annotations

from collections.abc import Iterable
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_plus

import orjson

from .dates import WcfDate
from .money import Money

from ...core.schema import SpecDocument

JSON = "json"
XML = "xml"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
JSON_ERROR_CONTENT_TYPE = "application/json"  # no charset (docs/litmos.md, "Wire format": Errors)
XML_MEDIA_TYPES = frozenset({"application/xml", "text/xml"})
JSON_MEDIA_TYPES = frozenset({"application/json", "text/json"})


# A decimal travels through orjson as a string carrying this process's random mark (a client's
# string cannot know it), and is unquoted afterwards.
_NONCE = secrets.token_hex(8)
_NUMBER_MARK = f"\x00{_NONCE}:"
_NUMBER = re.compile(rb'"\\u0000' + _NONCE.encode() + rb':(-?[0-9]+\.[0-9]{2})"')


def _wire_value(value: Any) -> Any:
    """WCF dates become `/Date(ms+0000)/`; decimals a marked string, unquoted afterwards."""
    if isinstance(value, WcfDate):
        return value.json()
    if isinstance(value, Money):
        return f"{_NUMBER_MARK}{value}"
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_bytes(value: Any) -> bytes:
    """JSON as WCF writes it: `/` escaped as `\\/` (a `/` can only occur inside strings),
    decimals with two places, DateTime members in WCF's `/Date(...)/` form."""
    raw = orjson.dumps(value, default=_wire_value)
    if _NONCE.encode() in raw:
        raw = _NUMBER.sub(rb"\1", raw)
    return raw.replace(b"/", b"\\/")


def header(scope: dict[str, Any], name: str) -> str | None:
    wanted = name.lower().encode("latin-1")
    for key, value in scope.get("headers", []):
        if key == wanted:
            return value.decode("latin-1")
    return None


_PARSED_QUERY = "mockserver.litmos.query"


def query_pairs(scope: dict[str, Any]) -> list[tuple[str, str]]:
    """The query's pairs, parsed once per query string (auth and format both ask several times)."""
    raw = scope.get("query_string", b"")
    cached = scope.get(_PARSED_QUERY)
    if cached is not None and cached[0] is raw:
        return cached[1]
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    scope[_PARSED_QUERY] = (raw, pairs)
    return pairs


def query_value(scope: dict[str, Any], name: str) -> str | None:
    """First value of a query parameter whose name matches `name` in any letter case."""
    wanted = name.lower()
    for key, value in query_pairs(scope):
        if key.lower() == wanted:
            return value
    return None


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _has_body(scope: dict[str, Any]) -> bool:
    length = header(scope, "content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return header(scope, "transfer-encoding") is not None


def _accept_choice(accept: str | None) -> str | None:
    """JSON or XML if the Accept header names one explicitly (highest quality first)."""
    if not accept:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        quality = 1.0
        for param in parts[1:]:
            if param.lower().startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, parts[0].lower()))
    for _, _, media in sorted(ranked):
        if media in JSON_MEDIA_TYPES or media.endswith("+json"):
            return JSON
        if media in XML_MEDIA_TYPES or media.endswith("+xml"):
            return XML
    return None


def response_format(scope: dict[str, Any]) -> str:
    """`format=json|xml` (any case), else an explicit Accept, else a JSON request body, else XML.

    The last two steps are WCF's automatic format selection; XML is the service default.
    """
    requested = (query_value(scope, "format") or "").strip().lower()
    if requested in (JSON, XML):
        return requested
    chosen = _accept_choice(header(scope, "accept"))
    if chosen:
        return chosen
    if _has_body(scope) and media_type(header(scope, "content-type")) in JSON_MEDIA_TYPES:
        return JSON
    return XML


def body_format(scope: dict[str, Any]) -> str:
    """The format of the request body: its Content-Type, XML when there is none."""
    return JSON if media_type(header(scope, "content-type")) in JSON_MEDIA_TYPES else XML


@dataclass(frozen=True)
class QueryNames:
    """Query parameter names (and enum values) of a spec, to match any letter case.

    WCF binds query parameters case-insensitively; Connexion validates them by exact name.
    Rewriting the names (and enum values) to the spec's spelling before validation lets
    `Source=`, `apiKey=` or `dir=desc` work as they do against the real service.
    """

    names: dict[str, str]  # lower-case -> spelling in the spec
    values: dict[str, dict[str, str]]  # spec name -> lower-case value -> spelling in the spec

    @classmethod
    def from_spec(cls, spec: SpecDocument) -> "QueryNames":
        resolved = spec.resolved
        names: dict[str, str] = {}
        values: dict[str, dict[str, str]] = {}
        for parameter in _query_parameters(resolved):
            names[parameter["name"].lower()] = parameter["name"]
            enum = parameter.get("schema", {}).get("enum")
            if enum:
                values[parameter["name"]] = {str(v).lower(): str(v) for v in enum}
        for scheme in resolved.get("components", {}).get("securitySchemes", {}).values():
            if scheme.get("type") == "apiKey" and scheme.get("in") == "query":
                names[scheme["name"].lower()] = scheme["name"]
        return cls(names, values)

    def canonical_query(self, query: str) -> str:
        """The same query string with known names (and enum values) spelled as in the spec."""
        parts = []
        for part in query.split("&"):
            raw_name, sep, raw_value = part.partition("=")
            name = self.names.get(unquote_plus(raw_name).lower())
            if name is None:
                parts.append(part)
                continue
            value = raw_value
            spellings = self.values.get(name)
            if spellings:
                canonical = spellings.get(unquote_plus(raw_value).lower())
                if canonical is not None:
                    value = quote(canonical)
            parts.append(f"{name}{sep}{value}")
        return "&".join(parts)

    def apply(self, scope: dict[str, Any]) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            scope["query_string"] = self.canonical_query(query).encode("latin-1")


def _query_parameters(spec: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for item in spec.get("paths", {}).values():
        for parameter in item.get("parameters", []):
            if parameter.get("in") == "query":
                yield parameter
        for operation in item.values():
            if isinstance(operation, dict):
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "query":
                        yield parameter
