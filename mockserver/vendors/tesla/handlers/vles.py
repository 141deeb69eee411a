"""`/api/v2/institution/{iid}/vle/`: the institution's VLEs and their module credentials."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ...base import mount_base_url
from ..models.vles import VLE_INPUT_ORDER
from .request import field_errors, list_page, request_body, vendor_backend


def list_vles(institution_id: str) -> flask.Response:
    vles = vendor_backend().vles
    return list_page("list_vles", vles.rows(institution_id), vles.view)


def create_vle(institution_id: str) -> flask.Response:
    vles, data = vendor_backend().vles, request_body()
    errors = field_errors(data, "VleCreate", VLE_INPUT_ORDER)
    row, credentials = vles.create(institution_id, data, errors, mount_base_url())
    view = vles.view(row, credentials)
    view["lti"] = None  # the real serializer answers from a stale instance
    return json_response(view, 201)


def get_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002 - the spec's name
    vles = vendor_backend().vles
    return json_response(vles.view(vles.get(institution_id, id)))


def _write_vle(institution_id: str, vle_id: int, schema: str) -> flask.Response:
    vles = vendor_backend().vles
    vles.get(institution_id, vle_id)
    data = request_body()
    return json_response(vles.view(vles.update(institution_id, vle_id, data, field_errors(data, schema, VLE_INPUT_ORDER))))


def update_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_vle(institution_id, id, "VleCreate")


def partial_update_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_vle(institution_id, id, "VleWrite")


def delete_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().vles.delete(institution_id, id)
    return empty_response(204)
