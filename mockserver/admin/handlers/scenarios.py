"""/__admin/scenarios: scenario files posted at run time (scenarios.py)."""

from __future__ import annotations

import flask

from ...core.bodies import json_response
from ...core.errors import ErrorKind, MockError
from ...scenarios import MAX_SCENARIO_BYTES, Scenario, ScenarioError, parse_text, scenario_error
from ..request import json_body, realm, server

YAML_TYPES = ("application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml")


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
