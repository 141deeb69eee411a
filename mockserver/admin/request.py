"""What every admin handler needs: the realm a call is for, and its JSON body."""

from __future__ import annotations

from typing import Any

import flask

from ..core.bodies import BodyError, parse_json
from ..core.errors import ErrorKind, MockError
from ..realm import Realm
from ..runtime import Runtime
from ..vendors.base import request_context


def server() -> Runtime:
    return request_context().server


def realm(namespace: str | None = None) -> Realm:
    """`?namespace=` if given, else the namespace of the URL (`/ns/{name}/__admin`), else the default."""
    if namespace is not None:
        return server().realm(namespace)
    return request_context().realm


def mounted(target: Realm, vendor: str | None) -> str | None:
    if vendor is not None and vendor not in target.vendors:
        raise MockError(ErrorKind.NOT_FOUND, f"vendor {vendor!r} is not mounted on this server")
    return vendor


def json_body() -> Any:
    """The request's JSON body: as the admin body guard already parsed it (admin/bodies.py), else
    parsed here. The value is shared with the journal, which reads it after the handler: change
    a copy, never the value itself."""
    parsed = request_context().parsed_body
    if parsed is not None:
        return parsed[0]
    try:
        return parse_json(flask.request.get_data(), exact=True)  # a TeSLA state's big integers stay exact
    except BodyError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"request body is not valid JSON: {exc}") from None


def json_object() -> dict[str, Any]:
    data = json_body()
    if not isinstance(data, dict):
        raise MockError(ErrorKind.BAD_REQUEST, "request body must be a JSON object")
    return data
