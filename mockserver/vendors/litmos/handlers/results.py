"""Course result handlers: a user's courses, module completions, results since a date, several
users' courses at once. No rules in here."""

from __future__ import annotations

import flask
import orjson

from ....core.bodies import empty_response
from ....core.errors import ErrorKind, MockError
from ..dates import request_ms, require_since
from ..errors import MSG_BODY
from .context import backend, json_body, login_base, vendor
from .payloads import body, ref_ids, respond


def list_user_courses(userId: str, start: int = 0, limit: int = 100,  # noqa: N803
                      search: str | None = None) -> flask.Response:
    rows = backend().results.list_user_courses(userId, start=start, limit=limit, search=search)
    return respond("UserCourseList", rows)


def assign_user_courses(userId: str, sendmessage: bool | None = None) -> flask.Response:  # noqa: N803
    backend().results.assign_courses(userId, ref_ids(body("CourseRefList", list)))
    return empty_response(201)


def get_user_course(userId: str, courseId: str) -> flask.Response:  # noqa: N803
    return respond("UserCourse", backend().results.get_user_course(userId, courseId))


def remove_user_course(userId: str, courseId: str) -> flask.Response:  # noqa: N803
    backend().results.remove_user_course(userId, courseId)
    return empty_response(200)


def reset_user_course(userId: str, courseId: str) -> flask.Response:  # noqa: N803
    backend().results.reset_user_course(userId, courseId)
    return empty_response(200)


def _iso_in_json(raw: bytes) -> bool:
    """A JSON body whose `UpdatedAt` is an ISO string: the real WCF fails it with its HTML 500
    (docs/litmos.md, `PUT /results/modules/{moduleId}`)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False
    return isinstance(data, dict) and isinstance(data.get("UpdatedAt"), str) and request_ms(
        data["UpdatedAt"], json_body=False) is not None


def mark_module_complete(moduleId: str) -> flask.Response:  # noqa: N803
    in_json = json_body()
    try:
        data = body("ModuleCompletionJson" if in_json else "ModuleCompletion")
    except MockError as exc:
        if in_json and vendor().settings.quirks and _iso_in_json(flask.request.get_data()):
            raise MockError(ErrorKind.SERVER_ERROR, "ISO date in a JSON body") from exc
        raise
    updated = data.get("UpdatedAt")
    ms = request_ms(updated, in_json) if isinstance(updated, str) else None
    if isinstance(updated, str) and ms is None:
        raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY)
    backend().results.mark_module(moduleId, data, ms)
    return empty_response(200)


def list_results_details(since: str, start: int = 0, limit: int = 100) -> flask.Response:
    moment = require_since(since)
    assert moment is not None  # `since` is required by the spec
    rows = backend().results.results_details(since_ms=int(moment.timestamp() * 1000), start=start, limit=limit,
                                             login_base=login_base())
    return respond("ResultDetailList", rows)


def list_courses_of_users() -> flask.Response:
    items = body("UserRefList", list)
    return respond("UsersCoursesList", backend().results.courses_of_users(ref_ids(items), sent=len(items)))
