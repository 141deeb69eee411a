"""`/api/v2/institution/{iid}/send/` and `.../learner/{lid}/send/`: SEND categories and their
assignment to learners."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..listing import last
from ..models.special_needs import ASSIGNMENT_INPUT_ORDER, CATEGORY_INPUT_ORDER
from .request import field_errors, list_page, request_body, vendor_backend


def list_send_categories(institution_id: str) -> flask.Response:
    sends, args = vendor_backend().special_needs, flask.request.args
    rows = sends.categories(institution_id, last(args, "institution"), last(args, "search"))
    return list_page("list_send_categories", rows, sends.view_category)


def create_send_category(institution_id: str) -> flask.Response:
    sends, data = vendor_backend().special_needs, request_body()
    row = sends.create_category(institution_id, data, field_errors(data, "SendCategoryCreate", CATEGORY_INPUT_ORDER))
    return json_response(sends.view_category(row), 201)


def get_send_category(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    sends = vendor_backend().special_needs
    return json_response(sends.view_category(sends.category(institution_id, id)))


def _write_send_category(institution_id: str, category_id: str, schema: str, partial: bool) -> flask.Response:
    sends = vendor_backend().special_needs
    sends.category(institution_id, category_id)
    data = request_body()
    errors = field_errors(data, schema, CATEGORY_INPUT_ORDER)
    row = sends.update_category(institution_id, category_id, data, errors, partial)
    return json_response(sends.view_category(row))


def update_send_category(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_send_category(institution_id, id, "SendCategoryCreate", partial=False)


def partial_update_send_category(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_send_category(institution_id, id, "SendCategoryWrite", partial=True)


def delete_send_category(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().special_needs.delete_category(institution_id, id)
    return empty_response(204)


def list_learner_sends(institution_id: str, learner_id: str) -> flask.Response:
    sends = vendor_backend().special_needs
    return list_page("list_learner_sends", sends.assignments(institution_id, learner_id), sends.view_assignment)


def create_learner_send(institution_id: str, learner_id: str) -> flask.Response:
    sends, data = vendor_backend().special_needs, request_body()
    errors = field_errors(data, "LearnerSendCreate", ASSIGNMENT_INPUT_ORDER)
    return json_response(sends.view_assignment(sends.create_assignment(institution_id, learner_id, data, errors)), 201)


def get_learner_send(institution_id: str, learner_id: str, id: str) -> flask.Response:  # noqa: A002
    sends = vendor_backend().special_needs
    return json_response(sends.view_assignment(sends.assignment(institution_id, learner_id, id)))


def _write_learner_send(institution_id: str, learner_id: str, send_id: str, schema: str,
                        partial: bool) -> flask.Response:
    sends = vendor_backend().special_needs
    sends.assignment(institution_id, learner_id, send_id)
    data = request_body()
    errors = field_errors(data, schema, ASSIGNMENT_INPUT_ORDER)
    row = sends.update_assignment(institution_id, learner_id, send_id, data, errors, partial)
    return json_response(sends.view_assignment(row))


def update_learner_send(institution_id: str, learner_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_learner_send(institution_id, learner_id, id, "LearnerSendCreate", partial=False)


def partial_update_learner_send(institution_id: str, learner_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_learner_send(institution_id, learner_id, id, "LearnerSendWrite", partial=True)


def delete_learner_send(institution_id: str, learner_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().special_needs.delete_assignment(institution_id, learner_id, id)
    return empty_response(204)
