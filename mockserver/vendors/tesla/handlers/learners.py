"""TeSLA CE HTTP mapping for learners, their informed consent, SEND data and enrolments.

operationId -> model call -> DRF representation; no rules in here. Lookups come before body
parsing, as in DRF's update views. The IC routes are public on the real server: they run no
permission check, but a malformed or bad `Authorization` header is still refused (401), since
DRF authenticates every request.
"""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ....core.errors import ErrorKind, MockError
from ...base import request_scope
from .. import auth, drf
from ..listing import last
from ..models.consent import CONSENT_INPUT_ORDER, DOCUMENT_INPUT_ORDER
from ..models.learners import ENROLMENT_RULES, LEARNER_INPUT_ORDER
from ..models.special_needs import ASSIGNMENT_INPUT_ORDER, CATEGORY_INPUT_ORDER
from .request import field_errors, list_page, request_body, vendor_backend

__all__ = [
    "list_learners", "create_learner", "get_learner", "update_learner", "partial_update_learner", "delete_learner",
    "accept_learner_consent", "reject_learner_consent", "get_learner_enrolment", "delete_learner_enrolment",
    "list_consents", "create_consent", "get_current_consent", "get_consent", "update_consent",
    "partial_update_consent", "delete_consent",
    "list_consent_documents", "create_consent_document", "get_consent_document", "update_consent_document",
    "partial_update_consent_document", "delete_consent_document",
    "list_send_categories", "create_send_category", "get_send_category", "update_send_category",
    "partial_update_send_category", "delete_send_category",
    "list_learner_sends", "create_learner_send", "get_learner_send", "update_learner_send",
    "partial_update_learner_send", "delete_learner_send",
]


def public_route() -> None:
    """DRF's authentication on a route without permission classes: a bad header is still 401."""
    scope = request_scope()
    if auth.route(scope, scope["mockserver.mount"].relative(scope["path"])) is None:
        raise MockError(ErrorKind.ROUTE_NOT_FOUND, "no route")  # an id with a dot
    auth.principal(auth.header(scope, b"authorization"), vendor_backend())


# -- learners ---------------------------------------------------------------------------------------

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
        raise drf.invalid(errors)
    activity = last(flask.request.args, "activity_id")
    return json_response(vendor_backend().enrolments.of_learner(institution_id, id, int(activity) if activity else None))


def delete_learner_enrolment(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return json_response(vendor_backend().enrolments.delete_unused(institution_id, id))


# -- informed consent (public routes) ---------------------------------------------------------------

def list_consents(institution_id: str) -> flask.Response:
    public_route()
    consents = vendor_backend().consents
    return list_page("list_consents", consents.rows(institution_id), consents.view)


def create_consent(institution_id: str) -> flask.Response:
    public_route()
    consents, data = vendor_backend().consents, request_body()
    row = consents.create(institution_id, data, field_errors(data, "ConsentCreate", CONSENT_INPUT_ORDER))
    return json_response(consents.view(row), 201)


def get_current_consent(institution_id: str) -> flask.Response:
    public_route()
    consents = vendor_backend().consents
    return json_response(consents.view(consents.current(institution_id)))


def get_consent(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    public_route()
    consents = vendor_backend().consents
    return json_response(consents.view(consents.get(institution_id, id)))


def _write_consent(institution_id: str, consent_id: str, schema: str) -> flask.Response:
    public_route()
    consents = vendor_backend().consents
    consents.get(institution_id, consent_id)
    data = request_body()
    row = consents.update(institution_id, consent_id, data, field_errors(data, schema, CONSENT_INPUT_ORDER))
    return json_response(consents.view(row))


def update_consent(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_consent(institution_id, id, "ConsentCreate")


def partial_update_consent(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_consent(institution_id, id, "ConsentWrite")


def delete_consent(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    public_route()
    vendor_backend().consents.delete(institution_id, id)
    return empty_response(204)


def list_consent_documents(institution_id: str, consent_id: str) -> flask.Response:
    public_route()
    consents = vendor_backend().consents
    return list_page("list_consent_documents", consents.documents(institution_id, consent_id), consents.view_document)


def create_consent_document(institution_id: str, consent_id: str) -> flask.Response:
    public_route()
    consents, data = vendor_backend().consents, request_body()
    errors = field_errors(data, "ConsentDocumentCreate", DOCUMENT_INPUT_ORDER)
    return json_response(consents.view_document(consents.create_document(institution_id, consent_id, data, errors)), 201)


def get_consent_document(institution_id: str, consent_id: str, language: str) -> flask.Response:
    public_route()
    consents = vendor_backend().consents
    return json_response(consents.view_document(consents.document(institution_id, consent_id, language)))


def _write_document(institution_id: str, consent_id: str, language: str, schema: str) -> flask.Response:
    public_route()
    consents = vendor_backend().consents
    consents.document(institution_id, consent_id, language)
    data = request_body()
    errors = field_errors(data, schema, DOCUMENT_INPUT_ORDER)
    row = consents.update_document(institution_id, consent_id, language, data, errors)
    return json_response(consents.view_document(row))


def update_consent_document(institution_id: str, consent_id: str, language: str) -> flask.Response:
    return _write_document(institution_id, consent_id, language, "ConsentDocumentCreate")


def partial_update_consent_document(institution_id: str, consent_id: str, language: str) -> flask.Response:
    return _write_document(institution_id, consent_id, language, "ConsentDocumentWrite")


def delete_consent_document(institution_id: str, consent_id: str, language: str) -> flask.Response:
    public_route()
    vendor_backend().consents.delete_document(institution_id, consent_id, language)
    return empty_response(204)


# -- SEND categories and learner assignments --------------------------------------------------------

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
