"""TeSLA CE HTTP mapping for the VLE API's session actions: `assessment/` and `launcher/`.

VLEPermission was checked before these run (a module token of the VLE in the path).
"""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ...base import mount_base_url
from ..models.assessment import (ASSESSMENT_INPUT_ORDER, ASSESSMENT_TEXT, LAUNCHER_INPUT_ORDER, LAUNCHER_TEXT,
                                 view_launcher, view_session)
from .request import form_or_json_body, nested_errors, request_body, vendor_backend

__all__ = ["create_assessment", "create_launcher"]

INVALID_URL = "Enter a valid URL."


def create_assessment(vle_id: int) -> flask.Response:
    backend, data = vendor_backend(), request_body()
    errors = nested_errors(data, "AssessmentRequest", ASSESSMENT_INPUT_ORDER, texts=ASSESSMENT_TEXT,
                           overrides={"redirect_reject_url": INVALID_URL})
    row = backend.assessments.post_assessment(vle_id, data, errors)
    return json_response(view_session(row, mount_base_url()))


def create_launcher(vle_id: int) -> flask.Response:
    backend, data = vendor_backend(), form_or_json_body("LauncherRequest")
    errors = nested_errors(data, "LauncherRequest", LAUNCHER_INPUT_ORDER, texts=LAUNCHER_TEXT)
    row = backend.assessments.post_launcher(vle_id, data, errors)
    return json_response(view_launcher(row, mount_base_url()))
