"""Connexion's query/path/header parameter validation, with each validator compiled once.

Connexion deep-copies every parameter definition and builds a new jsonschema validator for it
on every request; this subclass keeps one compiled validator per parameter definition for the
life of the app. Same checks, same messages.
"""

from __future__ import annotations

from typing import Any

from connexion.utils import is_null, is_nullable
from connexion.validators.parameter import ParameterValidator, draft4_format_checker
from jsonschema import Draft4Validator, ValidationError

# id(parameter) -> (parameter, validator). The entry holds the parameter itself, so its id cannot
# be reused by another object while the entry exists.
_COMPILED: dict[int, tuple[dict[str, Any], Draft4Validator]] = {}


def _validator(param: dict[str, Any]) -> Draft4Validator:
    entry = _COMPILED.get(id(param))
    if entry is None or entry[0] is not param:
        entry = (param, Draft4Validator(param.get("schema", param), format_checker=draft4_format_checker))
        _COMPILED[id(param)] = entry
    return entry[1]


class CachedParameterValidator(ParameterValidator):
    @staticmethod
    def validate_parameter(parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None) -> str | None:
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            try:
                _validator(param).validate(value)
            except ValidationError as exception:
                return str(exception)
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None
