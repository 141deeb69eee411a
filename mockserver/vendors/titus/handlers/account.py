"""Suspension and email changes: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.common import require
from .common import USER_KEYS, backend, check, one_of_each, parsed, principal



def create_suspension() -> flask.Response:
    who = principal()
    require(who, "moodle/user:update")
    data = parsed()
    one_of_each(data, (USER_KEYS,))
    check(data, "SuspensionCreate")
    status, view = backend().suspend_user(who, data)
    return json_response(view, status)


def delete_suspension(userid: int) -> flask.Response:
    backend().unsuspend_user(principal(), userid)
    return empty_response(204)


def update_user_email(userid: int) -> flask.Response:
    who = principal()
    require(who, "moodle/user:update")
    data = parsed()
    check(data, "UserEmailUpdate")
    return json_response(backend().change_email(who, userid, data["email"]))
