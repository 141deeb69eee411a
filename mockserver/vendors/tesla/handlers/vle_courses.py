"""The VLE API's courses and activities (`/api/v2/vle/{vle_id}/course/`, `.../activity/`)."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.vle_courses import ACTIVITY_INPUT_ORDER, COURSE_INPUT_ORDER
from .request import vendor_backend
from .vle import body_errors, own_vle, vle_page


def vle_list_courses(vle_id: str) -> flask.Response:
    model = vendor_backend().vle_courses
    return vle_page("vle_list_courses", model.courses(), model.view_course)


def vle_create_course(vle_id: str) -> flask.Response:
    model = vendor_backend().vle_courses
    data, errors = body_errors("VleCourseInput", COURSE_INPUT_ORDER, text_numbers=True)
    return json_response(model.view_course(model.create_course(own_vle(), data, errors)), 201)


def vle_get_course(vle_id: str, id: int) -> flask.Response:  # noqa: A002
    model = vendor_backend().vle_courses
    return json_response(model.view_course(model.course(id)))


def _write_course(course_id: int, schema: str) -> flask.Response:
    model = vendor_backend().vle_courses
    model.course(course_id)
    data, errors = body_errors(schema, COURSE_INPUT_ORDER, text_numbers=True)
    return json_response(model.view_course(model.update_course(own_vle(), course_id, data, errors)))


def vle_update_course(vle_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_course(id, "VleCourseInput")


def vle_partial_update_course(vle_id: str, id: int) -> flask.Response:  # noqa: A002
    return _write_course(id, "VleCoursePatchInput")


def vle_delete_course(vle_id: str, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().vle_courses.delete_course(id)
    return empty_response(204)


def vle_list_activities(vle_id: str, course_id: int) -> flask.Response:
    model = vendor_backend().vle_courses
    return vle_page("vle_list_activities", model.activities(own_vle(), course_id), model.view_activity)


def vle_create_activity(vle_id: str, course_id: int) -> flask.Response:
    model = vendor_backend().vle_courses
    data, errors = body_errors("VleActivityInput", ACTIVITY_INPUT_ORDER, text_numbers=True)
    return json_response(model.view_activity(model.create_activity(own_vle(), course_id, data, errors)), 201)


def vle_get_activity(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    model = vendor_backend().vle_courses
    return json_response(model.view_activity(model.activity(own_vle(), course_id, id)))


def _write_activity(course_id: int, activity_id: int, schema: str) -> flask.Response:
    model = vendor_backend().vle_courses
    model.activity(own_vle(), course_id, activity_id)
    data, errors = body_errors(schema, ACTIVITY_INPUT_ORDER, text_numbers=True)
    return json_response(model.view_activity(model.update_activity(own_vle(), course_id, activity_id, data, errors)))


def vle_update_activity(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity(course_id, id, "VleActivityInput")


def vle_partial_update_activity(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity(course_id, id, "VleActivityPatchInput")


def vle_delete_activity(vle_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().vle_courses.delete_activity(own_vle(), course_id, id)
    return empty_response(204)
