"""/__admin handlers of the QA toolkit: fault rules, scenarios, rate limits, namespaces."""

from __future__ import annotations

import flask

from ..controls import change_ratelimit, check_rule_match, clear_ratelimits as clear_counters, ratelimit_view
from ..core.bodies import json_response
from ..core.errors import ErrorKind, MockError
from ..core.faults import FaultError
from ..scenarios import MAX_SCENARIO_BYTES, Scenario, ScenarioError, parse_text, scenario_error
from ..vendors.base import request_context
from .common import json_body, json_object, realm, server

YAML_TYPES = ("application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml")


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


def list_scenarios(namespace: str | None = None) -> flask.Response:
    return json_response({"scenarios": realm(namespace).scenarios})


def load_scenario(namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    media = (flask.request.mimetype or "").lower()
    raw = flask.request.get_data()
    if len(raw) > MAX_SCENARIO_BYTES:
        raise MockError(ErrorKind.PAYLOAD_TOO_LARGE, f"a scenario is at most {MAX_SCENARIO_BYTES} bytes")
    try:
        data = parse_text(raw, "yaml") if media in YAML_TYPES else json_body()
        scenario = Scenario.from_data(data, server(), "posted")
        result = scenario.apply(target)
    except ScenarioError as exc:
        raise scenario_error(exc) from None
    target.scenarios.append(result)
    return json_response(result)


def get_ratelimits(namespace: str | None = None) -> flask.Response:
    return json_response(ratelimit_view(realm(namespace)))


def set_ratelimit(namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    change_ratelimit(target, json_object())
    return json_response(ratelimit_view(target))


def clear_ratelimits(vendor: str | None = None, namespace: str | None = None) -> flask.Response:
    return json_response({"cleared": clear_counters(realm(namespace), vendor)})


def list_namespaces() -> flask.Response:
    namespaces = server().namespaces
    return json_response({"namespaces": namespaces.describe(), "max_namespaces": namespaces.max_count,
                          "idle_ttl_seconds": namespaces.idle_ttl})


def delete_namespace(name: str) -> flask.Response:
    if not server().namespaces.delete(name):
        raise MockError(ErrorKind.NOT_FOUND, f"no namespace {name!r}")
    return json_response({"deleted": name})
