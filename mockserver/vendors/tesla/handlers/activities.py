"""TeSLA CE HTTP mapping for a course's activities, their instruments, reports, requests and
audits. No rules in here; permissions were checked before these run.
"""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ...base import mount_base_url
from .. import drf, listing
from ..models.activities import ACTIVITY_INSTRUMENT_INPUT_ORDER, ACTIVITY_WRITABLE
from .request import caller, field_errors, list_page, request_body, request_url, vendor_backend
from ..models.reports import NO_LIST_RULES, InstrumentsFilter, view_audit, view_request

# -- activities ------------------------------------------------------------------------------------


def list_activities(institution_id: str, course_id: int) -> flask.Response:
    backend = vendor_backend()
    return list_page("list_activities", backend.list_activities(institution_id, course_id), backend.view_activity)


def create_activity(institution_id: str, course_id: int) -> flask.Response:
    data = request_body()
    return vendor_backend().create_activity(institution_id, course_id, field_errors(data, "ActivityWrite", ACTIVITY_WRITABLE))


def get_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002 - the spec's name
    backend = vendor_backend()
    return json_response(backend.view_activity(backend.activity(institution_id, course_id, id)))


def _write_activity(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    backend = vendor_backend()
    backend.activity(institution_id, course_id, activity_id)
    data = request_body()
    row = backend.update_activity(institution_id, course_id, activity_id, data,
                                  field_errors(data, "ActivityWrite", ACTIVITY_WRITABLE))
    return json_response(backend.view_activity(row))


def update_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity(institution_id, course_id, id)


def partial_update_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity(institution_id, course_id, id)


def delete_activity(institution_id: str, course_id: int, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().delete_activity(institution_id, course_id, id)
    return empty_response(204)


# -- activity instruments --------------------------------------------------------------------------

def list_activity_instruments(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    backend = vendor_backend()
    rows = backend.list_activity_instruments(institution_id, course_id, activity_id)
    return list_page("list_activity_instruments", rows, backend.view_activity_instrument)


def create_activity_instrument(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    backend = vendor_backend()
    backend.activity(institution_id, course_id, activity_id)
    data = request_body()
    errors = field_errors(data, "ActivityInstrumentCreate", ACTIVITY_INSTRUMENT_INPUT_ORDER)
    row = backend.create_activity_instrument(institution_id, course_id, activity_id, data, errors)
    return json_response(backend.view_activity_instrument(row), 201)


def get_activity_instrument(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    backend = vendor_backend()
    return json_response(backend.view_activity_instrument(
        backend.activity_instrument(institution_id, course_id, activity_id, id)))


def _write_activity_instrument(institution_id: str, course_id: int, activity_id: int, row_id: int,
                               schema: str) -> flask.Response:
    backend = vendor_backend()
    backend.activity_instrument(institution_id, course_id, activity_id, row_id)
    data = request_body()
    errors = field_errors(data, schema, ACTIVITY_INSTRUMENT_INPUT_ORDER)
    row = backend.update_activity_instrument(institution_id, course_id, activity_id, row_id, data, errors)
    return json_response(backend.view_activity_instrument(row))


def update_activity_instrument(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(institution_id, course_id, activity_id, id, "ActivityInstrumentCreate")


def partial_update_activity_instrument(institution_id: str, course_id: int, activity_id: int,
                                       id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(institution_id, course_id, activity_id, id, "ActivityInstrumentWrite")


def delete_activity_instrument(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().delete_activity_instrument(institution_id, course_id, activity_id, id)
    return empty_response(204)


# -- reports, requests, audits (read-only) ---------------------------------------------------------

def list_reports(institution_id: str, course_id: int, activity_id: int) -> flask.Response:
    backend = vendor_backend()
    rows = backend.list_reports(caller(), institution_id, course_id, activity_id)
    return list_page("list_reports", rows, backend.view_report)


def get_report(institution_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    backend = vendor_backend()
    row = backend.report(caller(), institution_id, course_id, activity_id, id)
    return json_response(backend.view_report_detail(row, mount_base_url()))


def list_report_requests(institution_id: str, course_id: int, activity_id: int, report_id: int) -> flask.Response:
    """The `instruments` filter knows the instruments that exist now (django-filter's queryset)."""
    backend = vendor_backend()
    rules = listing.ListRules(filters=(InstrumentsFilter("instruments", backend.known_instrument_ids),),
                              search_fields=(), ordering_fields=NO_LIST_RULES.ordering_fields, default_ordering=())
    args = flask.request.args
    errors = rules.errors(args)
    if errors:
        raise drf.invalid(errors)
    rows = backend.list_requests(institution_id, course_id, activity_id, report_id)
    selected = [row for row in rows if all(test(row) for test in
                                           (f.predicate(args) for f in rules.filters) if test is not None)]
    base = mount_base_url()
    return json_response(listing.page(selected, args, request_url(), lambda row: view_request(row, base)))


def get_report_request(institution_id: str, course_id: int, activity_id: int, report_id: int,
                       id: int) -> flask.Response:  # noqa: A002
    row = vendor_backend().request(institution_id, course_id, activity_id, report_id, id)
    return json_response(view_request(row, mount_base_url()))


def list_report_audits(institution_id: str, course_id: int, activity_id: int, report_id: int) -> flask.Response:
    rows = vendor_backend().list_audits(caller(), institution_id, course_id, activity_id, report_id)
    base = mount_base_url()
    return list_page("list_report_audits", rows, lambda row: view_audit(row, base))


def get_report_audit(institution_id: str, course_id: int, activity_id: int, report_id: int,
                     instrument_id: int) -> flask.Response:
    row = vendor_backend().audit(caller(), institution_id, course_id, activity_id, report_id, instrument_id)
    return json_response(view_audit(row, mount_base_url()))
