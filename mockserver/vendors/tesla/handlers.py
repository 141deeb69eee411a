"""TeSLA CE HTTP mapping: operationId -> model call -> DRF representation. No rules in here.

Permissions were checked by `auth.authenticate` before these run; lookups come before body
parsing, as in DRF's update views (a missing record is 404 whatever the body).
"""

from __future__ import annotations

from typing import Any

import flask

from ...core.bodies import empty_response, json_response
from ..base import current_backend, mount_base_url, request_scope, token_info
from . import drf, listing
from .instructors import INSTRUCTOR_INPUT_ORDER, view_instructor
from .models import INSTITUTION_FIELDS, LIST_RULES, USER_INPUT_ORDER, TeslaBackend
from .permissions import Principal

VENDOR = "tesla"


def _backend() -> TeslaBackend:
    return current_backend(VENDOR)


def _principal() -> Principal:
    return token_info()["principal"]


def _body() -> dict[str, Any]:
    data = drf.parse_body(flask.request.get_data(), flask.request.headers.get("Content-Type"), _backend().quirks)
    error = drf.not_a_dictionary(data)
    if error is not None:
        raise error
    return data


def _errors(data: dict[str, Any], schema: str, order: tuple[str, ...]) -> drf.FieldErrors:
    spec = request_scope()["mockserver.runtime"].vendors[VENDOR].spec
    return drf.field_errors(spec.request_validator(schema), data, order)


def _valid_body(schema: str, order: tuple[str, ...]) -> dict[str, Any]:
    data = _body()
    errors = _errors(data, schema, order)
    if errors:
        raise drf.invalid(errors)
    return data


def _request_url() -> str:
    """The request's absolute URL, built from its Host like Django's build_absolute_uri."""
    mount_prefix = request_scope()["mockserver.mount"].prefix
    path = drf.escape_uri_path(flask.request.path[len(mount_prefix):])
    query = flask.request.query_string.decode("latin-1")
    return f"{mount_base_url()}{path}" + (f"?{query}" if query else "")


def _page(operation: str, rows: list[dict[str, Any]], view: Any) -> flask.Response:
    rules = LIST_RULES[operation]
    args = flask.request.args
    errors = rules.errors(args)
    if errors:
        raise drf.invalid(errors)
    return json_response(listing.page(rules.apply(rows, args), args, _request_url(), view))


# -- auth ------------------------------------------------------------------------------------------

def login() -> flask.Response:
    data = _valid_body("Login", ("email", "password", "realm"))
    return json_response(_backend().login(data["email"].strip(), data["password"]))


def approle() -> flask.Response:
    data = drf.trimmed(_valid_body("AppRoleLogin", ("role_id", "secret_id")), ("role_id", "secret_id"))
    return json_response(_backend().approle(data["role_id"], data["secret_id"]))


def refresh_token() -> flask.Response:
    token = _valid_body("RefreshRequest", ("token",))["token"]
    if isinstance(token, dict):
        access, refresh = token["access_token"], token["refresh_token"]
    else:
        words = flask.request.headers.get("Authorization", "").encode("latin-1").split()
        access, refresh = token.strip(), words[1].decode("latin-1") if len(words) == 2 else ""
    return json_response(_backend().refresh(access, refresh))


# -- institutions ----------------------------------------------------------------------------------

def list_institutions() -> flask.Response:
    return _page("list_institutions", _backend().list_institutions(), TeslaBackend.view_institution)


def get_institution(institution_id: str) -> flask.Response:
    return json_response(TeslaBackend.view_institution(_backend().institution(institution_id)))


def _write_institution(institution_id: str) -> flask.Response:
    backend = _backend()
    backend.institution(institution_id)
    data = _body()
    row = backend.update_institution(institution_id, data, _errors(data, "InstitutionWrite", INSTITUTION_FIELDS))
    return json_response(TeslaBackend.view_institution(row))


def update_institution(institution_id: str) -> flask.Response:
    return _write_institution(institution_id)


def partial_update_institution(institution_id: str) -> flask.Response:
    return _write_institution(institution_id)


# -- institution users -----------------------------------------------------------------------------

def list_users(institution_id: str) -> flask.Response:
    return _page("list_users", _backend().list_users(_principal(), institution_id), TeslaBackend.view_user)


def create_user(institution_id: str) -> flask.Response:
    data = _body()
    errors = _errors(data, "InstitutionUserCreate", USER_INPUT_ORDER)
    row = _backend().create_user(_principal(), institution_id, data, errors)
    return json_response(TeslaBackend.view_user(row), 201)


def get_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002 - the spec's name
    return json_response(TeslaBackend.view_user(_backend().user(_principal(), institution_id, id)))


def _write_user(institution_id: str, user_id: str, schema: str) -> flask.Response:
    backend, principal = _backend(), _principal()
    backend.user(principal, institution_id, user_id)
    data = _body()
    row = backend.update_user(principal, institution_id, user_id, data, _errors(data, schema, USER_INPUT_ORDER))
    return json_response(TeslaBackend.view_user(row))


def update_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_user(institution_id, id, "InstitutionUserUpdate")


def partial_update_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_user(institution_id, id, "InstitutionUserWrite")


def delete_user(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    _backend().delete_user(_principal(), institution_id, id)
    return empty_response(204)


# -- instructors (users with the instructor role: one id space) ------------------------------------

def list_instructors(institution_id: str) -> flask.Response:
    return _page("list_instructors", _backend().list_instructors(institution_id), view_instructor)


def create_instructor(institution_id: str) -> flask.Response:
    data = _body()
    errors = _errors(data, "InstructorCreate", INSTRUCTOR_INPUT_ORDER)
    return json_response(view_instructor(_backend().create_instructor(institution_id, data, errors)), 201)


def get_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return json_response(view_instructor(_backend().instructor(institution_id, id)))


def _write_instructor(institution_id: str, instructor_id: str, schema: str) -> flask.Response:
    backend = _backend()
    backend.instructor(institution_id, instructor_id)
    data = _body()
    row = backend.update_instructor(institution_id, instructor_id, data, _errors(data, schema, INSTRUCTOR_INPUT_ORDER))
    return json_response(view_instructor(row))


def update_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_instructor(institution_id, id, "InstructorUpdate")


def partial_update_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_instructor(institution_id, id, "InstructorWrite")


def delete_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    _backend().delete_instructor(institution_id, id)
    return empty_response(204)



# The course tree (VLEs, courses, instruments, course people, activities, reports): its operations
# live in their own modules and are made names of this one for the resolver.
from . import handlers_activities as _activities  # noqa: E402
from . import handlers_courses as _courses  # noqa: E402

globals().update({name: getattr(module, name) for module in (_courses, _activities) for name in dir(module)
                  if name.split("_")[0] in {"list", "create", "get", "update", "partial", "delete"}
                  and callable(getattr(module, name)) and getattr(getattr(module, name), "__module__", "") == module.__name__})


def __getattr__(name: str) -> Any:
    """The learner side's operations (TeSLA B modules), found when the resolver asks for them.

    Resolved lazily: those modules import the helpers above, so importing them here at load time
    would be circular.
    """
    from . import handlers_groups, handlers_learners, handlers_sessions

    for module in (handlers_learners, handlers_sessions, handlers_groups):
        if name in module.__all__:
            return getattr(module, name)
    raise AttributeError(name)
