"""Course completions (read-only): operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from .context import backend, caller


def get_course_completion(courseid: int, userid: int) -> flask.Response:
    return json_response(backend().course_completions.get_course_completion(
        caller(), courseid, userid))


def list_course_completions(page: int = 1, perpage: int = 100, courseid: int | None = None, userid: int | None = None,
                            completed: bool | None = None, completedsince: int | None = None) -> flask.Response:
    filters = {"courseid": courseid, "userid": userid, "completed": completed, "completedsince": completedsince}
    return json_response(backend().course_completions.list_course_completions(
        caller(), page=page, perpage=perpage, filters=filters))
