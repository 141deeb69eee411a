"""Course enrolments, course users and roles: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.common import require
from .common import (COURSE_KEYS, ROLE_KEYS, USER_KEYS, backend, bulk_response, check, each_one_of_each, one_of_each,
                     parsed, principal)


def create_course_enrolment() -> flask.Response:
    who = principal()
    require(who, "enrol/manual:enrol")
    data = parsed()
    one_of_each(data, (COURSE_KEYS, USER_KEYS), optional=(ROLE_KEYS,))
    check(data, "CourseEnrolmentWrite")
    status, enrolment = backend().enrol(who, data)
    return json_response(enrolment, status)


def create_course_enrolments(atomic: bool = False) -> flask.Response:
    who = principal()
    require(who, "enrol/manual:enrol")
    data = parsed()
    each_one_of_each(data, "course_enrolments", (COURSE_KEYS, USER_KEYS), optional=(ROLE_KEYS,))
    check(data, "CourseEnrolmentBulk")
    return bulk_response(backend().enrol_many(who, data["course_enrolments"], atomic=atomic), key="courseid,userid")


def suspend_course_enrolment() -> flask.Response:
    who = principal()
    require(who, "enrol/manual:manage")
    data = parsed()
    one_of_each(data, (COURSE_KEYS, USER_KEYS))
    check(data, "CourseEnrolmentSuspension")
    return json_response(backend().suspend_enrolment(who, data))


def delete_course_enrolment(courseid: int, userid: int) -> flask.Response:
    backend().unenrol(principal(), courseid, userid)
    return empty_response(204)


def list_course_users(courseid: int, page: int = 1, perpage: int = 100, roleid: int | None = None,
                      status: str | None = None) -> flask.Response:
    return json_response(backend().course_users(principal(), courseid, page=page, perpage=perpage,
                                                filters={"roleid": roleid, "status": status}))


def get_role(id: int) -> flask.Response:
    return json_response(backend().get_role(principal(), id))


def list_roles(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc", shortname: str | None = None,
               archetype: str | None = None) -> flask.Response:
    return json_response(backend().list_roles(principal(), page=page, perpage=perpage, sort=sort, order=order,
                                              filters={"shortname": shortname, "archetype": archetype}))
