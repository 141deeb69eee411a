"""Course enrolments and the course's users: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response
from .context import backend, caller
from .request_body import COURSE_KEYS, ROLE_KEYS, USER_KEYS, write_body


def create_course_enrolment() -> flask.Response:
    who, data = write_body("CourseEnrolmentWrite", (COURSE_KEYS, USER_KEYS),
                           optional=(ROLE_KEYS,))
    status, enrolment = backend().enrolments.enrol(who, data)
    return json_response(enrolment, status)


def create_course_enrolments(atomic: bool = False) -> flask.Response:
    who, data = write_body("CourseEnrolmentBulk", (COURSE_KEYS, USER_KEYS),
                           optional=(ROLE_KEYS,), bulk="course_enrolments")
    return bulk_response(backend().enrolments.enrol_many(who, data["course_enrolments"], atomic=atomic),
                         key="courseid,userid")


def suspend_course_enrolment() -> flask.Response:
    who, data = write_body("CourseEnrolmentSuspension", (COURSE_KEYS, USER_KEYS))
    return json_response(backend().enrolments.suspend_enrolment(who, data))


def delete_course_enrolment(courseid: int, userid: int) -> flask.Response:
    backend().enrolments.unenrol(caller(), courseid, userid)
    return empty_response(204)


def list_course_users(courseid: int, page: int = 1, perpage: int = 100, roleid: int | None = None,
                      status: str | None = None) -> flask.Response:
    return json_response(backend().enrolments.course_users(caller(), courseid, page=page,
                                                           perpage=perpage,
                                                           filters={"roleid": roleid, "status": status}))
