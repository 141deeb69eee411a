"""A write's JSON body, read and checked in the order Titus's errors must come (see `write_body`)."""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import BodyError, parse_json, schema_errors
from ....core.errors import ErrorKind, MockError
from ....core.schema import error_field
from ...base import current_vendor
from ..models import Caller
from ..models.bulk import MAX_ITEMS
from .context import caller

# A schema failure on these fields has its own Moodle error code.
FIELD_CODES = {
    ("username", "pattern"): ("invalidusername", "The username must be lowercase letters, digits, _ . @ or -"),
    ("email", "format"): ("invalidemail", "Invalid email address"),
    ("auth", "enum"): ("invalidauth", "Unknown authentication method"),
}


def parsed() -> Any:
    try:
        return parse_json(flask.request.get_data())
    except BodyError as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"Invalid JSON in request body: {exc}", code="invalidjson") from None


def check(data: Any, schema: str) -> None:
    """Validate against a component schema; Moodle-style 400 naming every bad field."""
    spec = current_vendor().spec
    errors = schema_errors(spec.request_validator(schema), data)
    if not errors:
        return
    fields = [{"field": error_field(e) or "(body)", "message": e.message} for e in errors]
    first = errors[0]
    path = list(first.absolute_path)
    extra: dict[str, Any] = {
        "exception": "invalid_parameter_exception",
        "debuginfo": f"{fields[0]['field']}: {fields[0]['message']}",
        "errors": fields,
    }
    if first.validator == "maxItems" and len(path) == 1:
        raise MockError(ErrorKind.BAD_REQUEST, f"At most {MAX_ITEMS} items per request", code="toomanyitems",
                        extra=extra)
    if len(path) >= 2 and isinstance(path[1], int):  # inside a bulk item: say which one
        extra["index"] = path[1]
        path = path[2:]
    leaf = str(path[-1]) if path else (error_field(first).split(".")[-1] if error_field(first) else "")
    code, message = FIELD_CODES.get((leaf, first.validator), ("invalidparameter", "Invalid parameter value detected"))
    raise MockError(ErrorKind.BAD_REQUEST, message, code=code, extra=extra)


USER_KEYS = ("userid", "username", "useridnumber")
COURSE_KEYS = ("courseid", "courseidnumber", "courseshortname")
ROLE_KEYS = ("roleid", "roleshortname")


def one_of_each(item: Any, key_groups: tuple[tuple[str, ...], ...], index: int | None = None,
                optional: tuple[tuple[str, ...], ...] = ()) -> None:
    """The codes for a missing or doubled reference (docs/titus.md, "Endpoints": alternate keys;
    the schema says it too).

    Each of `key_groups` must be named exactly once; each of `optional` at most once.
    """
    if not isinstance(item, dict):
        return
    extra: dict[str, Any] = {"exception": "invalid_parameter_exception"}
    if index is not None:
        extra["index"] = index
    for keys in (*key_groups, *optional):
        named = [key for key in keys if key in item]
        if not named and keys not in optional:
            raise MockError(ErrorKind.BAD_REQUEST, f"Give one of {', '.join(keys)}", code="missingreference", extra=extra)
        if len(named) > 1:
            raise MockError(ErrorKind.BAD_REQUEST, f"Give only one of {', '.join(named)}", code="ambiguousreference",
                            extra=extra)


def each_one_of_each(data: Any, key: str, key_groups: tuple[tuple[str, ...], ...],
                     optional: tuple[tuple[str, ...], ...] = ()) -> None:
    """`one_of_each` over every item of a bulk envelope `{key: [item, ...]}`."""
    if isinstance(data, dict) and isinstance(data.get(key), list):
        for index, item in enumerate(data[key]):
            one_of_each(item, key_groups, index, optional)


def kept_aside(data: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Take fields the model answers with its own codes (read-only, alias) out before the schema check."""
    return {name: data.pop(name) for name in names if isinstance(data, dict) and name in data}


def write_body(schema: str, references: tuple[tuple[str, ...], ...] = (), *,
               optional: tuple[tuple[str, ...], ...] = (), bulk: str | None = None,
               readonly: tuple[str, ...] = ()) -> tuple[Caller, Any]:
    """The opening every Titus write shares, in the order its errors must come.

    The capability (403) before the body is read; then the JSON, the reference keys (`references`
    each named once, `optional` at most once; per item of the `bulk` list when given) and the
    schema. `readonly` fields skip the schema and go back in for the model's own `readonlyfield`.
    """
    who = caller()
    data = parsed()
    if bulk is None:
        one_of_each(data, references, optional=optional)
    else:
        each_one_of_each(data, bulk, references, optional)
    aside = kept_aside(data, readonly)
    check(data, schema)
    return who, {**data, **aside} if readonly else data
