"""`/api/v2/institution/{iid}/ic/` and `.../ic/{id}/document/`: informed consents and their
documents. Public on the real server (no permission classes), but DRF still authenticates: a
malformed or bad `Authorization` header is 401 (`public_route`)."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.consent import CONSENT_INPUT_ORDER, DOCUMENT_INPUT_ORDER
from .request import field_errors, list_page, public_route, request_body, vendor_backend


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
