"""Courses and categories: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response, created
from .context import backend, principal
from .request_body import write_body

# Read-only fields are checked by the model (equal values pass, others are `readonlyfield`).
READONLY = ("id", "timecreated", "timemodified")


def get_course(id: int) -> flask.Response:
    return json_response(backend().get_course(principal(), id))


def list_courses(
    page: int = 1,
    perpage: int = 100,
    sort: str = "id",
    order: str = "asc",
    modifiedsince: int | None = None,
    categoryid: int | None = None,
    shortname: str | None = None,
    idnumber: str | None = None,
    visible: bool | None = None,
    search: str | None = None,
) -> flask.Response:
    filters = {"modifiedsince": modifiedsince, "categoryid": categoryid, "shortname": shortname,
               "idnumber": idnumber, "visible": visible, "search": search}
    return json_response(backend().list_courses(principal(), page=page, perpage=perpage, sort=sort, order=order,
                                                filters=filters))


def create_course() -> flask.Response:
    who, data = write_body("moodle/course:create", "CourseCreate")
    return created(backend().create_course(who, data), "course")


def create_courses(atomic: bool = False) -> flask.Response:
    who, data = write_body("moodle/course:create", "CourseBulkCreate")
    return bulk_response(backend().create_courses(who, data["courses"], atomic=atomic))


def update_course(id: int) -> flask.Response:
    who, data = write_body("moodle/course:update", "CourseUpdate", readonly=READONLY)
    return json_response(backend().update_course(who, id, data))


def delete_course(id: int) -> flask.Response:
    backend().delete_course(principal(), id)
    return empty_response(204)


def get_category(id: int) -> flask.Response:
    return json_response(backend().get_category(principal(), id))


def list_categories(
    page: int = 1,
    perpage: int = 100,
    sort: str = "id",
    order: str = "asc",
    parent: int | None = None,
    idnumber: str | None = None,
    visible: bool | None = None,
) -> flask.Response:
    filters = {"parent": parent, "idnumber": idnumber, "visible": visible}
    return json_response(backend().list_categories(principal(), page=page, perpage=perpage, sort=sort, order=order,
                                                   filters=filters))
