"""What a TeSLA handler reads from its request: the backend, the caller (on public routes too),
the body and its field errors in DRF's words, the absolute URL, and a list page.

Reaching the backend through `vendor_backend()` first lets the emulated workers finish the jobs
the mock clock has reached, so every answer sees the state the real workers would have left.
"""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import json_response
from ....core.errors import ErrorKind, MockError
from ...base import current_backend, current_vendor, mount_base_url, mount_of, relative_path_of, request_scope, token_info
from .. import auth, listing, wire
from ..models.backend import TeslaBackend
from ..permissions import Principal

VENDOR = "tesla"
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def vendor_backend() -> TeslaBackend:
    backend: TeslaBackend = current_backend(VENDOR)
    backend.workers.catch_up()
    return backend


def caller() -> Principal:
    return token_info()["principal"]


def public_route() -> None:
    """DRF's authentication on a route without permission classes: a bad header is still 401."""
    scope = request_scope()
    if auth.route(scope, relative_path_of(scope)) is None:
        raise MockError(ErrorKind.ROUTE_NOT_FOUND, "no route")  # an id with a dot
    authenticated_if_sent()


def authenticated_if_sent() -> None:
    """DRF authenticates public routes too: a token that is sent must be good (else 401)."""
    auth.principal(auth.header(request_scope(), b"authorization"), vendor_backend())


def request_body() -> dict[str, Any]:
    data = wire.parse_body(flask.request.get_data(), flask.request.headers.get("Content-Type"), vendor_backend().quirks)
    error = wire.not_a_dictionary(data)
    if error is not None:
        raise error
    return data


def field_errors(data: dict[str, Any], schema: str, order: tuple[str, ...]) -> wire.FieldErrors:
    spec = current_vendor().spec
    return wire.field_errors(spec.request_validator(schema), data, order)


def serializer_input() -> tuple[dict[str, Any], dict[str, Any]]:
    """The body, and the serializer's own complaint when it is not an object (for views that wrap
    their serializer's errors; a body that is not JSON at all is still DRF's parse error)."""
    data = wire.parse_body(flask.request.get_data(), flask.request.headers.get("Content-Type"), vendor_backend().quirks)
    error = wire.not_a_dictionary(data)
    if error is not None:
        return {}, dict(error.fields or {})
    return data, {}


def nested_errors(data: dict[str, Any], schema: str, order: tuple[str, ...], **options: Any) -> dict[str, Any]:
    """Field errors of a serializer with nested serializers or list fields (see `wire.nested_field_errors`)."""
    spec = current_vendor().spec
    return wire.nested_field_errors(spec.request_validator(schema), data, order, **options)


def form_or_json_body(schema: str) -> dict[str, Any]:
    """A JSON body, or a form (urlencoded or multipart) read as DRF's fields read a QueryDict."""
    if flask.request.mimetype in FORM_TYPES:
        spec = current_vendor().spec
        return wire.form_values(flask.request.form.items(multi=True), spec.component(schema))
    return request_body()


def valid_body(schema: str, order: tuple[str, ...]) -> dict[str, Any]:
    data = request_body()
    errors = field_errors(data, schema, order)
    if errors:
        raise wire.invalid(errors)
    return data


def request_url() -> str:
    """The request's absolute URL, built from its Host like Django's build_absolute_uri."""
    mount = mount_of(request_scope())
    mount_prefix = mount.prefix if mount is not None else ""
    path = wire.escape_uri_path(flask.request.path[len(mount_prefix):])
    query = flask.request.query_string.decode("latin-1")
    return f"{mount_base_url()}{path}" + (f"?{query}" if query else "")


def list_page(operation: str, rows: list[dict[str, Any]], view: Any) -> flask.Response:
    rules = vendor_backend().list_rules[operation]
    args = flask.request.args
    errors = rules.errors(args)
    if errors:
        raise wire.invalid(errors)
    return json_response(listing.page(rules.apply(rows, args), args, request_url(), view))
