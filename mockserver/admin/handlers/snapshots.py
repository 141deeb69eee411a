"""/__admin/snapshots: named snapshots of a namespace's data (snapshots.py)."""

from __future__ import annotations

import flask

from ...core.bodies import json_response
from ...core.errors import ErrorKind, MockError
from ...namespaces import check_name
from ..request import json_object, realm


def list_snapshots(namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    return json_response({"namespace": target.name, "snapshots": target.snapshots.describe()})


def take_snapshot(namespace: str | None = None) -> flask.Response:
    data = json_object()
    name = data.get("name")
    if not isinstance(name, str) or set(data) - {"name"}:
        raise MockError(ErrorKind.BAD_REQUEST, 'the body must be {"name": "<snapshot name>"}', code="bad_snapshot")
    try:
        check_name(name)
    except MockError:
        raise MockError(ErrorKind.BAD_REQUEST, f"not a snapshot name: {name!r} (letters, digits, '.', '_', '-'; "
                        "1 to 64 characters, starting with a letter or digit)", code="bad_snapshot") from None
    target = realm(namespace)
    return json_response({"namespace": target.name, **target.take_snapshot(name).describe()}, status=201)


def restore_snapshot(name: str, namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    snapshot = target.restore_snapshot(name)
    return json_response({"namespace": target.name, "restored": snapshot.name, "vendors": sorted(snapshot.backends)})


def delete_snapshot(name: str, namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    target.snapshots.delete(name)
    return json_response({"namespace": target.name, "deleted": name})
