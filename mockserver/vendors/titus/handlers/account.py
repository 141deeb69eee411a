"""Suspension and email changes: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ....core.errors import ErrorKind, MockError
from ..models.common import require
from .common import backend, check, parsed, principal

USER_REFERENCES = ("userid", "username", "useridnumber")


def create_suspension() -> flask.Response:
    who = principal()
    require(who, "moodle/user:update")
    data = parsed()
    if isinstance(data, dict):  # the design's own codes for "which user?" (the schema says it too)
        named = [key for key in USER_REFERENCES if key in data]
        if not named:
            raise MockError(ErrorKind.BAD_REQUEST, "Name the user by userid, username or useridnumber",
                            code="missingreference", extra={"exception": "invalid_parameter_exception"})
        if len(named) > 1:
            raise MockError(ErrorKind.BAD_REQUEST, f"Name the user only once, not by {' and '.join(named)}",
                            code="ambiguousreference", extra={"exception": "invalid_parameter_exception"})
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
