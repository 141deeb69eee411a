"""`/api/v2/institution/{iid}/user/`: institution users."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.backend import USER_INPUT_ORDER, TeslaBackend
from .request import caller, field_errors, list_page, request_body, vendor_backend

def list_users(institution_id: str) -> flask.Response:
    return list_page("list_users", vendor_backend().list_users(caller(), institution_id), TeslaBackend.view_user)


def create_user(institution_id: str) -> flask.Response:
    data = request_body()
    errors = field_errors(data, "InstitutionUserCreate", USER_INPUT_ORDER)
    row = vendor_backend().create_user(caller(), institution_id, data, errors)
    return json_response(TeslaBackend.view_user(row), 201)


def get_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002 - the spec's name
    return json_response(TeslaBackend.view_user(vendor_backend().user(caller(), institution_id, id)))


def _write_user(institution_id: str, user_id: str, schema: str) -> flask.Response:
    backend, principal = vendor_backend(), caller()
    backend.user(principal, institution_id, user_id)
    data = request_body()
    row = backend.update_user(principal, institution_id, user_id, data, field_errors(data, schema, USER_INPUT_ORDER))
    return json_response(TeslaBackend.view_user(row))


def update_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_user(institution_id, id, "InstitutionUserUpdate")


def partial_update_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_user(institution_id, id, "InstitutionUserWrite")


def delete_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().delete_user(caller(), institution_id, id)
    return empty_response(204)
