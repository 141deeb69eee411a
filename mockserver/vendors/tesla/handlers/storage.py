"""TeSLA CE's stored files as the learner's browser fetches them: `<mount>/media/<key>`.

The real server hands out (pre-signed) object-storage URLs; the mock serves the two files of an
assessment session under its own mount: `data.json` and `connector.js`. Any other key, stored
sample or not, is Django's HTML 404 (sample contents are not kept).
"""

from __future__ import annotations

import json

import flask

from ....core.errors import ErrorKind, MockError
from ...base import mount_base_url
from .request import vendor_backend

__all__ = ["get_stored_file"]

CONTENT_TYPES = {"data": "application/json", "connector": "application/javascript"}


def get_stored_file(key: str) -> flask.Response:
    backend = vendor_backend()
    with backend.lock:
        found = backend.assessments.session_for_file(key)
        if found is None:
            raise MockError(ErrorKind.ROUTE_NOT_FOUND, "nothing stored under this key")
        session, which = found
        base_url = mount_base_url()
        if which == "data":
            body = json.dumps(backend.assessments.session_data(session, base_url)).encode("ascii")
        else:
            body = backend.assessments.connector(session, base_url).encode("utf-8")
    return flask.Response(body, status=200, content_type=CONTENT_TYPES[which])
