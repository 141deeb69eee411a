"""`/api/v2/institution/{iid}/course/{cid}/instructor/` and `.../learner/`: a course's people."""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import empty_response, json_response
from .request import caller, field_errors, list_page, request_body, vendor_backend

PERSON_INPUT_ORDER = ("uid",)


def _person_view(role: str, detail: bool) -> Any:
    people = vendor_backend().course_people
    if role == "instructors":
        return people.view_instructor
    return lambda row: people.view_learner(row, detail=detail)


def _list_people(institution_id: str, course_id: int, role: str, operation: str) -> flask.Response:
    rows = vendor_backend().course_people.rows(caller(), institution_id, course_id, role)
    return list_page(operation, rows, _person_view(role, detail=False))


def _create_person(institution_id: str, course_id: int) -> flask.Response:
    data = request_body()
    return vendor_backend().course_people.create(institution_id, course_id,
                                                 field_errors(data, "CoursePersonUpdate", PERSON_INPUT_ORDER))


def _get_person(institution_id: str, course_id: int, person_id: int, role: str) -> flask.Response:
    row = vendor_backend().course_people.get(caller(), institution_id, course_id, person_id, role)
    return json_response(_person_view(role, detail=True)(row))


def _write_person(institution_id: str, course_id: int, person_id: int, role: str, partial: bool) -> flask.Response:
    people, principal = vendor_backend().course_people, caller()
    people.get(principal, institution_id, course_id, person_id, role)
    data = request_body()
    errors = field_errors(data, "CoursePersonWrite" if partial else "CoursePersonUpdate", PERSON_INPUT_ORDER)
    row = people.update(principal, institution_id, course_id, person_id, role, data, errors)
    return json_response(_person_view(role, detail=True)(row))


def _delete_person(institution_id: str, course_id: int, person_id: int, role: str) -> flask.Response:
    vendor_backend().course_people.delete(caller(), institution_id, course_id, person_id, role)
    return empty_response(204)


def list_course_instructors(institution_id: str, course_id: int) -> flask.Response:
    return _list_people(institution_id, course_id, "instructors", "list_course_instructors")


def create_course_instructor(institution_id: str, course_id: int) -> flask.Response:
    return _create_person(institution_id, course_id)


def get_course_instructor(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _get_person(institution_id, course_id, id, "instructors")


def update_course_instructor(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_person(institution_id, course_id, id, "instructors", partial=False)


def partial_update_course_instructor(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_person(institution_id, course_id, id, "instructors", partial=True)


def delete_course_instructor(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _delete_person(institution_id, course_id, id, "instructors")


def list_course_learners(institution_id: str, course_id: int) -> flask.Response:
    return _list_people(institution_id, course_id, "learners", "list_course_learners")


def create_course_learner(institution_id: str, course_id: int) -> flask.Response:
    return _create_person(institution_id, course_id)


def get_course_learner(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _get_person(institution_id, course_id, id, "learners")


def update_course_learner(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_person(institution_id, course_id, id, "learners", partial=False)


def partial_update_course_learner(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_person(institution_id, course_id, id, "learners", partial=True)


def delete_course_learner(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _delete_person(institution_id, course_id, id, "learners")
