"""`/api/v2/institution/`: the institutions themselves."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ..models.institutions import INSTITUTION_WRITABLE
from .request import field_errors, list_page, request_body, vendor_backend


def list_institutions() -> flask.Response:
    institutions = vendor_backend().institutions
    return list_page("list_institutions", institutions.rows(), institutions.view)


def get_institution(institution_id: str) -> flask.Response:
    institutions = vendor_backend().institutions
    return json_response(institutions.view(institutions.get(institution_id)))


def _write_institution(institution_id: str) -> flask.Response:
    institutions = vendor_backend().institutions
    institutions.get(institution_id)
    data = request_body()
    row = institutions.update(institution_id, data, field_errors(data, "InstitutionWrite", INSTITUTION_WRITABLE))
    return json_response(institutions.view(row))


def update_institution(institution_id: str) -> flask.Response:
    return _write_institution(institution_id)


def partial_update_institution(institution_id: str) -> flask.Response:
    return _write_institution(institution_id)
