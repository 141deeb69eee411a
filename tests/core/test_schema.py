"""The seed check's fast screen (jsonschema-rs) gives jsonschema's verdict, record by record.

A screen that said yes where Connexion's Draft4ResponseValidator says no would let a bad seed
in, so every packaged seed record and a set of damaged copies of it are judged by both."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver.app import build_vendors
from mockserver.config import Settings
from mockserver.core.fixtures import load_fixture_file
from mockserver.core.schema import as_record_draft4, compiled_record_check

VENDORS = build_vendors(Settings())
WRONG_VALUES: list[Any] = [None, 7, -1, 2.5, True, "", " ", "x\x00y", "not an email", "999.1.1.1", [], {}, ["a"]]


def damaged(record: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """Copies of `record` with one thing wrong (or, for nullable fields, right in a rare way)."""
    if not isinstance(record, dict):
        yield from WRONG_VALUES
        return
    properties = schema.get("properties", {})
    for field in list(record) + list(properties):
        without = {key: value for key, value in record.items() if key != field}
        yield without
        for value in WRONG_VALUES:
            yield {**record, field: value}
        value = record.get(field)
        if isinstance(value, dict):
            for inner in damaged(value, properties.get(field, {})):
                yield {**record, field: inner}
        if isinstance(value, list) and value:
            items = properties.get(field, {}).get("items", {})
            for inner in damaged(value[0], items if isinstance(items, dict) else {}):
                yield {**record, field: [inner, *value[1:]]}
    yield {**record, "not_in_the_spec": 1}


def cases() -> Iterator[Any]:
    for vendor in VENDORS.values():
        data = load_fixture_file(vendor.fixture_path(Settings().fixtures))
        for collection in vendor.fixture_collections:
            records = data.get(collection.key) or []
            yield pytest.param(vendor, collection.schema, records[:3], id=f"{vendor.name}-{collection.key}")


@pytest.mark.parametrize(("vendor", "schema", "records"), list(cases()))
def test_screen_agrees_with_jsonschema(vendor: Any, schema: str, records: list[Any]) -> None:
    screen = vendor.spec.record_screen(schema)
    validator = vendor.spec.record_validator(schema)
    component = vendor.spec.component(schema)
    checked = 0
    for record in records:
        assert screen(record) and validator.is_valid(record)
        for variant in damaged(copy.deepcopy(record), component):
            assert screen(variant) == validator.is_valid(variant), (schema, variant)
            checked += 1
    assert checked or not records


def test_nullable_lets_null_past_type_and_enum_only() -> None:
    schema = {"type": "object", "properties": {
        "a": {"type": "string", "nullable": True, "enum": ["x"]},
        "b": {"type": "string", "nullable": True, "minLength": 2},
        "c": {"type": "string", "x-nullable": True}, "d": {"type": "integer"}}}
    check = compiled_record_check(schema)
    assert check({"a": None, "b": None, "c": None})
    assert check({"a": "x"}) and not check({"a": "y"})
    assert not check({"d": None})
    assert as_record_draft4(schema)["properties"]["a"] == {"type": ["string", "null"], "nullable": True,
                                                           "enum": ["x", None]}


def test_a_property_named_like_a_keyword_is_left_alone() -> None:
    schema = {"type": "object", "properties": {"nullable": {"type": "integer"}, "type": {"type": "string"}}}
    assert as_record_draft4(schema) == schema
    assert not compiled_record_check(schema)({"nullable": None})


def test_write_only_refuses_any_stored_value() -> None:
    check = compiled_record_check({"type": "object", "properties": {"password": {"type": "string", "writeOnly": True}}})
    assert check({}) and not check({"password": "secret1"})


def test_formats_follow_jsonschemas_checker() -> None:
    """jsonschema checks email here, and not date-time (rfc3339-validator is not installed):
    the screen judges both the same way, never stricter or laxer."""
    from mockserver.core.schema import FORMAT_CHECKER
    email = compiled_record_check({"type": "string", "format": "email"})
    when = compiled_record_check({"type": "string", "format": "date-time"})
    assert email("a@b.example") and email("a@b") == FORMAT_CHECKER.conforms("a@b", "email")
    assert not email("no at sign")
    assert when("not a date") == FORMAT_CHECKER.conforms("not a date", "date-time")
