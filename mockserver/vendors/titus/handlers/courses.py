"""Courses and categories: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ...base import mount_base_url
from ..models.common import require
from .common import backend, bulk_response, check, parsed, principal


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
    who = principal()
    require(who, "moodle/course:create")
    data = parsed()
    check(data, "CourseCreate")
    course = backend().create_course(who, data)
    return json_response(course, 201, headers={"Location": f"{mount_base_url()}/course/{course['id']}"})


def create_courses(atomic: bool = False) -> flask.Response:
    who = principal()
    require(who, "moodle/course:create")
    data = parsed()
    check(data, "CourseBulkCreate")
    return bulk_response(backend().create_courses(who, data["courses"], atomic=atomic))


def update_course(id: int) -> flask.Response:
    who = principal()
    require(who, "moodle/course:update")
    data = parsed()
    # Read-only fields are checked by the model (equal values pass, others are `readonlyfield`).
    kept_aside = {k: data.pop(k) for k in ("id", "timecreated", "timemodified") if isinstance(data, dict) and k in data}
    check(data, "CourseUpdate")
    return json_response(backend().update_course(who, id, {**data, **kept_aside}))


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
