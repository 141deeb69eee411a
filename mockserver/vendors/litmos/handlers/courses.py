"""Courses, modules and user course results handlers. No rules in here."""

from __future__ import annotations

import flask
import orjson

from ....core.bodies import empty_response
from ....core.errors import ErrorKind, MockError
from ..dates import request_ms, require_since
from ..errors import MSG_BODY
from .context import backend, json_body, login_base, vendor
from .payloads import body, ref_ids, respond


def list_courses(start: int = 0, limit: int = 100, search: str | None = None) -> flask.Response:
    return respond("CourseList", backend().courses.list_courses(start=start, limit=limit, search=search))


def get_course(courseId: str) -> flask.Response:  # noqa: N803
    return respond("Course", backend().courses.get_course(courseId))


def list_course_modules(courseId: str, start: int = 0, limit: int = 100,  # noqa: N803
                        search: str | None = None) -> flask.Response:
    return respond("ModuleList", backend().courses.list_course_modules(courseId, start=start, limit=limit, search=search))


def list_course_users(courseId: str, start: int = 0, limit: int = 100,  # noqa: N803
                      search: str | None = None) -> flask.Response:
    return respond("CourseUserList", backend().courses.list_course_users(courseId, start=start, limit=limit, search=search))


def list_user_courses(userId: str, start: int = 0, limit: int = 100,  # noqa: N803
                      search: str | None = None) -> flask.Response:
    return respond("UserCourseList", backend().results.list_user_courses(userId, start=start, limit=limit, search=search))


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
    """A JSON body whose `UpdatedAt` is an ISO string: the real WCF fails it with its HTML 500."""
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
    assert moment is not None
    rows = backend().results.results_details(since_ms=int(moment.timestamp() * 1000), start=start, limit=limit,
                                     login_base=login_base())
    return respond("ResultDetailList", rows)


MAX_USERS = 25
MSG_TOO_MANY = f"No more than {MAX_USERS} users can be sent in one request."


def list_courses_of_users() -> flask.Response:
    items = body("UserRefList", list)
    if len(items) > MAX_USERS:
        raise MockError(ErrorKind.NOT_ACCEPTABLE, MSG_TOO_MANY, extra={"litmos": True})
    return respond("UsersCoursesList", backend().results.courses_of_users(ref_ids(items)))


def list_achievements(userid: str | None = None, since: str | None = None, start: int = 0,
                      limit: int = 100) -> flask.Response:
    moment = require_since(since)
    rows = backend().achievements.list_achievements(user_id=userid, since_ms=int(moment.timestamp() * 1000) if moment else None,
                                       start=start, limit=limit)
    return respond("AchievementList", rows)
