"""TeSLA CE errors as the real stack writes them.

DRF: `{"detail": ...}` or field errors, `WWW-Authenticate: JWT` on 401, a few bare JSON strings.
Django (outside DRF): the HTML 404 page for unknown paths and a 301 to the slash URL. The
server's error middleware: an HTML 500 with a fixed sentence.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import orjson
from werkzeug.datastructures import MultiDict

from ...core.errors import ErrorKind, MockError
from ..base import WireResponse, backend_in, base_path_of, mount_of, relative_path_of
from . import auth, metadata
from .wire import escape_uri_path
from .permissions import NO_PERMISSION

HTML = "text/html; charset=utf-8"
JSON = "application/json"
AUTH_PREFIX = "/api/v2/auth/"
NOT_FOUND_PAGE = (
    "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n"
    "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n"
).encode()
CRASH_PAGE = b"Error processing the request."
DETAILS: dict[ErrorKind, str] = {
    ErrorKind.BAD_REQUEST: "Malformed request.",
    ErrorKind.UNAUTHORIZED: "Incorrect authentication credentials.",
    ErrorKind.FORBIDDEN: NO_PERMISSION,
    ErrorKind.NOT_FOUND: "Not found.",
    ErrorKind.NOT_ACCEPTABLE: "Could not satisfy the request Accept header.",
    ErrorKind.CONFLICT: "Malformed request.",
    ErrorKind.RATE_LIMITED: "Request was throttled.",
}


def _relative_path(scope: dict[str, Any]) -> str:
    return relative_path_of(scope)


def _backend(scope: dict[str, Any]) -> Any:
    return backend_in(scope, "tesla")


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> WireResponse:
    return WireResponse(status, orjson.dumps(body), JSON, headers or {})


def _route_not_found(scope: dict[str, Any]) -> WireResponse:
    """Django's APPEND_SLASH: a path that matches a route once a slash is added is a 301."""
    path = _relative_path(scope)
    mount = mount_of(scope)
    if mount is not None and not path.endswith("/") and "." not in path and mount.routes.allowed(path + "/") \
            and auth.resolvable(scope, path + "/"):
        location = escape_uri_path(base_path_of(scope) + scope["path"] + "/")
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            location += "?" + query
        return WireResponse(301, b"", HTML, {"Location": location})
    if auth.route(scope, path) is not None:
        # Django's router takes any id segment; only the spec's integer ids stop it here. The
        # view then checks permissions and answers DRF's 404 for an id that is not a number.
        denied = auth.precheck(scope, path, _backend(scope))
        return render(denied or MockError(ErrorKind.NOT_FOUND, "Not found."), scope)
    return WireResponse(404, NOT_FOUND_PAGE, HTML)


def _method_not_allowed(error: MockError, scope: dict[str, Any]) -> WireResponse:
    method = scope["method"]
    path = _relative_path(scope)
    if "." in path:  # Django's router takes no dot in an id: no route, whatever the method
        return WireResponse(404, NOT_FOUND_PAGE, HTML)
    if path.startswith(AUTH_PREFIX) and method in ("GET", "HEAD"):
        return _json(405, "Method not allowed", dict(error.headers))  # the views answer GET themselves
    denied = auth.precheck(scope, path, _backend(scope))
    if denied is not None:
        return render(denied, scope)
    if method == "OPTIONS":  # a route whose spec lacks its `options` operation still answers as DRF
        found = metadata.answer(scope, exists=None)
        if found is not None:
            return found
    return _json(405, {"detail": f'Method "{method}" not allowed.'}, {**error.headers, **metadata.allow_headers(scope)})


def _query_errors(scope: dict[str, Any]) -> dict[str, list[str]]:
    """A query value Connexion refused (against the spec): django-filter's own words for it."""
    found = auth.route(scope, _relative_path(scope))
    rules = _backend(scope).list_rules.get(found.get_operation or "") if found is not None else None
    if rules is None or scope["method"] not in ("GET", "HEAD"):
        return {}
    args = MultiDict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    return rules.errors(args)


def render(error: MockError, scope: dict[str, Any]) -> WireResponse:
    kind = error.kind
    if kind is ErrorKind.ROUTE_NOT_FOUND or not auth.resolvable(scope, _relative_path(scope)):
        return _route_not_found(scope)
    if kind is ErrorKind.METHOD_NOT_ALLOWED:
        return _method_not_allowed(error, scope)
    if kind is ErrorKind.SERVER_ERROR:
        return WireResponse(500, CRASH_PAGE, HTML)
    headers = {**error.headers, **(metadata.allow_headers(scope) if scope.get("method") == "OPTIONS" else {})}
    status = 400 if kind is ErrorKind.CONFLICT else error.http_status
    if kind is ErrorKind.UNSUPPORTED_MEDIA_TYPE:
        content_type = (auth.header(scope, b"content-type") or b"").decode("latin-1")
        return _json(status, {"detail": f'Unsupported media type "{content_type}" in request.'}, headers)
    if kind is ErrorKind.PAYLOAD_TOO_LARGE:
        return _json(status, {"detail": "Request body is larger than this server accepts."}, headers)
    if error.extra.get("bare"):
        return _json(status, error.message, headers)
    if "body" in error.extra:  # a view's own answer: a bare list, a 406 status object, the learner API's shape
        return _json(status, error.extra["body"], headers)
    if kind is ErrorKind.UNAUTHORIZED:
        headers["WWW-Authenticate"] = "JWT"
    fields = error.fields
    if kind is ErrorKind.BAD_REQUEST and error.extra.get("framework"):
        fields = _query_errors(scope) or None
    if fields:
        return _json(status, fields, headers)
    framework = error.extra.get("framework") or error.status is not None
    detail = DETAILS.get(kind, "Malformed request.") if framework or not error.message else error.message
    return _json(status, {"detail": detail}, headers)
