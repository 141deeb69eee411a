"""The site's version information: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from .context import backend


def version_info() -> flask.Response:
    return json_response(backend().site.version_info())
