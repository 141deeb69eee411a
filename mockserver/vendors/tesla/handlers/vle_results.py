"""What a VLE reads back: an activity's learners, a learner's requests, the activity's reports."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ...base import mount_base_url
from .request import vendor_backend
from .vle import own_vle, vle_page


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
