"""Cross-origin resource sharing: what one server's CORS configuration answers.

A `CorsPolicy` describes a vendor's real configuration (each vendor declares its own); the
`--cors` setting (`CorsSetting`) keeps it, turns it off, or narrows it to a list of origins.
`Cors` applies the two to one request: whether it is a preflight the CORS layer answers on its
own, and which headers an actual response gains. It knows no vendor and no ASGI: headers come
in as a lower-case mapping and go out as (name, value) pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

ALLOW_ORIGIN = "access-control-allow-origin"
ALLOW_METHODS = "access-control-allow-methods"
ALLOW_HEADERS = "access-control-allow-headers"
MAX_AGE = "access-control-max-age"
REQUEST_METHOD = "access-control-request-method"
REQUEST_HEADERS = "access-control-request-headers"

MODES = ("off", "vendor")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP token (RFC 9110 §5.6.2)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class CorsSettingError(ValueError):
    """A `--cors` value the mock cannot use; the message says what to write instead."""


def _origin_key(text: str) -> str:
    """An origin as browsers serialise it: lower-case scheme and host, no default port, no slash."""
    text = text.strip()
    if text == "null":
        return text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise CorsSettingError(f"--cors: {text!r} is not an origin ({exc})") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        raise CorsSettingError(f"--cors: {text!r} is not an origin: write scheme://host[:port], "
                               "for example http://localhost:3000")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise CorsSettingError(f"--cors: {text!r} is not an origin: an origin has no path, query, "
                               "fragment or user (write scheme://host[:port])")
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets in an origin
        host = f"[{host}]"
    shown_port = "" if port is None or port == _DEFAULT_PORTS[scheme] else f":{port}"
    return f"{scheme}://{host}{shown_port}"


@dataclass(frozen=True)
class CorsSetting:
    """`--cors`: `off`, `vendor` (each vendor's own configuration) or allowed origins (comma-separated)."""

    mode: str = "vendor"  # "off", "vendor" or "origins"
    origins: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> CorsSetting:
        value = text.strip()
        if value.lower() in MODES:
            return cls(value.lower())
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items:
            raise CorsSettingError("--cors: give off, vendor, or a comma-separated list of origins")
        if "*" in items:
            raise CorsSettingError("--cors: '*' is not an origin; 'vendor' answers every origin as each vendor does")
        return cls("origins", frozenset(_origin_key(item) for item in items))

    @property
    def enabled(self) -> bool:
        return self.mode != "off"


@dataclass(frozen=True)
class CorsPolicy:
    """One server's CORS configuration, as far as a client can see it.

    None for `allow_methods` means the methods the route really has (the requested one on a
    path the spec does not know); None for `allow_headers` means whatever the preflight asks
    for (`Access-Control-Request-Headers`, echoed). A policy never allows credentials: no
    vendor here does, and every client sends its credential in a header, which needs none.
    """

    allow_methods: tuple[str, ...] | None = None
    allow_headers: tuple[str, ...] | None = None
    max_age: int | None = None
    preflight_status: int = 200
    preflight_content_type: str | None = None
    # django-cors-headers short-circuits any OPTIONS with Access-Control-Request-Method, Origin or not
    preflight_without_origin: bool = False
    # PHP's unconditional header('Access-Control-Allow-Origin: *'): on every response, Origin or not
    allow_origin_without_origin: bool = False
    # django-cors-headers: `Vary: origin` on every response, whatever the request
    vary_always: bool = False
    vary_token: str = "Origin"
    # django-cors-headers: a plain OPTIONS with Origin also gets allow-headers, -methods and max-age
    options_get_preflight_headers: bool = False


@dataclass(frozen=True)
class Preflight:
    """The CORS layer's own answer to a preflight."""

    status: int
    content_type: str | None
    headers: list[tuple[str, str]]


RouteMethods = Callable[[], "tuple[str, ...] | None"]


class Cors:
    """A policy under the `--cors` setting, applied to requests (headers: lower-case names)."""

    def __init__(self, policy: CorsPolicy, setting: CorsSetting) -> None:
        self.policy = policy
        self.setting = setting

    def is_preflight(self, method: str, headers: Mapping[str, str]) -> bool:
        """A request the CORS layer answers itself, before auth, redirects, faults and limits."""
        if method != "OPTIONS" or REQUEST_METHOD not in headers:
            return False
        return "origin" in headers or self.policy.preflight_without_origin

    def preflight(self, headers: Mapping[str, str], route_methods: RouteMethods) -> Preflight:
        policy = self.policy
        found: list[tuple[str, str]] = self._vary([])
        origin = self.allowed_origin(headers)
        if origin is not None:
            found.append((ALLOW_ORIGIN, origin))
            found.extend(self._preflight_headers(headers, route_methods))
        return Preflight(policy.preflight_status, policy.preflight_content_type, found)

    def response_headers(self, method: str, request: Mapping[str, str], response: list[tuple[str, str]],
                         route_methods: RouteMethods) -> list[tuple[str, str]]:
        """`response` (an actual answer's headers) with what the policy adds; names it set are kept."""
        result = self._vary(list(response))
        present = {name for name, _ in result}
        origin = self.allowed_origin(request)
        if origin is None:
            return result
        added = [(ALLOW_ORIGIN, origin)]
        if method == "OPTIONS" and self.policy.options_get_preflight_headers and "origin" in request:
            added.extend(self._preflight_headers(request, route_methods))
        return result + [(name, value) for name, value in added if name not in present]

    def allowed_origin(self, headers: Mapping[str, str]) -> str | None:
        """The `Access-Control-Allow-Origin` value for this request, or None for no CORS headers."""
        origin = headers.get("origin")
        if origin is None:
            vendor_all = self.setting.mode == "vendor" and self.policy.allow_origin_without_origin
            return "*" if vendor_all else None
        try:
            urlsplit(origin)  # django-cors-headers gives up on an Origin it cannot split
        except ValueError:
            return None
        if self.setting.mode == "vendor":
            return "*"
        return origin if origin.strip().lower() in self.setting.origins else None

    def _vary(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Add the policy's token to `Vary` when the answer depends on Origin (as Django's patch_vary_headers)."""
        if not (self.policy.vary_always or self.setting.mode == "origins"):
            return headers
        token = self.policy.vary_token
        for index, (name, value) in enumerate(headers):
            if name == "vary":
                tokens = [part.strip() for part in value.split(",") if part.strip()]
                if token.lower() not in {t.lower() for t in tokens} and "*" not in tokens:
                    headers[index] = (name, ", ".join([*tokens, token]))
                return headers
        return [*headers, ("vary", token)]

    def _preflight_headers(self, request: Mapping[str, str], route_methods: RouteMethods) -> list[tuple[str, str]]:
        policy = self.policy
        found: list[tuple[str, str]] = []
        if policy.allow_headers is not None:
            found.append((ALLOW_HEADERS, ", ".join(policy.allow_headers)))
        else:
            asked = _token_list(request.get(REQUEST_HEADERS))
            if asked:
                found.append((ALLOW_HEADERS, ", ".join(asked)))
        methods = policy.allow_methods if policy.allow_methods is not None else route_methods()
        if methods is None:  # a path the spec does not know: the method asked for, so the real answer shows
            methods = tuple(_token_list(request.get(REQUEST_METHOD)))[:1]
        if methods:
            found.append((ALLOW_METHODS, ", ".join(methods)))
        if policy.max_age is not None:
            found.append((MAX_AGE, str(policy.max_age)))
        return found


def _token_list(value: str | None) -> list[str]:
    """A comma-separated list of HTTP tokens, or [] when any item is not one (never echo junk)."""
    if not value:
        return []
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items if all(_TOKEN.match(item) for item in items) else []
