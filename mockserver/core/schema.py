"""OpenAPI documents as the source of schemas: resolved once, validators compiled once.

Connexion builds a fresh jsonschema validator per request; vendors validate bodies through
these cached validators instead, and render failures in their own error style.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, resolve_refs
from jsonschema import Draft4Validator, ValidationError

from .memo import Memo, digest
from .yamlcache import load_yaml

FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class SpecDocument:
    """One OpenAPI file: the raw document for Connexion, resolved schemas for validation.

    Read-only once loaded: `open` gives every server of the process the same document for the
    same file bytes (resolving a spec's references is most of what building a vendor costs)."""

    @classmethod
    def open(cls, path: Path) -> "SpecDocument":
        """The document of `path`, shared with every earlier caller that read the same bytes."""
        try:
            content = digest(path)
        except OSError:  # unreadable: loading says so in its own words
            return cls(path)
        return _DOCUMENTS.get_or_build((str(path), content), lambda: cls(path, content))

    def __init__(self, path: Path, content_digest: str | None = None) -> None:
        self.path = path
        self.raw: dict[str, Any] = load_yaml(path, SAFE_LOADER)
        # SHA-256 of the file's bytes: what the memos and check markers built from this spec key on.
        self.digest = content_digest or digest(path)
        self._request_validators: dict[str, Draft4Validator] = {}
        self._record_validators: dict[str, Draft4Validator] = {}
        self._record_screens: dict[str, Callable[[Any], bool]] = {}

    @cached_property
    def resolved(self) -> dict[str, Any]:
        return resolve_refs(copy.deepcopy(self.raw))

    def component(self, name: str) -> dict[str, Any]:
        return self.resolved["components"]["schemas"][name]

    def request_validator(self, name: str) -> Draft4Validator:
        """Validator for a component schema as a request body (writeOnly allowed)."""
        validator = self._request_validators.get(name)
        if validator is None:
            validator = Draft4RequestValidator(self.component(name), format_checker=FORMAT_CHECKER)
            self._request_validators[name] = validator
        return validator

    def record_validator(self, name: str) -> Draft4Validator:
        """Validator for a component schema as a stored record (fixtures, imported state)."""
        validator = self._record_validators.get(name)
        if validator is None:
            validator = Draft4ResponseValidator(self.component(name), format_checker=FORMAT_CHECKER)
            self._record_validators[name] = validator
        return validator

    def record_screen(self, name: str) -> Callable[[Any], bool]:
        """A fast yes for a stored record: the record validator's schema compiled by jsonschema-rs
        (about 100 times quicker a record). Its yes is final; its no is only a reason to ask
        `record_validator`, which names the error, or overrules it (fixtures.py)."""
        screen = self._record_screens.get(name)
        if screen is None:
            screen = compiled_record_check(self.component(name))
            self._record_screens[name] = screen
        return screen

    def paths(self) -> dict[str, dict[str, Any]]:
        return self.raw.get("paths", {})


_DOCUMENTS: Memo[SpecDocument] = Memo(32)


# Keywords whose value is a schema, a list of schemas, or a map of names to schemas (draft 4).
_ONE_SCHEMA = ("additionalProperties", "items", "not", "additionalItems")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")


def as_record_draft4(schema: Any, *, stored: bool = True) -> Any:
    """An OpenAPI 3.0 schema rewritten in plain draft 4 with the verdicts of Connexion's
    Draft4ResponseValidator: `nullable` (or `x-nullable: true`) lets null past `type` and `enum`
    only, as Connexion's wrapper does; `writeOnly` (or `x-writeOnly`) refuses any value, as its
    validator does for a stored record. Not `stored`: Draft4RequestValidator's verdicts, which
    are the same but for `writeOnly`, which a request may send."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    if stored and ("writeOnly" in out or "x-writeOnly" in out):
        return {"not": {}}
    if out.get("nullable") or out.get("x-nullable") is True:
        if "type" in out:
            kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*kinds, "null"]
        if isinstance(out.get("enum"), list):
            out["enum"] = [*out["enum"], None]
    for key in _ONE_SCHEMA:
        if isinstance(out.get(key), dict):
            out[key] = as_record_draft4(out[key], stored=stored)
    for key in _SCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [as_record_draft4(item, stored=stored) for item in out[key]]
    for key in _SCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {name: as_record_draft4(item, stored=stored) for name, item in out[key].items()}
    return out


def _formats(schema: Any, found: set[str]) -> set[str]:
    if isinstance(schema, dict):
        if isinstance(schema.get("format"), str):
            found.add(schema["format"])
        for value in schema.values():
            _formats(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _formats(value, found)
    return found


def _python_format(name: str) -> Callable[[str], bool]:
    if name in FORMAT_CHECKER.checkers:
        return lambda value: FORMAT_CHECKER.conforms(value, name)
    return lambda value: True  # jsonschema does not check this format here: neither does the screen


def compiled_record_check(schema: dict[str, Any], *, stored: bool = True) -> Callable[[Any], bool]:
    """`is_valid` of a jsonschema-rs validator that agrees with Draft4ResponseValidator (or, not
    `stored`, Draft4RequestValidator): the same schema (as_record_draft4) and every format it
    names checked by jsonschema's own checker. A value jsonschema-rs cannot take (a string with a
    lone surrogate, which Python's JSON parser can make) is a no: the caller asks jsonschema."""
    formats = {name: _python_format(name) for name in _formats(schema, set())}
    validator = jsonschema_rs.Draft4Validator(as_record_draft4(schema, stored=stored), formats=formats,
                                              validate_formats=True)

    def is_valid(instance: Any) -> bool:
        try:
            return validator.is_valid(instance)
        except (ValueError, UnicodeError):
            return False

    return is_valid


def iter_errors(validator: Draft4Validator, instance: Any) -> Iterator[ValidationError]:
    """Errors in a stable order: by the path of the offending value, then by message."""
    return iter(sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message)))


def error_field(error: ValidationError) -> str:
    """Dotted path of the field an error is about (`required` errors name the missing field)."""
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        parts.append(missing)
    elif error.validator == "additionalProperties" and "'" in error.message:
        parts.append(error.message.split("'")[1])
    return ".".join(p for p in parts if p != "")
