"""/__admin: is the mock up, and back to the start state."""

from __future__ import annotations

import flask

from ... import __version__
from ...core.bodies import json_response
from ..request import mounted, realm
from ...vendors.base import request_context


def health() -> flask.Response:
    target = realm()
    mounts = {m.name: m.prefix or "/" for m in request_context().mounts}
    return json_response({"status": "ok", "version": __version__, "vendors": list(target.vendors), "mounts": mounts,
                          "namespace": target.name})


def reset(vendor: str | None = None, namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    names = target.reset(mounted(target, vendor))
    return json_response({"reset": names, "namespace": target.name})
