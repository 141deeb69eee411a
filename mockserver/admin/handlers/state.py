"""/__admin/state/{vendor}: export (secrets masked unless asked for) and checked import."""

from __future__ import annotations

import flask

from ...core.bodies import json_response
from ...controls import import_checked_state
from ...vendors.base import mask_state
from ..request import json_object, mounted, realm, server


def export_state(vendor: str, secrets: bool = False, namespace: str | None = None) -> flask.Response:
    """Credentials (tokens, API keys, secrets, password hashes) masked unless `secrets=true`. The
    rows are serialized here, on the thread that alone writes them, so they are not copied first
    (mask_state builds a new state, never changing the rows)."""
    target = realm(namespace)
    state = target.backends[mounted(target, vendor)].export_state(copied=False)
    if not secrets:
        state = mask_state(state, target.vendors[vendor].secret_fields)
    return json_response(state)


def import_state(vendor: str, namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    name = mounted(target, vendor) or vendor
    backend = import_checked_state(target, name, json_object(), server().seed_shape(name), owned=True)
    return json_response({"imported": vendor, "tables": {n: len(t) for n, t in backend.tables.items()}})
