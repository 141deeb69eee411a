"""/__admin/metrics: the server's Prometheus metrics (observe/metrics.py), in text format."""

from __future__ import annotations

import flask

from ...observe.metrics import CONTENT_TYPE
from ..request import server


def metrics() -> flask.Response:
    return flask.Response(server().metrics.exposition(), status=200, headers={"Content-Type": CONTENT_TYPE})
