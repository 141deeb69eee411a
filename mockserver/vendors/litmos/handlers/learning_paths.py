"""Learning path, team course and team learning path handlers. No rules in here."""

from __future__ import annotations

from typing import Any

import flask
import orjson

from ....core.bodies import empty_response
from ....core.errors import ErrorKind, MockError
from ..models.learning_paths import MSG_NULL_ID
from ..xmlcodec import XmlBodyError
from .context import backend, json_body, vendor
from .payloads import body, ref_ids, respond


def _lacks_id(raw: bytes) -> bool:
    """A list body with an item whose `Id` is missing, null or empty (Litmos's own 400 text)."""
    try:
        if json_body():
            items = orjson.loads(raw)
        else:
            items = vendor().codec.decode("LearningPathRefList", raw)
    except (orjson.JSONDecodeError, XmlBodyError):
        return False
    return isinstance(items, list) and any(isinstance(i, dict) and i.get("Id") in (None, "") for i in items)


def _path_ids() -> list[str]:
    """The ids of a `LearningPathRefList` body; an item without one is 400 with Litmos's text."""
    try:
        return ref_ids(body("LearningPathRefList", list))
    except MockError as exc:
        if exc.kind is ErrorKind.BAD_REQUEST and _lacks_id(flask.request.get_data()):
            raise MockError(ErrorKind.BAD_REQUEST, MSG_NULL_ID) from None
        raise


def _course_refs(items: list[Any]) -> list[tuple[str, bool]]:
    """(Id, CourseTeamLibrary) of each item that names a course; the library defaults to false."""
    return [(item["Id"], bool(item.get("CourseTeamLibrary", False)))
            for item in items if isinstance(item, dict) and isinstance(item.get("Id"), str)]


def list_learning_paths(start: int = 0, limit: int = 100, search: str | None = None) -> flask.Response:
    return respond("LearningPathList", backend().learning_paths.list_paths(start=start, limit=limit, search=search))


def get_learning_path(learningPathId: str) -> flask.Response:  # noqa: N803
    return respond("LearningPath", backend().learning_paths.get_path(learningPathId))


def list_learning_path_courses(learningPathId: str, start: int = 0, limit: int = 100,  # noqa: N803
                               search: str | None = None) -> flask.Response:
    rows = backend().learning_paths.list_path_courses(learningPathId, start=start, limit=limit, search=search)
    return respond("LearningPathCourseList", rows)


def list_learning_path_users(learningPathId: str, start: int = 0, limit: int = 100,  # noqa: N803
                             search: str | None = None) -> flask.Response:
    rows = backend().learning_paths.list_path_users(learningPathId, start=start, limit=limit, search=search)
    return respond("LearningPathUserList", rows)


def list_user_learning_paths(userId: str, start: int = 0, limit: int = 100,  # noqa: N803
                             search: str | None = None) -> flask.Response:
    return respond("UserLearningPathList", backend().learning_paths.list_user_paths(userId, start=start, limit=limit, search=search))


def assign_user_learning_paths(userId: str, sendmessage: bool | None = None) -> flask.Response:  # noqa: N803
    backend().learning_paths.assign_paths(userId, _path_ids())
    return empty_response(201)


def remove_user_learning_path(userId: str, learningPathId: str) -> flask.Response:  # noqa: N803
    backend().learning_paths.remove_user_path(userId, learningPathId)
    return empty_response(200)


def list_team_courses(teamId: str, start: int = 0, limit: int = 100,  # noqa: N803
                      search: str | None = None) -> flask.Response:
    return respond("TeamCourseList", backend().team_assignments.list_team_courses(teamId, start=start, limit=limit, search=search))


def assign_team_courses(teamId: str, sendmessage: bool | None = None,  # noqa: N803
                        includesubteams: bool = False) -> flask.Response:
    backend().team_assignments.assign_team_courses(teamId, _course_refs(body("TeamCourseRefList", list)), includesubteams)
    return empty_response(201)


def remove_team_courses(teamId: str) -> flask.Response:  # noqa: N803
    backend().team_assignments.remove_team_courses(teamId, _course_refs(body("TeamCourseRefList", list)))
    return empty_response(200)


def list_team_learning_paths(teamId: str, start: int = 0, limit: int = 100,  # noqa: N803
                             search: str | None = None) -> flask.Response:
    return respond("LearningPathList", backend().team_assignments.list_team_paths(teamId, start=start, limit=limit, search=search))


def assign_team_learning_paths(teamId: str, sendmessage: bool | None = None) -> flask.Response:  # noqa: N803
    backend().team_assignments.assign_team_paths(teamId, _path_ids())
    return empty_response(201)


def remove_team_learning_paths(teamId: str) -> flask.Response:  # noqa: N803
    backend().team_assignments.remove_team_paths(teamId, _path_ids())
    return empty_response(200)
