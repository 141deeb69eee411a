"""TeSLA CE HTTP mapping for the session endpoints, UI options and the institution user actions.

`token`, `profile` and `logout` are plain Django views on the real server (no DRF
authentication): `profile` reads the `Authorization` header itself, answering 401 with an empty
body when there is none and 403 when the token is not good.
"""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ....core.errors import ErrorKind, MockError
from .. import drf
from ..models.logins import invalid_credentials
from ..models.ui_options import UI_INPUT_ORDER
from ..models.user_actions import PROFILE_INPUT_ORDER
from .request import caller, field_errors, list_page, nested_errors, request_body, vendor_backend

__all__ = [
    "launcher_token", "get_profile", "logout",
    "list_ui_options", "create_ui_option", "get_ui_option", "update_ui_option", "partial_update_ui_option",
    "delete_ui_option", "list_user_activities", "update_user_profile",
]


# -- /api/v2/auth/ -----------------------------------------------------------------------------------

def launcher_token() -> flask.Response:
    """The dashboard sends the launcher id as text (from its query string): DRF's IntegerField reads it."""
    data = request_body()
    errors = nested_errors(data, "LauncherExchange", ("id", "token"), overrides={"id": drf.TYPE_MESSAGES["integer"]})
    if errors:
        raise drf.invalid(errors)
    pair = vendor_backend().sessions.launcher_exchange(drf.integer(data["id"]), data["token"].strip())
    if pair is None:
        raise invalid_credentials()
    return json_response(pair)


def get_profile() -> flask.Response:
    words = flask.request.headers.get("Authorization", "").encode("latin-1").split()
    if not words:
        return flask.Response(status=401)
    backend = vendor_backend()
    try:
        if len(words) != 2:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token: Invalid JWT token")
        principal = backend.logins.principal_for(words[1].decode("latin-1"))
    except MockError as error:
        if error.kind is not ErrorKind.UNAUTHORIZED:
            raise
        return json_response({"detail": error.message}, 403)
    if principal.kind == "module":
        return flask.Response(status=403)
    return json_response(backend.sessions.profile(principal.user_id))


def logout() -> flask.Response:
    return empty_response(204)


# -- UI options --------------------------------------------------------------------------------------

def list_ui_options(institution_id: str) -> flask.Response:
    options = vendor_backend().ui_options
    return list_page("list_ui_options", options.rows(institution_id), options.view)


def create_ui_option(institution_id: str) -> flask.Response:
    options, data = vendor_backend().ui_options, request_body()
    row = options.create(institution_id, data, field_errors(data, "UiOptionCreate", UI_INPUT_ORDER))
    return json_response(options.view(row), 201)


def get_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002 - the spec's name
    options = vendor_backend().ui_options
    return json_response(options.view(options.get(institution_id, id)))


def _write_ui_option(institution_id: str, option_id: str, schema: str, partial: bool) -> flask.Response:
    options = vendor_backend().ui_options
    options.get(institution_id, option_id)
    data = request_body()
    row = options.update(institution_id, option_id, data, field_errors(data, schema, UI_INPUT_ORDER), partial)
    return json_response(options.view(row))


def update_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_ui_option(institution_id, id, "UiOptionUpdate", partial=False)


def partial_update_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_ui_option(institution_id, id, "UiOptionPatch", partial=True)


def delete_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().ui_options.delete(institution_id, id)
    return empty_response(204)


# -- user actions ------------------------------------------------------------------------------------

def list_user_activities(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    actions, principal = vendor_backend().user_actions, caller()
    rows = actions.activities(principal, institution_id, id)
    person = int(id)  # a number: the lookup above found the person
    return list_page("list_user_activities", rows, lambda row: actions.view_activity(row, principal, person))


def update_user_profile(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    """Always an error: see `UserActions.update_profile`."""
    actions, principal = vendor_backend().user_actions, caller()
    actions.profile_owner(principal, institution_id, id)
    data = request_body()
    actions.update_profile(principal, institution_id, id, data, field_errors(data, "UserProfile", PROFILE_INPUT_ORDER))
