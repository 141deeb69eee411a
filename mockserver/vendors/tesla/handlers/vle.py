"""TeSLA CE's VLE API (`/api/v2/vle/{vle_id}/...`): the VLE, instruments, courses, activities,
activity instruments, reports, requests and activity learners. No rules in here.

`VLEPermission` was checked before these run (a module token naming the path's VLE), so the VLE
id is the caller's. As in the other handlers, a write looks its record up before it reads the body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask

from ....core.bodies import empty_response, json_response
from ....core.errors import ErrorKind, MockError
from ...base import mount_base_url
from .. import drf, listing
from ..models.lookup import upstream_crash
from ..models.vle_courses import ACTIVITY_INPUT_ORDER, COURSE_INPUT_ORDER, numbers_as_text
from ..models.vle_instruments import INPUT_ORDER as ACTIVITY_INSTRUMENT_INPUT_ORDER
from ..models.vle_lists import search_crashes, vle_list_rules
from ..permissions import NO_PERMISSION
from .request import caller, field_errors, request_body, request_url, vendor_backend


def own_vle() -> int:
    """The path's VLE: the permission check made sure it is the caller's."""
    vle_id = caller().vle_id
    assert vle_id is not None  # VLEPermission passed
    return vle_id


def vle_page(operation: str, rows: list[dict[str, Any]], view: Callable[[dict[str, Any]], Any]) -> flask.Response:
    """A DRF page of `rows` after the list's filters (bound to the records that exist now)."""
    backend = vendor_backend()
    args = flask.request.args
    if backend.quirks and search_crashes(operation, args):
        raise upstream_crash(f"?search= on {operation} (a search field the model cannot search)")
    rules = vle_list_rules(operation, backend.state.tables)
    errors = rules.errors(args)
    if errors:
        raise drf.invalid(errors)
    return json_response(listing.page(rules.apply(rows, args), args, request_url(), view))


def body_errors(schema: str, order: tuple[str, ...], text_numbers: bool = False) -> tuple[dict[str, Any], drf.FieldErrors]:
    data = request_body()
    if text_numbers:
        data = numbers_as_text(data)
    return data, field_errors(data, schema, order)


# -- the VLE -----------------------------------------------------------------------------------------

def vle_list_vles() -> flask.Response:
    """Never reached: no module's VLE permission covers the list (403 before any handler)."""
    raise MockError(ErrorKind.FORBIDDEN, NO_PERMISSION)


def vle_get_vle(vle_id: str) -> flask.Response:
    return json_response(vendor_backend().vle_courses.view_vle(own_vle()))


# -- instruments -----------------------------------------------------------------------------------

def vle_list_instruments(vle_id: str) -> flask.Response:
    model = vendor_backend().vle_instruments
    return vle_page("vle_list_instruments", model.instruments(), model.view_instrument)


def vle_get_instrument(vle_id: str, id: int) -> flask.Response:  # noqa: A002 - the spec's name
    model = vendor_backend().vle_instruments
    return json_response(model.view_instrument(model.instrument(id)))


# -- courses ---------------------------------------------------------------------------------------

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


# -- activities ------------------------------------------------------------------------------------

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


# -- an activity's instruments (filtered by the activity alone) ------------------------------------

def vle_list_activity_instruments(vle_id: str, course_id: int, activity_id: int) -> flask.Response:
    model = vendor_backend().vle_instruments
    return vle_page("vle_list_activity_instruments", model.activity_instruments(activity_id),
                    model.view_activity_instrument)


def vle_create_activity_instrument(vle_id: str, course_id: int, activity_id: int) -> flask.Response:
    model = vendor_backend().vle_instruments
    data, errors = body_errors("VleActivityInstrumentInput", ACTIVITY_INSTRUMENT_INPUT_ORDER)
    return json_response(model.view_activity_instrument(model.create_activity_instrument(activity_id, data, errors)),
                         201)


def vle_get_activity_instrument(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    model = vendor_backend().vle_instruments
    return json_response(model.view_activity_instrument(model.activity_instrument(activity_id, id)))


def _write_activity_instrument(activity_id: int, row_id: int, schema: str) -> flask.Response:
    model = vendor_backend().vle_instruments
    model.activity_instrument(activity_id, row_id)
    data, errors = body_errors(schema, ACTIVITY_INSTRUMENT_INPUT_ORDER)
    return json_response(model.view_activity_instrument(model.update_activity_instrument(activity_id, row_id, data,
                                                                                         errors)))


def vle_update_activity_instrument(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(activity_id, id, "VleActivityInstrumentInput")


def vle_partial_update_activity_instrument(vle_id: str, course_id: int, activity_id: int,
                                           id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(activity_id, id, "VleActivityInstrumentPatchInput")


def vle_delete_activity_instrument(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().vle_instruments.delete_activity_instrument(activity_id, id)
    return empty_response(204)


# -- results: activity learners, a learner's requests, reports -------------------------------------

def vle_list_activity_learners(vle_id: str, course_id: int, activity_id: int) -> flask.Response:
    model = vendor_backend().vle_results
    return vle_page("vle_list_activity_learners", model.activity_learners(), model.view_activity_learner)


def vle_get_activity_learner(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    model = vendor_backend().vle_results
    return json_response(model.view_activity_learner(model.activity_learner(id)))


def vle_list_learner_requests(vle_id: str, course_id: int, activity_id: int, learner_id: str) -> flask.Response:
    backend, base = vendor_backend(), mount_base_url()
    return vle_page("vle_list_learner_requests", backend.vle_results.requests(activity_id, learner_id),
                    lambda row: backend.reports.view_request(row, base))


def vle_get_learner_request(vle_id: str, course_id: int, activity_id: int, learner_id: str,
                            id: int) -> flask.Response:  # noqa: A002
    backend = vendor_backend()
    row = backend.vle_results.request(activity_id, learner_id, id)
    return json_response(backend.reports.view_request(row, mount_base_url()))


def vle_list_reports(vle_id: str, course_id: int, activity_id: int) -> flask.Response:
    model = vendor_backend().vle_results
    return vle_page("vle_list_reports", model.reports(own_vle(), course_id, activity_id), model.view_report)


def vle_get_report(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    model = vendor_backend().vle_results
    return json_response(model.view_report_detail(model.report(own_vle(), course_id, activity_id, id)))
