"""TeSLA CE HTTP mapping for VLEs, courses, instruments and a course's people. No rules in here.

As in `handlers`: permissions were checked before these run, and a write looks its record up
before it reads the body (a missing record is 404 whatever the body).
"""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import empty_response, json_response
from ...base import mount_base_url
from .. import auth
from ..models.vles import VLE_INPUT_ORDER
from .request import caller, field_errors, list_page, request_body, vendor_backend

COURSE_INPUT_ORDER = ("id",)
PERSON_INPUT_ORDER = ("uid",)

# -- VLEs ------------------------------------------------------------------------------------------


def list_vles(institution_id: str) -> flask.Response:
    vles = vendor_backend().vles
    return list_page("list_vles", vles.rows(institution_id), vles.view)


def create_vle(institution_id: str) -> flask.Response:
    vles, data = vendor_backend().vles, request_body()
    errors = field_errors(data, "VleCreate", VLE_INPUT_ORDER)
    row, credentials = vles.create(institution_id, data, errors, mount_base_url())
    view = vles.view(row, credentials)
    view["lti"] = None  # the real serializer answers from a stale instance
    return json_response(view, 201)


def get_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002 - the spec's name
    vles = vendor_backend().vles
    return json_response(vles.view(vles.get(institution_id, id)))


def _write_vle(institution_id: str, vle_id: int, schema: str) -> flask.Response:
    vles = vendor_backend().vles
    vles.get(institution_id, vle_id)
    data = request_body()
    return json_response(vles.view(vles.update(institution_id, vle_id, data, field_errors(data, schema, VLE_INPUT_ORDER))))


def update_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_vle(institution_id, id, "VleCreate")


def partial_update_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_vle(institution_id, id, "VleWrite")


def delete_vle(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().vles.delete(institution_id, id)
    return empty_response(204)


# -- courses ---------------------------------------------------------------------------------------

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


# -- instruments (public; the institution id is ignored) -------------------------------------------

def _authenticated_if_sent() -> None:
    """DRF authenticates public routes too: a token that is sent must be good (else 401)."""
    auth.principal(flask.request.headers.get("Authorization", "").encode("latin-1"), vendor_backend())


def list_instruments(institution_id: str) -> flask.Response:
    _authenticated_if_sent()
    activities = vendor_backend().activities
    return list_page("list_instruments", activities.instruments(), activities.view_instrument)


def get_instrument(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    _authenticated_if_sent()
    activities = vendor_backend().activities
    return json_response(activities.view_instrument(activities.instrument(id)))


# -- a course's instructors and learners -----------------------------------------------------------

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

