"""Connexion's query/path/header parameter validation, with each validator compiled once.

Connexion deep-copies every parameter definition and builds a new jsonschema validator for it
on every request; this subclass keeps one compiled validator per parameter definition for the
life of the app. Same checks, same messages.
"""

from __future__ import annotations

import re
from typing import Any

from connexion.utils import is_null, is_nullable
from connexion.validators.parameter import ParameterValidator, draft4_format_checker
from jsonschema import Draft4Validator, ValidationError
from starlette.datastructures import QueryParams

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


_DIGITS = re.compile(r"-?[0-9]+\Z")


def _raw_query(request: Any) -> QueryParams:
    """The query as sent, parsed once per request (Connexion's `query_params` are already coerced)."""
    raw = request.__dict__.get("_raw_query")
    if raw is None:
        raw = request.__dict__["_raw_query"] = QueryParams(request.scope["query_string"])
    return raw


class StrictIntegerParameterValidator(CachedParameterValidator):
    """Integer query parameters taken only as written digits, for APIs that refuse anything else.

    Connexion coerces with Python's `int()`, which also reads " 9" or "\\x0b9" as 9. An API whose
    server refuses a value that its cleaning would change (Moodle's external API) must not.
    """

    def validate_query_parameter(self, param: dict[str, Any], request: Any) -> str | None:
        if param.get("schema", param).get("type") == "integer":
            raw = _raw_query(request).get(param["name"])
            if raw is not None and not _DIGITS.match(raw):
                return f"{raw!r} is not of type 'integer'"
        return super().validate_query_parameter(param, request)
