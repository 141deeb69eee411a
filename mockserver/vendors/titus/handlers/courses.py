"""Courses: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response, created
from .context import backend, caller
from .request_body import write_body

# Read-only fields are checked by the model (equal values pass, others are `readonlyfield`).
READONLY = ("id", "timecreated", "timemodified")


def get_course(id: int) -> flask.Response:
    return json_response(backend().courses.get_course(caller(), id))


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
    return json_response(backend().courses.list_courses(caller(), page=page, perpage=perpage,
                                                        sort=sort, order=order, filters=filters))


def create_course() -> flask.Response:
    who, data = write_body("CourseCreate")
    return created(backend().courses.create_course(who, data), "course")


def create_courses(atomic: bool = False) -> flask.Response:
    who, data = write_body("CourseBulkCreate")
    return bulk_response(backend().courses.create_courses(who, data["courses"], atomic=atomic))


def update_course(id: int) -> flask.Response:
    who, data = write_body("CourseUpdate", readonly=READONLY)
    return json_response(backend().courses.update_course(who, id, data))


def delete_course(id: int) -> flask.Response:
    backend().courses.delete_course(caller(), id)
    return empty_response(204)
