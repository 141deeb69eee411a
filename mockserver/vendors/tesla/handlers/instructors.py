"""`/api/v2/institution/{iid}/instructor/`: users with the instructor role (one id space)."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.instructors import INSTRUCTOR_INPUT_ORDER
from .request import field_errors, list_page, request_body, vendor_backend


def list_instructors(institution_id: str) -> flask.Response:
    instructors = vendor_backend().instructors
    return list_page("list_instructors", instructors.rows(institution_id), instructors.view)


def create_instructor(institution_id: str) -> flask.Response:
    instructors, data = vendor_backend().instructors, request_body()
    errors = field_errors(data, "InstructorCreate", INSTRUCTOR_INPUT_ORDER)
    return json_response(instructors.view(instructors.create(institution_id, data, errors)), 201)


def get_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    instructors = vendor_backend().instructors
    return json_response(instructors.view(instructors.get(institution_id, id)))


def _write_instructor(institution_id: str, instructor_id: str, schema: str) -> flask.Response:
    instructors = vendor_backend().instructors
    instructors.get(institution_id, instructor_id)
    data = request_body()
    row = instructors.update(institution_id, instructor_id, data, field_errors(data, schema, INSTRUCTOR_INPUT_ORDER))
    return json_response(instructors.view(row))


def update_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_instructor(institution_id, id, "InstructorUpdate")


def partial_update_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_instructor(institution_id, id, "InstructorWrite")


def delete_instructor(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().instructors.delete(institution_id, id)
    return empty_response(204)
