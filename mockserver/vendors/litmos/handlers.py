"""Litmos HTTP mapping: operationId -> model call -> XML or JSON. No rules in here.

Query parameters arrive already spelled as in the spec (see `wire.QueryNames`) and validated
by Connexion; bodies are parsed and validated here so failures use Litmos's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flask
import orjson

from ...core.bodies import empty_response
from ...core.errors import ErrorKind, MockError
from ...core.schema import error_field, iter_errors
from ..base import current_backend, host_url, request_scope
from .errors import MSG_BODY
from .models import LitmosBackend
from .wire import JSON, JSON_CONTENT_TYPE, XML_CONTENT_TYPE, body_format, json_bytes, response_format
from .xmlcodec import XmlBodyError

if TYPE_CHECKING:
    from .vendor import LitmosVendor

VENDOR = "litmos"
# Schema failures the model answers itself, with Litmos's 409 username texts.
RULE_CHECKED = frozenset({("UserName", "minLength"), ("UserName", "pattern")})


def _backend() -> LitmosBackend:
    return current_backend(VENDOR)


def _vendor() -> "LitmosVendor":
    return request_scope()["mockserver.runtime"].vendors[VENDOR]


def _login_base() -> str:
    """Where LoginKey URLs point: the tenant root, i.e. the mount without its `/v1.svc`."""
    prefix = request_scope()["mockserver.mount"].prefix
    root = prefix[: -len("/v1.svc")] if prefix.endswith("/v1.svc") else prefix
    return f"{host_url()}{root}/"


def _respond(schema: str, value: Any, status: int = 200) -> flask.Response:
    if response_format(request_scope()) == JSON:
        return flask.Response(json_bytes(value), status=status, content_type=JSON_CONTENT_TYPE)
    body = _vendor().codec.encode(schema, value)
    return flask.Response(body, status=status, content_type=XML_CONTENT_TYPE)


def _body(schema: str) -> dict[str, Any]:
    """The request body as a dict that satisfies `schema`, or 400 in Litmos's words."""
    raw = flask.request.get_data()
    vendor = _vendor()
    try:
        if body_format(request_scope()) == JSON:
            data = orjson.loads(raw)
        else:
            data = vendor.codec.decode(schema, raw)
    except (orjson.JSONDecodeError, XmlBodyError):
        raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY) from None
    if not isinstance(data, dict):
        raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY)
    for error in iter_errors(vendor.spec.request_validator(schema), data):
        if (error_field(error), error.validator) not in RULE_CHECKED:
            raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY)
    return data


def list_users(start: int = 0, limit: int = 100, sort: str = "FirstName", dir: str = "ASC",  # noqa: A002
               search: str | None = None, showInactive: bool = True) -> flask.Response:  # noqa: N803
    users = _backend().list_users(start=start, limit=limit, sort=sort, descending=dir == "DESC",
                                  search=search, show_inactive=showInactive)
    return _respond("UserList", users)


def get_user(userId: str) -> flask.Response:  # noqa: N803
    return _respond("User", _backend().get_user(userId, _login_base()))


def create_user(skipfirstlogin: bool | None = None) -> flask.Response:
    data = _body("UserCreate")
    quirks = _vendor().settings.quirks
    user = _backend().create_user(data, _login_base(), skip_first_login=bool(skipfirstlogin),
                                  echo_skip_first_login=not quirks)
    return _respond("User", user, 201)


def update_user(userId: str) -> flask.Response:  # noqa: N803
    _backend().update_user(userId, _body("UserUpdate"))
    return empty_response(200)


def delete_user(userId: str) -> flask.Response:  # noqa: N803
    _backend().delete_user(userId)
    return empty_response(200)
