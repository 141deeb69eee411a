"""Titus Connect HTTP mapping: operationId -> model call -> JSON. No rules in here."""

from __future__ import annotations

from typing import Any

import flask

from ...core.bodies import BodyError, empty_response, json_response, parse_json, schema_errors
from ...core.errors import ErrorKind, MockError
from ...core.schema import error_field
from ..base import current_backend, mount_base_url, request_scope, token_info
from .models import Principal, TitusBackend

VENDOR = "titus"
UPDATE_SPECIAL_FIELDS = ("email", "id", "firstaccess", "lastaccess", "timecreated", "timemodified")
# A schema failure on these fields has its own Moodle error code.
FIELD_CODES = {
    ("username", "pattern"): ("invalidusername", "The username must be lowercase letters, digits, _ . @ or -"),
    ("email", "format"): ("invalidemail", "Invalid email address"),
    ("auth", "enum"): ("invalidauth", "Unknown authentication method"),
}


def _backend() -> TitusBackend:
    return current_backend(VENDOR)


def _principal() -> Principal:
    return token_info()["principal"]


def _parsed() -> Any:
    try:
        return parse_json(flask.request.get_data())
    except BodyError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"Invalid JSON in request body: {exc}", code="invalidjson") from None


def _check(data: Any, schema: str) -> None:
    """Validate against a component schema; Moodle-style 400 naming every bad field."""
    spec = request_scope()["mockserver.runtime"].vendors[VENDOR].spec
    errors = schema_errors(spec.request_validator(schema), data)
    if not errors:
        return
    fields = [{"field": error_field(e) or "(body)", "message": e.message} for e in errors]
    first = errors[0]
    code, message = FIELD_CODES.get((error_field(first), first.validator), ("invalidparameter", "Invalid parameter value detected"))
    raise MockError(ErrorKind.BAD_REQUEST, message, code=code, extra={
        "exception": "invalid_parameter_exception",
        "debuginfo": f"{fields[0]['field']}: {fields[0]['message']}",
        "errors": fields,
    })


def get_user(id: int) -> flask.Response:
    return json_response(_backend().get_user(_principal(), id))


def list_users(
    page: int = 1,
    perpage: int = 100,
    sort: str = "id",
    order: str = "asc",
    modifiedsince: int | None = None,
    username: str | None = None,
    email: str | None = None,
    idnumber: str | None = None,
    auth: str | None = None,
    suspended: bool | None = None,
    tenantid: int | None = None,
    search: str | None = None,
) -> flask.Response:
    filters = {
        "modifiedsince": modifiedsince, "username": username, "email": email, "idnumber": idnumber,
        "auth": auth, "suspended": suspended, "tenantid": tenantid, "search": search,
    }
    result = _backend().list_users(_principal(), page=page, perpage=perpage, sort=sort, order=order, filters=filters)
    return json_response(result)


def create_user() -> flask.Response:
    principal = _principal()
    _backend().require(principal, "moodle/user:create")
    data = _parsed()
    _check(data, "UserCreate")
    user = _backend().create_user(principal, data)
    return json_response(user, 201, headers={"Location": f"{mount_base_url()}/user/{user['id']}"})


def update_user(id: int) -> flask.Response:
    principal = _principal()
    _backend().require(principal, "moodle/user:update")
    data = _parsed()
    # `email` and read-only fields are left out of the update schema on purpose: the model
    # answers them with their own error codes (useuseremail, readonlyfield).
    kept_aside = {k: data.pop(k) for k in UPDATE_SPECIAL_FIELDS if isinstance(data, dict) and k in data}
    _check(data, "UserUpdate")
    return json_response(_backend().update_user(principal, id, {**data, **kept_aside}))


def delete_user(id: int) -> flask.Response:
    _backend().delete_user(_principal(), id)
    return empty_response(204)


def version_info() -> flask.Response:
    return json_response(_backend().version_info())
