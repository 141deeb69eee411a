"""`.../activity/{aid}/report/`, `.../report/{rid}/request/` and `.../report/{rid}/audit/`: an
activity's reports, their requests and audits (read-only)."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ...base import mount_base_url
from .. import listing, wire
from ..models.reports import view_audit
from .request import caller, list_page, request_url, vendor_backend


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
        raise wire.invalid({instruments.name: errors})
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
