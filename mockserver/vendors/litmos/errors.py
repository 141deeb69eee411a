"""Litmos errors: `{"Detail": ...}` or `<Detail>...</Detail>`, with the message as reason phrase."""

from __future__ import annotations

import re
from typing import Any

from ...core.errors import ErrorKind, MockError
from ..base import WireResponse
from .dates import MSG_RANGE, MSG_SINCE, parse_since
from .wire import JSON, JSON_ERROR_CONTENT_TYPE, XML_CONTENT_TYPE, json_bytes, query_value, response_format
from .xmlcodec import XmlCodec

MSG_BODY = "Please check the xml/json in the body of the request."
MSG_URI = "Bad Request. Please check that your URI and request body are properly formed."
MSG_SERVER = ("The server encountered an error processing the request. Please see the server logs for more "
              "details.")
# Texts for failures only the framework or the gateway raise; their own messages are the mock's.
FIXED: dict[ErrorKind, str] = {
    ErrorKind.ROUTE_NOT_FOUND: "Endpoint not found.",
    ErrorKind.METHOD_NOT_ALLOWED: "Method not allowed.",
    ErrorKind.NOT_ACCEPTABLE: "Not Acceptable",
    ErrorKind.PAYLOAD_TOO_LARGE: "Request Entity Too Large",
    ErrorKind.UNSUPPORTED_MEDIA_TYPE: "Unsupported Media Type. Send application/xml, text/xml or application/json.",
    ErrorKind.SERVER_ERROR: MSG_SERVER,
}
DEFAULTS: dict[ErrorKind, str] = {
    ErrorKind.BAD_REQUEST: MSG_URI,
    ErrorKind.UNAUTHORIZED: "The API key that you have used for this request is either not valid or your account "
                            "is not enabled for API access.",
    ErrorKind.FORBIDDEN: "Forbidden. Please check your API key, content-type, parameters, etc.",
    ErrorKind.NOT_FOUND: "Not Found. The record you requested does not exist.",
    ErrorKind.CONFLICT: "Conflict",
    ErrorKind.RATE_LIMITED: "Rating Limit Exceeded",
}
# WCF's page for an unhandled exception ("Request Error"), served as text/html.
SERVER_ERROR_PAGE = (
    "<html><head><title>Request Error</title></head><body><div id=\"content\">"
    "<p class=\"heading1\">Request Error</p>"
    f"<p>{MSG_SERVER}</p></div></body></html>"
).encode("utf-8")
_UNSAFE_REASON = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def message_for(error: MockError) -> str:
    if error.kind in FIXED and not error.extra.get("litmos"):
        return FIXED[error.kind]
    if error.kind is ErrorKind.BAD_REQUEST and error.extra.get("framework"):
        return MSG_URI
    return error.message or DEFAULTS.get(error.kind, error.kind.value)


def reason_phrase(message: str) -> str:
    """The message as a status-line reason: one line, Latin-1 only."""
    text = _UNSAFE_REASON.sub(" ", message)
    return text.encode("latin-1", "replace").decode("latin-1")


MSG_LIMIT = "The limit parameter can not be greater than 1000."
_DATED = re.compile(r"/sessions/(future|past)/?$", re.IGNORECASE)


def _over_limit(value: str | None) -> bool:
    try:
        return value is not None and int(value) > 1000
    except ValueError:
        return False


def refine(error: MockError, scope: dict[str, Any]) -> MockError:
    """A parameter the spec refused that Litmos answers with 406 instead of 400 (docs/litmos.md,
    "Choices made": `since`).

    The spec gives `since` its three formats (so generated valid values are valid dates);
    Connexion refuses the rest with a 400, which Litmos answers with 406 and its own text.
    """
    if error.kind is ErrorKind.BAD_REQUEST and error.extra.get("framework"):
        since = query_value(scope, "since")
        if _DATED.search(scope.get("path", "")) and any(
                value is not None and parse_since(value) is None for value in (since, query_value(scope, "to"))):
            return MockError(ErrorKind.NOT_ACCEPTABLE, MSG_RANGE, extra={"litmos": True})
        results = scope.get("path", "").rstrip("/").lower().endswith("/results/details")
        if (since is not None and parse_since(since) is None) or (since is None and results):
            return MockError(ErrorKind.NOT_ACCEPTABLE, MSG_SINCE, extra={"litmos": True})
        if results and _over_limit(query_value(scope, "limit")):
            return MockError(ErrorKind.NOT_ACCEPTABLE, MSG_LIMIT, extra={"litmos": True})
    return error


def render(error: MockError, scope: dict[str, Any], codec: XmlCodec) -> WireResponse:
    """The answer for `error`; a 405 already carries its `Allow` (mockserver/mounts.py sets it from
    the mount's route table, literal segments first)."""
    error = refine(error, scope)
    message = message_for(error)
    headers = dict(error.headers)
    if error.kind is ErrorKind.SERVER_ERROR:
        return WireResponse(500, SERVER_ERROR_PAGE, "text/html", headers, reason_phrase(message))
    if response_format(scope) == JSON:
        body, content_type = json_bytes({"Detail": message}), JSON_ERROR_CONTENT_TYPE
    else:
        body, content_type = codec.encode("ErrorXml", message), XML_CONTENT_TYPE
    return WireResponse(error.http_status, body, content_type, headers, reason_phrase(message))
