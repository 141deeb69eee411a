"""OpenAPI documents as the source of schemas: resolved once, validators compiled once.

Connexion builds a fresh jsonschema validator per request; vendors validate bodies through
these cached validators instead, and render failures in their own error style.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

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

    def paths(self) -> dict[str, dict[str, Any]]:
        return self.raw.get("paths", {})


_DOCUMENTS: Memo[SpecDocument] = Memo(32)


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
