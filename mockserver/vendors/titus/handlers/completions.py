"""Course and activity completions: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response
from .context import backend, principal
from .request_body import USER_KEYS, write_body

CAPABILITY = "moodle/course:overridecompletion"


def get_course_completion(courseid: int, userid: int) -> flask.Response:
    return json_response(backend().get_course_completion(principal(), courseid, userid))


def list_course_completions(page: int = 1, perpage: int = 100, courseid: int | None = None, userid: int | None = None,
                            completed: bool | None = None, completedsince: int | None = None) -> flask.Response:
    filters = {"courseid": courseid, "userid": userid, "completed": completed, "completedsince": completedsince}
    return json_response(backend().list_course_completions(principal(), page=page, perpage=perpage, filters=filters))


def create_activity_completion() -> flask.Response:
    who, data = write_body(CAPABILITY, "ActivityCompletionWrite", (USER_KEYS,))
    status, view = backend().set_activity_completion(who, data)
    return json_response(view, status)


def create_activity_completions(atomic: bool = False) -> flask.Response:
    who, data = write_body(CAPABILITY, "ActivityCompletionBulk", (USER_KEYS,), bulk="activity_completions")
    return bulk_response(backend().set_activity_completions(who, data["activity_completions"], atomic=atomic),
                         key="cmid,userid")


def delete_activity_completion(cmid: int, userid: int) -> flask.Response:
    backend().reset_activity_completion(principal(), cmid, userid)
    return empty_response(204)


def delete_activity_completions(userid: int, cmid: list[int]) -> flask.Response:
    return bulk_response(backend().reset_activity_completions(principal(), userid, cmid), key="cmid,userid")
