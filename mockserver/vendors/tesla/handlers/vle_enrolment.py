"""TeSLA CE's VLE API for a course's learners and instructors: enrol (POST, 201 every time), read,
update the person, unenrol (DELETE). No rules in here; `models/vle_enrolment.py` has them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask

from ....core.bodies import empty_response, json_response
from ..models.vle_enrolment import INPUT_ORDER, INSTRUCTORS, LEARNERS, VleEnrolment
from .request import field_errors, request_body, vendor_backend
from .vle import vle_page

LIST_OPERATIONS = {LEARNERS: "vle_list_course_learners", INSTRUCTORS: "vle_list_course_instructors"}


def _view(model: VleEnrolment, role: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return model.view_learner if role == LEARNERS else model.view_instructor


def _list(course_id: int, role: str) -> flask.Response:
    model = vendor_backend().vle_enrolment
    return vle_page(LIST_OPERATIONS[role], model.people(course_id, role), _view(model, role))


def _enrol(course_id: int, role: str) -> flask.Response:
    model = vendor_backend().vle_enrolment
    data = request_body()
    row = model.enrol(course_id, data, field_errors(data, "VleEnrolment", INPUT_ORDER), role)
    return json_response(_view(model, role)(row), 201)


def _get(course_id: int, person_id: int, role: str) -> flask.Response:
    model = vendor_backend().vle_enrolment
    return json_response(_view(model, role)(model.person(course_id, person_id, role)))


def _update(course_id: int, person_id: int, role: str, partial: bool) -> flask.Response:
    model = vendor_backend().vle_enrolment
    model.person(course_id, person_id, role)
    data = request_body()
    errors = field_errors(data, "VlePersonPatch" if partial else "VleEnrolment", INPUT_ORDER)
    return json_response(_view(model, role)(model.update(course_id, person_id, data, errors, role, partial)))


def _unenrol(course_id: int, person_id: int, role: str) -> flask.Response:
    vendor_backend().vle_enrolment.unenrol(course_id, person_id, role)
    return empty_response(204)


def vle_list_course_learners(vle_id: str, course_id: int) -> flask.Response:
    return _list(course_id, LEARNERS)


def vle_enrol_course_learner(vle_id: str, course_id: int) -> flask.Response:
    return _enrol(course_id, LEARNERS)


def vle_get_course_learner(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002 - the spec's name
    return _get(course_id, id, LEARNERS)


def vle_update_course_learner(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _update(course_id, id, LEARNERS, partial=False)


def vle_partial_update_course_learner(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _update(course_id, id, LEARNERS, partial=True)


def vle_unenrol_course_learner(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _unenrol(course_id, id, LEARNERS)


def vle_list_course_instructors(vle_id: str, course_id: int) -> flask.Response:
    return _list(course_id, INSTRUCTORS)


def vle_enrol_course_instructor(vle_id: str, course_id: int) -> flask.Response:
    return _enrol(course_id, INSTRUCTORS)


def vle_get_course_instructor(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _get(course_id, id, INSTRUCTORS)


def vle_update_course_instructor(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _update(course_id, id, INSTRUCTORS, partial=False)


def vle_partial_update_course_instructor(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _update(course_id, id, INSTRUCTORS, partial=True)


def vle_unenrol_course_instructor(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _unenrol(course_id, id, INSTRUCTORS)
