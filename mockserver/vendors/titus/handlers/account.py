"""Suspension and email changes: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from .context import backend, caller
from .request_body import USER_KEYS, write_body



def create_suspension() -> flask.Response:
    who, data = write_body("SuspensionCreate", (USER_KEYS,))
    status, view = backend().account.suspend_user(who, data)
    return json_response(view, status)


def delete_suspension(userid: int) -> flask.Response:
    backend().account.unsuspend_user(caller(), userid)
    return empty_response(204)


def update_user_email(userid: int) -> flask.Response:
    who, data = write_body("UserEmailUpdate")
    return json_response(backend().account.change_email(who, userid, data["email"]))
