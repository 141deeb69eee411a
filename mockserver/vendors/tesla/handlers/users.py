"""`/api/v2/institution/{iid}/user/`: institution users."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.users import USER_INPUT_ORDER
from .request import caller, field_errors, list_page, request_body, vendor_backend


def list_users(institution_id: str) -> flask.Response:
    users = vendor_backend().users
    return list_page("list_users", users.rows(caller(), institution_id), users.view)


def create_user(institution_id: str) -> flask.Response:
    users, data = vendor_backend().users, request_body()
    errors = field_errors(data, "InstitutionUserCreate", USER_INPUT_ORDER)
    return json_response(users.view(users.create(institution_id, data, errors)), 201)


def get_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002 - the spec's name
    users = vendor_backend().users
    return json_response(users.view(users.get(caller(), institution_id, id)))


def _write_user(institution_id: str, user_id: str, schema: str) -> flask.Response:
    users, principal = vendor_backend().users, caller()
    users.get(principal, institution_id, user_id)
    data = request_body()
    row = users.update(principal, institution_id, user_id, data, field_errors(data, schema, USER_INPUT_ORDER))
    return json_response(users.view(row))


def update_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_user(institution_id, id, "InstitutionUserUpdate")


def partial_update_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_user(institution_id, id, "InstitutionUserWrite")


def delete_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().users.delete(caller(), institution_id, id)
    return empty_response(204)
