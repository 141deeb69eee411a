"""Learning path handlers: the paths, their courses and users, a user's paths. No rules in here."""

from __future__ import annotations

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


def path_ids() -> list[str]:
    """The ids of a `LearningPathRefList` body; an item without one is 400 with Litmos's text."""
    try:
        return ref_ids(body("LearningPathRefList", list))
    except MockError as exc:
        if exc.kind is ErrorKind.BAD_REQUEST and _lacks_id(flask.request.get_data()):
            raise MockError(ErrorKind.BAD_REQUEST, MSG_NULL_ID) from None
        raise


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
    rows = backend().learning_paths.list_user_paths(userId, start=start, limit=limit, search=search)
    return respond("UserLearningPathList", rows)


def assign_user_learning_paths(userId: str, sendmessage: bool | None = None) -> flask.Response:  # noqa: N803
    backend().learning_paths.assign_paths(userId, path_ids())
    return empty_response(201)


def remove_user_learning_path(userId: str, learningPathId: str) -> flask.Response:  # noqa: N803
    backend().learning_paths.remove_user_path(userId, learningPathId)
    return empty_response(200)
