"""Titus Connect errors: Moodle's `{exception, errorcode, message}` with the designed statuses.

The raisers the models use (`forbidden`, `not_found`, `bad_request`) word their errors as Moodle
does; `render` alone decides how any error kind looks on the wire.
"""

from __future__ import annotations

from typing import Any

import orjson

from ...core.errors import ErrorKind, MockError
from ..base import WireResponse
from .policy import Capability

# kind -> (exception class, errorcode, message) when the raiser named no code.
DEFAULTS: dict[ErrorKind, tuple[str, str, str]] = {
    ErrorKind.BAD_REQUEST: ("invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected"),
    ErrorKind.UNAUTHORIZED: ("moodle_exception", "invalidtoken", "Invalid token - token not found"),
    ErrorKind.FORBIDDEN: ("required_capability_exception", "nopermissions",
                          "Sorry, but you do not currently have permissions to do that."),
    ErrorKind.NOT_FOUND: ("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table."),
    ErrorKind.ROUTE_NOT_FOUND: ("moodle_exception", "routenotfound", "Route not found"),
    ErrorKind.METHOD_NOT_ALLOWED: ("moodle_exception", "methodnotallowed", "Method not allowed for this route"),
    ErrorKind.NOT_ACCEPTABLE: ("moodle_exception", "noacceptheader", "The Accept header must allow application/json"),
    ErrorKind.CONFLICT: ("moodle_exception", "duplicate", "The record conflicts with an existing one"),
    ErrorKind.PAYLOAD_TOO_LARGE: ("moodle_exception", "requesttoolarge", "The request body is larger than 1 MiB"),
    ErrorKind.UNSUPPORTED_MEDIA_TYPE: ("moodle_exception", "notypeheader", "The Content-Type must be application/json"),
    ErrorKind.RATE_LIMITED: ("moodle_exception", "ratelimited", "Too many requests"),
    ErrorKind.SERVER_ERROR: ("coding_exception", "codingerror", "Coding error detected, it must be fixed by a programmer"),
}
EXCEPTION_BY_CODE = {
    "invalidjson": "invalid_parameter_exception",
    "invalidtoken": "moodle_exception",
    "invalidtimedtoken": "moodle_exception",
    "noauthheader": "moodle_exception",
    "accessexception": "webservice_access_exception",
    "nopermissions": "required_capability_exception",
    "invalidrecord": "dml_missing_record_exception",
    "useradminodelete": "moodle_exception",
    "usernotdeletederror": "moodle_exception",
}


def forbidden(capability: Capability) -> MockError:
    """Moodle's `required_capability_exception`: the capability in words, its name as debuginfo."""
    return MockError(ErrorKind.FORBIDDEN,
                     f"Sorry, but you do not currently have permissions to do that ({capability.title}).",
                     code="nopermissions", extra={"debuginfo": capability.name})


def not_found(table: str) -> MockError:
    return MockError(ErrorKind.NOT_FOUND, f"Can't find data record in database table {table}.", code="invalidrecord",
                     extra={"exception": "dml_missing_record_exception"})


def bad_request(code: str, message: str, field: str | None = None) -> MockError:
    extra: dict[str, Any] = {"exception": "invalid_parameter_exception"}
    if field:
        extra["errors"] = [{"field": field, "message": message}]
    return MockError(ErrorKind.BAD_REQUEST, message, code=code, extra=extra)


def error_body(error: MockError) -> dict[str, Any]:
    """The Moodle error object; also each failed item's `error` in a bulk result."""
    exception, code, message = DEFAULTS[error.kind]
    if error.code:
        code = error.code
        exception = error.extra.get("exception") or EXCEPTION_BY_CODE.get(code, exception)
    if error.kind in (ErrorKind.BAD_REQUEST,) and error.extra.get("framework"):
        # A parameter failed the spec (Connexion): Moodle's generic invalid parameter answer.
        body: dict[str, Any] = {"exception": exception, "errorcode": code, "message": message,
                                "debuginfo": error.message}
    else:
        body = {"exception": exception, "errorcode": code, "message": error.message or message}
        if error.extra.get("debuginfo"):
            body["debuginfo"] = error.extra["debuginfo"]
    if error.extra.get("errors"):
        body["errors"] = error.extra["errors"]
    if "index" in error.extra:
        body["index"] = error.extra["index"]
    return body


def render(error: MockError, scope: dict[str, Any]) -> WireResponse:
    headers = dict(error.headers)
    if error.kind is ErrorKind.UNAUTHORIZED:
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return WireResponse(error.http_status, orjson.dumps(error_body(error)), "application/json", headers)
