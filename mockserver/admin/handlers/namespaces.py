"""/__admin/namespaces: the named realms (namespaces.py)."""

from __future__ import annotations

import flask

from ...core.bodies import json_response
from ...core.errors import ErrorKind, MockError
from ..request import server


def list_namespaces() -> flask.Response:
    namespaces = server().namespaces
    return json_response({"namespaces": namespaces.describe(), "max_namespaces": namespaces.max_count,
                          "idle_ttl_seconds": namespaces.idle_ttl})


def delete_namespace(name: str) -> flask.Response:
    if not server().namespaces.delete(name):
        raise MockError(ErrorKind.NOT_FOUND, f"no namespace {name!r}")
    return json_response({"deleted": name})
