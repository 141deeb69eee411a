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
    found = vendor_backend().assessments.stored_file(key, mount_base_url())
    if found is None:
        raise MockError(ErrorKind.ROUTE_NOT_FOUND, "nothing stored under this key")
    which, content = found
    body = json.dumps(content).encode("ascii") if which == "data" else content.encode("utf-8")
    return flask.Response(body, status=200, content_type=CONTENT_TYPES[which])
