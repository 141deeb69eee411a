"""What every Litmos handler shares: the backend, the answer in the asked format, the body.

Query parameters arrive already spelled as in the spec (see `wire.QueryNames`) and validated
by Connexion; bodies are parsed and validated here so failures use Litmos's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flask
import orjson

from ....core.errors import ErrorKind, MockError
from ....core.schema import error_field, iter_errors
from ...base import current_backend, host_url, request_scope
from ..errors import MSG_BODY
from ..models import LitmosBackend
from ..wire import JSON, JSON_CONTENT_TYPE, XML_CONTENT_TYPE, body_format, json_bytes, response_format
from ..xmlcodec import XmlBodyError

if TYPE_CHECKING:
    from ..vendor import LitmosVendor

VENDOR = "litmos"
# Schema failures the model answers itself, with Litmos's 409 username texts.
RULE_CHECKED = frozenset({("UserName", "minLength"), ("UserName", "pattern")})


def backend() -> LitmosBackend:
    return current_backend(VENDOR)


def vendor() -> "LitmosVendor":
    return request_scope()["mockserver.runtime"].vendors[VENDOR]


def login_base() -> str:
    """Where LoginKey URLs point: the mount, which serves `login.aspx` (see handlers/sso.py)."""
    return f"{host_url()}{request_scope()['mockserver.mount'].prefix}/"


def respond(schema: str, value: Any, status: int = 200) -> flask.Response:
    if response_format(request_scope()) == JSON:
        return flask.Response(json_bytes(value), status=status, content_type=JSON_CONTENT_TYPE)
    payload = vendor().codec.encode(schema, value)
    return flask.Response(payload, status=status, content_type=XML_CONTENT_TYPE)


def body(schema: str, expected: type = dict) -> Any:
    """The request body (a dict, or a list for `expected=list`) that satisfies `schema`, or 400."""
    raw = flask.request.get_data()
    litmos = vendor()
    try:
        if body_format(request_scope()) == JSON:
            data = orjson.loads(raw)
        else:
            data = litmos.codec.decode(schema, raw)
    except (orjson.JSONDecodeError, XmlBodyError):
        raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY) from None
    if not isinstance(data, expected):
        raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY)
    for error in iter_errors(litmos.spec.request_validator(schema), data):
        if (error_field(error), error.validator) not in RULE_CHECKED:
            raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY)
    return data


def ref_ids(items: list[Any]) -> list[str]:
    """The `Id` of each item of a list body; every other member is ignored, as Litmos ignores it."""
    return [item["Id"] for item in items if isinstance(item, dict) and isinstance(item.get("Id"), str)]


def owned_route() -> None:
    """405 when a literal path (`/users/details`) reached a parameter route (`/users/{userId}`).

    The router may hand `PUT /users/details` to `PUT /users/{userId}`; WCF matches literal
    segments first, so the literal template's methods decide, as the mount's route table
    (mockserver/core/routes.py) reads them.
    """
    scope = request_scope()
    mount = scope["mockserver.mount"]
    allowed = mount.routes.allowed(mount.relative(scope["path"]))
    if allowed is not None and scope["method"].upper() not in allowed:
        raise MockError(ErrorKind.METHOD_NOT_ALLOWED, "method not allowed")
