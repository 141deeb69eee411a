"""`/api/v2/institution/{iid}/course/`: the institution's courses, as the caller may see them."""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import empty_response, json_response
from .request import caller, field_errors, list_page, request_body, vendor_backend

COURSE_INPUT_ORDER = ("id",)


def _course_view() -> Any:
    courses, principal = vendor_backend().courses, caller()
    return lambda row: courses.view(row, principal)


def list_courses(institution_id: str) -> flask.Response:
    return list_page("list_courses", vendor_backend().courses.rows(caller(), institution_id), _course_view())


def create_course(institution_id: str) -> flask.Response:
    data = request_body()
    return vendor_backend().courses.create(institution_id, field_errors(data, "CourseCreate", COURSE_INPUT_ORDER))


def get_course(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    return json_response(_course_view()(vendor_backend().courses.get(caller(), institution_id, id)))


def _write_course(institution_id: str, course_id: int, schema: str) -> flask.Response:
    courses, principal = vendor_backend().courses, caller()
    courses.get(principal, institution_id, course_id)
    data = request_body()
    row = courses.update(principal, institution_id, course_id, data, field_errors(data, schema, COURSE_INPUT_ORDER))
    return json_response(courses.view(row, principal))


def update_course(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_course(institution_id, id, "CourseCreate")


def partial_update_course(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_course(institution_id, id, "CourseWrite")


def delete_course(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().courses.delete(caller(), institution_id, id)
    return empty_response(204)
