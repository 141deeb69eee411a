"""Course details handler. No rules in here."""

from __future__ import annotations

import flask

from .context import backend
from .payloads import respond


def get_course_details(courseId: str) -> flask.Response:  # noqa: N803
    return respond("CourseDetails", backend().course_details.view(courseId))
