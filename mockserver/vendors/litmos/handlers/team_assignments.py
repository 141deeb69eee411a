"""Team course and team learning path handlers. No rules in here."""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import empty_response
from .context import backend
from .learning_paths import path_ids
from .payloads import body, respond


def _course_refs(items: list[Any]) -> list[tuple[str, bool]]:
    """(Id, CourseTeamLibrary) of each item that names a course; the library defaults to false."""
    return [(item["Id"], bool(item.get("CourseTeamLibrary", False)))
            for item in items if isinstance(item, dict) and isinstance(item.get("Id"), str)]


def list_team_courses(teamId: str, start: int = 0, limit: int = 100,  # noqa: N803
                      search: str | None = None) -> flask.Response:
    rows = backend().team_assignments.list_team_courses(teamId, start=start, limit=limit, search=search)
    return respond("TeamCourseList", rows)


def assign_team_courses(teamId: str, sendmessage: bool | None = None,  # noqa: N803
                        includesubteams: bool = False) -> flask.Response:
    items = _course_refs(body("TeamCourseRefList", list))
    backend().team_assignments.assign_team_courses(teamId, items, includesubteams)
    return empty_response(201)


def remove_team_courses(teamId: str) -> flask.Response:  # noqa: N803
    backend().team_assignments.remove_team_courses(teamId, _course_refs(body("TeamCourseRefList", list)))
    return empty_response(200)


def list_team_learning_paths(teamId: str, start: int = 0, limit: int = 100,  # noqa: N803
                             search: str | None = None) -> flask.Response:
    rows = backend().team_assignments.list_team_paths(teamId, start=start, limit=limit, search=search)
    return respond("LearningPathList", rows)


def assign_team_learning_paths(teamId: str, sendmessage: bool | None = None) -> flask.Response:  # noqa: N803
    backend().team_assignments.assign_team_paths(teamId, path_ids())
    return empty_response(201)


def remove_team_learning_paths(teamId: str) -> flask.Response:  # noqa: N803
    backend().team_assignments.remove_team_paths(teamId, path_ids())
    return empty_response(200)
