"""TeSLA CE HTTP mapping for the learner API (`/lapi/v1/...`).

No permission class upstream: the caller (perhaps anonymous) reaches the view, which checks the
body first and the caller second (`models/samples.py`). A body that is not JSON is DRF's parse
error; any other problem is answered in the learner API's own shape.
"""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ..wire import UUID_INVALID
from ..models.samples import ALERT_ORDER, METADATA_ORDER, SAMPLE_ORDER, STATUS_ORDER
from .request import caller, nested_errors, serializer_input, vendor_backend

__all__ = ["create_enrolment_sample", "create_verification_sample", "create_alert", "get_sample_status",
           "get_learner_profile"]

ENROLMENT_ORDER = ("learner_id", "data", "instruments", "metadata")
SAMPLE_TEXTS = ("data", "metadata.filename", "metadata.mimetype")
UUID_FIELD = {"learner_id": UUID_INVALID}


def _errors(schema: str, order: tuple[str, ...], **options: object) -> tuple[dict, dict]:
    data, errors = serializer_input()
    return data, errors or nested_errors(data, schema, order, overrides=UUID_FIELD, **options)


# `institution_id` is digits (Django's `<int:>`; the route check refused anything else), read as an int.

def create_enrolment_sample(institution_id: str, learner_id: str) -> flask.Response:
    backend, principal = vendor_backend(), caller()
    data, errors = _errors("LapiEnrolmentSample", ENROLMENT_ORDER, children={"metadata": METADATA_ORDER},
                           texts=SAMPLE_TEXTS)
    return json_response(backend.samples.enrolment(principal, int(institution_id), learner_id, data, errors))


def create_verification_sample(institution_id: str, learner_id: str) -> flask.Response:
    backend, principal = vendor_backend(), caller()
    data, errors = _errors("LapiVerificationSample", SAMPLE_ORDER, children={"metadata": METADATA_ORDER},
                           texts=SAMPLE_TEXTS)
    return json_response(backend.samples.verification(principal, int(institution_id), learner_id, data, errors))


def create_alert(institution_id: str, learner_id: str) -> flask.Response:
    backend, principal = vendor_backend(), caller()
    data, errors = _errors("LapiAlert", ALERT_ORDER, texts=("level",))
    return json_response(backend.samples.alert(principal, int(institution_id), learner_id, data, errors))


def get_sample_status(institution_id: str, learner_id: str) -> flask.Response:
    backend, principal = vendor_backend(), caller()
    data, errors = _errors("LapiStatusRequest", STATUS_ORDER, texts=("samples.*",))
    return json_response(backend.samples.status(principal, int(institution_id), learner_id, data, errors))


def get_learner_profile(institution_id: str, learner_id: str) -> flask.Response:
    backend, principal = vendor_backend(), caller()
    return json_response(backend.samples.profile(principal, int(institution_id), learner_id))
