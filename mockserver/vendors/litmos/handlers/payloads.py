"""Request bodies in and answers out, in the format the request asks for (wire.py decides which).

Bodies are parsed and validated here, against the spec's schema, so failures use Litmos's words;
answers show the members of the spec's schema in its order, in XML and in JSON alike. Query
parameters arrive already spelled as in the spec (see `wire.QueryNames`) and validated by Connexion.
"""

from __future__ import annotations

from typing import Any

import flask
import orjson

from ....core.errors import ErrorKind, MockError
from ....core.schema import error_field, iter_errors
from ...base import request_scope
from ..errors import MSG_BODY
from ..wire import JSON, JSON_CONTENT_TYPE, XML_CONTENT_TYPE, body_format, json_bytes, response_format
from ..xmlcodec import XmlBodyError
from .context import vendor

# Schema failures the model answers itself, with Litmos's 409 username texts.
RULE_CHECKED = frozenset({("UserName", "minLength"), ("UserName", "pattern")})


def respond(schema: str, value: Any, status: int = 200) -> flask.Response:
    """`value` as the spec's `schema` shows it, in XML or JSON."""
    codec = vendor().codec
    if response_format(request_scope()) == JSON:
        return flask.Response(json_bytes(codec.ordered(schema, value)), status=status, content_type=JSON_CONTENT_TYPE)
    return flask.Response(codec.encode(schema, value), status=status, content_type=XML_CONTENT_TYPE)


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
