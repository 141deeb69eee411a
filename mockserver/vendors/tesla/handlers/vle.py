"""TeSLA CE's VLE API (`/api/v2/vle/{vle_id}/...`): the VLE itself, and what every VLE API handler
shares (the caller's VLE, filtered pages, bodies). No rules in here.

`VLEPermission` was checked before these run (a module token naming the path's VLE), so the VLE
id is the caller's. As in the other handlers, a write looks its record up before it reads the body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask

from ....core.bodies import json_response
from ....core.errors import ErrorKind, MockError
from .. import listing, wire
from ..models.vle_courses import numbers_as_text
from ..models.vle_lists import vle_list_rules
from ..permissions import NO_PERMISSION
from .request import caller, field_errors, request_body, request_url, vendor_backend


def own_vle() -> int:
    """The path's VLE: the permission check made sure it is the caller's."""
    vle_id = caller().vle_id
    assert vle_id is not None  # VLEPermission passed
    return vle_id


def vle_page(operation: str, rows: list[dict[str, Any]], view: Callable[[dict[str, Any]], Any]) -> flask.Response:
    """A DRF page of `rows` after the list's filters (bound to the records that exist now)."""
    args = flask.request.args
    rules = vle_list_rules(operation, args, vendor_backend().state)
    errors = rules.errors(args)
    if errors:
        raise wire.invalid(errors)
    return json_response(listing.page(rules.apply(rows, args), args, request_url(), view))


def body_errors(schema: str, order: tuple[str, ...], text_numbers: bool = False) -> tuple[dict[str, Any], wire.FieldErrors]:
    data = request_body()
    if text_numbers:
        data = numbers_as_text(data)
    return data, field_errors(data, schema, order)


def vle_list_vles() -> flask.Response:
    """Never reached: no module's VLE permission covers the list (403 before any handler)."""
    raise MockError(ErrorKind.FORBIDDEN, NO_PERMISSION)


def vle_get_vle(vle_id: str) -> flask.Response:
    return json_response(vendor_backend().vle_courses.view_vle(own_vle()))
