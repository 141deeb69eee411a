"""TeSLA CE HTTP mapping for a course's activities, their instruments, reports, requests and
audits. No rules in here; permissions were checked before these run.
"""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ...base import mount_base_url
from .. import drf, listing
from ..models.activities import ACTIVITY_INSTRUMENT_INPUT_ORDER, ACTIVITY_WRITABLE
from ..models.reports import view_audit
from .request import caller, field_errors, list_page, request_body, request_url, vendor_backend

# -- activities ------------------------------------------------------------------------------------


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


# -- activity instruments --------------------------------------------------------------------------

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


# -- reports, requests, audits (read-only) ---------------------------------------------------------

def list_reports(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    reports = vendor_backend().reports
    return list_page("list_reports", reports.rows(caller(), institution_id, course_id, activity_id), reports.view)


def get_report(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    reports = vendor_backend().reports
    row = reports.get(caller(), institution_id, course_id, activity_id, id)
    return json_response(reports.view_detail(row, mount_base_url()))


def list_report_requests(institution_id: str, course_id: int, activity_id: int, report_id: int) -> flask.Response:
    """Filtered by `instruments`, kept in the list's own order (no ordering backend)."""
    reports, args = vendor_backend().reports, flask.request.args
    instruments = reports.request_filter()
    errors = instruments.error(args)
    if errors:
        raise drf.invalid({instruments.name: errors})
    test = instruments.predicate(args)
    rows = reports.requests(institution_id, course_id, activity_id, report_id)
    selected = [row for row in rows if test is None or test(row)]
    base = mount_base_url()
    return json_response(listing.page(selected, args, request_url(), lambda row: reports.view_request(row, base)))


def get_report_request(institution_id: str, course_id: int, activity_id: int, report_id: int,
                       id: int) -> flask.Response:  # noqa: A002
    reports = vendor_backend().reports
    row = reports.request(institution_id, course_id, activity_id, report_id, id)
    return json_response(reports.view_request(row, mount_base_url()))


def list_report_audits(institution_id: str, course_id: int, activity_id: int, report_id: int) -> flask.Response:
    rows = vendor_backend().reports.audits(caller(), institution_id, course_id, activity_id, report_id)
    base = mount_base_url()
    return list_page("list_report_audits", rows, lambda row: view_audit(row, base))


def get_report_audit(institution_id: str, course_id: int, activity_id: int, report_id: int,
                     instrument_id: int) -> flask.Response:
    row = vendor_backend().reports.audit(caller(), institution_id, course_id, activity_id, report_id, instrument_id)
    return json_response(view_audit(row, mount_base_url()))
