"""/__admin: is the mock up, and back to the start state."""

from __future__ import annotations

from typing import Any

import flask

from ... import __version__
from ...core.bodies import json_response
from ...core.errors import ErrorKind, MockError
from ..request import mounted, realm, server
from ...vendors.base import request_context


def health() -> flask.Response:
    target = realm()
    mounts = {m.name: m.prefix or "/" for m in request_context().mounts}
    return json_response({"status": "ok", "version": __version__, "vendors": list(target.vendors), "mounts": mounts,
                          "namespace": target.name})


def reset(vendor: str | None = None, namespace: str | None = None, namespaces: str = "keep") -> flask.Response:
    target = realm(namespace)
    vendor = mounted(target, vendor)
    if namespaces == "drop" and target.name is not None:
        raise MockError(ErrorKind.BAD_REQUEST, "namespaces=drop resets the default namespace and drops the named "
                        f"ones; it cannot be sent for namespace {target.name!r}", code="namespaces_drop_named")
    names = target.reset(vendor)
    answer: dict[str, Any] = {"reset": names, "namespace": target.name}
    if namespaces == "drop":
        answer["dropped"] = server().namespaces.clear()
    return json_response(answer)
