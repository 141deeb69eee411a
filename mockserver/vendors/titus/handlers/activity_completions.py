"""Activity completions: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response
from .context import backend, caller
from .request_body import USER_KEYS, write_body



def create_activity_completion() -> flask.Response:
    who, data = write_body("ActivityCompletionWrite", (USER_KEYS,))
    status, view = backend().activity_completions.set_activity_completion(who, data)
    return json_response(view, status)


def create_activity_completions(atomic: bool = False) -> flask.Response:
    who, data = write_body("ActivityCompletionBulk", (USER_KEYS,), bulk="activity_completions")
    return bulk_response(backend().activity_completions.set_activity_completions(
        who, data["activity_completions"], atomic=atomic), key="cmid,userid")


def delete_activity_completion(cmid: int, userid: int) -> flask.Response:
    backend().activity_completions.reset_activity_completion(caller(), cmid, userid)
    return empty_response(204)


def delete_activity_completions(userid: int, cmid: list[int]) -> flask.Response:
    return bulk_response(backend().activity_completions.reset_activity_completions(
        caller(), userid, cmid), key="cmid,userid")
