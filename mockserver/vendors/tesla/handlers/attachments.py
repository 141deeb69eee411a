"""TeSLA CE HTTP mapping for an activity's attachments (`.../activity/{A}/attachment/{learner_uuid}/`).

VLEPermission was checked before these run. Lookups (activity, then learner) come before the body.
"""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ..wire import UUID_INVALID
from ..models.samples import ATTACHMENT_ORDER, METADATA_ORDER
from .request import nested_errors, serializer_input, vendor_backend

__all__ = ["list_activity_attachment_instruments", "create_activity_attachment"]

ATTACHMENT_TEXTS = ("data", "metadata.filename", "metadata.mimetype")


def list_activity_attachment_instruments(vle_id: int, course_id: int, activity_id: int,
                                         learner_id: str) -> flask.Response:
    """A plain array (not a page) of the learner's instruments that take documents."""
    backend = vendor_backend()
    rows = backend.attachments.instruments(vle_id, course_id, activity_id, learner_id)
    return json_response([backend.vle_instruments.view_activity_instrument(row) for row in rows])


def create_activity_attachment(vle_id: int, course_id: int, activity_id: int, learner_id: str) -> flask.Response:
    backend = vendor_backend()
    backend.attachments.lookup(vle_id, course_id, activity_id, learner_id)  # 404 or 400 before the body
    data, errors = serializer_input()
    errors = errors or nested_errors(data, "AttachmentRequest", ATTACHMENT_ORDER,
                                     children={"metadata": METADATA_ORDER}, texts=ATTACHMENT_TEXTS,
                                     overrides={"learner_id": UUID_INVALID})
    return json_response(backend.attachments.post(vle_id, course_id, activity_id, learner_id, data, errors))
