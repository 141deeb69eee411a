"""/__admin/faults: fault rules (core/faults.py decides, middleware/faults.py applies)."""

from __future__ import annotations

import flask

from ...controls import check_rule_match
from ...core.bodies import json_response
from ...core.errors import ErrorKind, MockError
from ...core.faults import FaultError
from ...vendors.base import request_context
from ..request import json_object, realm


def _fault_or_404(namespace: str | None, fault_id: str):
    rule = realm(namespace).faults.get(fault_id)
    if rule is None:
        raise MockError(ErrorKind.NOT_FOUND, f"no fault rule {fault_id!r}")
    return rule


def list_faults(namespace: str | None = None) -> flask.Response:
    return json_response({"faults": [rule.to_dict() for rule in realm(namespace).faults.rules()]})


def add_fault(namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    data = json_object()
    check_rule_match(data, target.vendors)
    try:
        rule = target.faults.add(data)
    except FaultError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, str(exc), code="bad_fault") from None
    location = f"{request_context().base_path}/__admin/faults/{rule.id}"
    if namespace is not None:
        location += f"?namespace={namespace}"
    return json_response(rule.to_dict(), 201, headers={"Location": location})


def get_fault(fault_id: str, namespace: str | None = None) -> flask.Response:
    return json_response(_fault_or_404(namespace, fault_id).to_dict())


def delete_fault(fault_id: str, namespace: str | None = None) -> flask.Response:
    _fault_or_404(namespace, fault_id)
    return json_response({"removed": int(realm(namespace).faults.remove(fault_id))})


def clear_faults(vendor: str | None = None, namespace: str | None = None) -> flask.Response:
    return json_response({"removed": realm(namespace).faults.clear(vendor)})
