"""`.../user/{id}/activities/` and `.../user/{id}/profile/`: an institution user's two actions."""

from __future__ import annotations

import flask

from ..models.user_actions import PROFILE_INPUT_ORDER
from .request import caller, field_errors, list_page, request_body, vendor_backend


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
