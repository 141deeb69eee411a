"""Course catalogue handlers: courses, their modules, their users. No rules in here."""

from __future__ import annotations

import flask

from .context import backend
from .payloads import respond


def list_courses(start: int = 0, limit: int = 100, search: str | None = None) -> flask.Response:
    return respond("CourseList", backend().courses.list_courses(start=start, limit=limit, search=search))


def get_course(courseId: str) -> flask.Response:  # noqa: N803
    return respond("Course", backend().courses.get_course(courseId))


def list_course_modules(courseId: str, start: int = 0, limit: int = 100,  # noqa: N803
                        search: str | None = None) -> flask.Response:
    rows = backend().courses.list_course_modules(courseId, start=start, limit=limit, search=search)
    return respond("ModuleList", rows)


def list_course_users(courseId: str, start: int = 0, limit: int = 100,  # noqa: N803
                      search: str | None = None) -> flask.Response:
    rows = backend().courses.list_course_users(courseId, start=start, limit=limit, search=search)
    return respond("CourseUserList", rows)
