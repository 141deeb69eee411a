"""What a TeSLA handler reads from its request: the backend, the caller, the body and its
field errors in DRF's words, the absolute URL, and a list page."""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import json_response
from ...base import current_backend, mount_base_url, request_scope, token_info
from .. import drf, listing
from ..models.backend import LIST_RULES, TeslaBackend
from ..permissions import Principal

VENDOR = "tesla"


def vendor_backend() -> TeslaBackend:
    return current_backend(VENDOR)


def caller() -> Principal:
    return token_info()["principal"]


def request_body() -> dict[str, Any]:
    data = drf.parse_body(flask.request.get_data(), flask.request.headers.get("Content-Type"), vendor_backend().quirks)
    error = drf.not_a_dictionary(data)
    if error is not None:
        raise error
    return data


def field_errors(data: dict[str, Any], schema: str, order: tuple[str, ...]) -> drf.FieldErrors:
    spec = request_scope()["mockserver.runtime"].vendors[VENDOR].spec
    return drf.field_errors(spec.request_validator(schema), data, order)


def valid_body(schema: str, order: tuple[str, ...]) -> dict[str, Any]:
    data = request_body()
    errors = field_errors(data, schema, order)
    if errors:
        raise drf.invalid(errors)
    return data


def request_url() -> str:
    """The request's absolute URL, built from its Host like Django's build_absolute_uri."""
    mount_prefix = request_scope()["mockserver.mount"].prefix
    path = drf.escape_uri_path(flask.request.path[len(mount_prefix):])
    query = flask.request.query_string.decode("latin-1")
    return f"{mount_base_url()}{path}" + (f"?{query}" if query else "")


def list_page(operation: str, rows: list[dict[str, Any]], view: Any) -> flask.Response:
    rules = LIST_RULES[operation]
    args = flask.request.args
    errors = rules.errors(args)
    if errors:
        raise drf.invalid(errors)
    return json_response(listing.page(rules.apply(rows, args), args, request_url(), view))
