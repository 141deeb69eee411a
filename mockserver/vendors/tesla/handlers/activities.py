"""`.../course/{cid}/activity/` and `.../activity/{aid}/instrument/`: a course's activities and the
instruments they use."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.activities import ACTIVITY_INSTRUMENT_INPUT_ORDER, ACTIVITY_WRITABLE
from .request import field_errors, list_page, request_body, vendor_backend


def list_activities(institution_id: str, course_id: int) -> flask.Response:
    activities = vendor_backend().activities
    return list_page("list_activities", activities.rows(institution_id, course_id), activities.view)


def create_activity(institution_id: str, course_id: int) -> flask.Response:
    data = request_body()
    errors = field_errors(data, "ActivityWrite", ACTIVITY_WRITABLE)
    return vendor_backend().activities.create(institution_id, course_id, errors)


def get_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002 - the spec's name
    activities = vendor_backend().activities
    return json_response(activities.view(activities.get(institution_id, course_id, id)))


def _write_activity(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    activities = vendor_backend().activities
    activities.get(institution_id, course_id, activity_id)
    data = request_body()
    row = activities.update(institution_id, course_id, activity_id, data,
                            field_errors(data, "ActivityWrite", ACTIVITY_WRITABLE))
    return json_response(activities.view(row))


def update_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity(institution_id, course_id, id)


def partial_update_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity(institution_id, course_id, id)


def delete_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().activities.delete(institution_id, course_id, id)
    return empty_response(204)


def list_activity_instruments(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    activities = vendor_backend().activities
    rows = activities.activity_instruments(institution_id, course_id, activity_id)
    return list_page("list_activity_instruments", rows, activities.view_activity_instrument)


def create_activity_instrument(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    activities = vendor_backend().activities
    activities.get(institution_id, course_id, activity_id)
    data = request_body()
    errors = field_errors(data, "ActivityInstrumentCreate", ACTIVITY_INSTRUMENT_INPUT_ORDER)
    row = activities.create_activity_instrument(institution_id, course_id, activity_id, data, errors)
    return json_response(activities.view_activity_instrument(row), 201)


def get_activity_instrument(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    activities = vendor_backend().activities
    return json_response(activities.view_activity_instrument(
        activities.activity_instrument(institution_id, course_id, activity_id, id)))


def _write_activity_instrument(institution_id: str, course_id: int, activity_id: int, row_id: int,
                               schema: str) -> flask.Response:
    activities = vendor_backend().activities
    activities.activity_instrument(institution_id, course_id, activity_id, row_id)
    data = request_body()
    errors = field_errors(data, schema, ACTIVITY_INSTRUMENT_INPUT_ORDER)
    row = activities.update_activity_instrument(institution_id, course_id, activity_id, row_id, data, errors)
    return json_response(activities.view_activity_instrument(row))


def update_activity_instrument(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(institution_id, course_id, activity_id, id, "ActivityInstrumentCreate")


def partial_update_activity_instrument(institution_id: str, course_id: int, activity_id: int,
                                       id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(institution_id, course_id, activity_id, id, "ActivityInstrumentWrite")


def delete_activity_instrument(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().activities.delete_activity_instrument(institution_id, course_id, activity_id, id)
    return empty_response(204)
