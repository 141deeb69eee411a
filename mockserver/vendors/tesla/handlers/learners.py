"""`/api/v2/institution/{iid}/learner/`: learners, their informed consent and their enrolment."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from .. import wire
from ..listing import last
from ..models.learners import ENROLMENT_RULES, LEARNER_INPUT_ORDER
from .request import field_errors, list_page, request_body, vendor_backend


def list_learners(institution_id: str) -> flask.Response:
    learners = vendor_backend().learners
    return list_page("list_learners", learners.rows(institution_id), learners.view)


def create_learner(institution_id: str) -> flask.Response:
    learners, data = vendor_backend().learners, request_body()
    row = learners.create(institution_id, data, field_errors(data, "LearnerCreate", LEARNER_INPUT_ORDER))
    return json_response(learners.view(row), 201)


def get_learner(institution_id: str, id: str) -> flask.Response:  # noqa: A002 - the spec's name
    learners = vendor_backend().learners
    return json_response(learners.view(learners.get(institution_id, id), detail=True))


def _write_learner(institution_id: str, learner_id: str, schema: str, partial: bool) -> flask.Response:
    learners = vendor_backend().learners
    learners.get(institution_id, learner_id)
    data = request_body()
    errors = field_errors(data, schema, LEARNER_INPUT_ORDER)
    return json_response(learners.view(learners.update(institution_id, learner_id, data, errors, partial)))


def update_learner(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_learner(institution_id, id, "LearnerUpdate", partial=False)


def partial_update_learner(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_learner(institution_id, id, "LearnerPatch", partial=True)


def delete_learner(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().learners.delete(institution_id, id)
    return empty_response(204)


def accept_learner_consent(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    learners = vendor_backend().learners
    learners.get(institution_id, id)
    data = request_body()
    row = learners.accept_consent(institution_id, id, data, field_errors(data, "ConsentAcceptance", ("version",)))
    return json_response(learners.view(row, detail=True))


def reject_learner_consent(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    learners = vendor_backend().learners
    return json_response(learners.view(learners.reject_consent(institution_id, id), detail=True))


def get_learner_enrolment(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    errors = ENROLMENT_RULES.errors(flask.request.args)
    if errors:
        raise wire.invalid(errors)
    activity = last(flask.request.args, "activity_id")
    return json_response(vendor_backend().enrolments.of_learner(institution_id, id, int(activity) if activity else None))


def delete_learner_enrolment(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return json_response(vendor_backend().enrolments.delete_unused(institution_id, id))
