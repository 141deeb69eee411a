"""/__admin/state/{vendor}: export (secrets masked unless asked for) and checked import."""

from __future__ import annotations

import flask

from ...core.bodies import json_response
from ...core.errors import ErrorKind, MockError
from ...core.state_check import StateError, check_state
from ...vendors.base import mask_secrets, masked_path
from ..request import json_object, mounted, realm, server


def export_state(vendor: str, secrets: bool = False, namespace: str | None = None) -> flask.Response:
    """Credentials (tokens, API keys, secrets, password hashes) masked unless `secrets=true`."""
    target = realm(namespace)
    state = target.backends[mounted(target, vendor)].export_state()
    if not secrets:
        state = mask_secrets(state, target.vendors[vendor].secret_fields)
    return json_response(state)


def import_state(vendor: str, namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    backend = target.backends[mounted(target, vendor)]
    data = json_object()
    masked = masked_path(data, target.vendors[vendor].secret_fields)
    if masked is not None:
        raise MockError(ErrorKind.BAD_REQUEST, f"state not imported, nothing changed: {masked} is a masked secret; "
                        f"export with ?secrets=true to import the state back", code="masked_secret")
    try:
        check_state(data, server().seed_shape(vendor), target.vendors[vendor].state_references)
    except StateError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"state not imported, nothing changed: {exc}", code="bad_state") from None
    try:
        backend.import_state(data)
    except Exception as exc:  # unknown tables, clashing unique keys: the state does not fit this vendor
        raise MockError(ErrorKind.CONFLICT, f"state not imported, nothing changed: {exc}") from None
    return json_response({"imported": vendor, "tables": {n: len(t) for n, t in backend.tables.items()}})
