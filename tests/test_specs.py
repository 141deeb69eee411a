"""The specs' regular expressions mean the same to every reader.

A JSON Schema `pattern` is ECMA-262 (Schemathesis reads it so, through jsonschema-rs), while
Connexion and the mock read it with Python's `re`: there `\\w`, `\\d` and `\\b` take any Unicode
letter or digit, in ECMA-262 only ASCII ones (and `\\s` differs on a few spaces). A spec that
used them would tell Schemathesis a segment is invalid that the server (rightly, as Django does)
takes. A Django route's own regex goes in `x-django-pattern` instead, which only the mock reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.core.yamlcache import load_yaml

SPECS = sorted((Path(__file__).resolve().parents[1] / "specs").glob("*/openapi.yaml"))
_UNICODE_IN_PYTHON = re.compile(r"(?<!\\)(?:\\\\)*\\[wWdDbBsS]")


def _patterns(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield where, value
            else:
                yield from _patterns(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _patterns(value, f"{where}/{index}")


@pytest.mark.parametrize("spec", SPECS, ids=lambda path: path.parent.name)
def test_no_pattern_uses_a_class_whose_range_differs_between_python_and_ecma(spec: Path) -> None:
    found = list(_patterns(load_yaml(spec, yaml.CSafeLoader)))
    assert found, f"{spec.parent.name}: no pattern at all (the walk is broken)"
    differing = [(where, pattern) for where, pattern in found if _UNICODE_IN_PYTHON.search(pattern)]
    assert differing == []


def test_the_check_sees_a_shorthand_class_and_not_an_escaped_backslash() -> None:
    assert _UNICODE_IN_PYTHON.search(r"^[\w|-]+$") and _UNICODE_IN_PYTHON.search(r"^\d+$")
    assert not _UNICODE_IN_PYTHON.search(r"^[\\w]+$") and not _UNICODE_IN_PYTHON.search(r"^[^/.]+$")
