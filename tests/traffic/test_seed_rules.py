"""The specs' `x-seed-from` rules (mockserver/traffic/seed_rules.py): every vendor's hold together,
and a rule that names what its schemas lack is refused with the schema and the name."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.config import Settings
from mockserver.traffic.seed_rules import SeedRuleError, check_sources, read_sources
from mockserver.vendors import VENDOR_NAMES, vendor_class


@pytest.mark.parametrize("name", VENDOR_NAMES)
def test_every_vendor_seeds_its_main_collections_from_its_answers(name: str) -> None:
    settings = Settings()
    vendor = vendor_class(name)(settings, settings.specs)
    sources = read_sources(vendor.spec.raw)
    check_sources(sources, vendor.spec.component, {c.key: c.schema for c in vendor.fixture_collections})
    assert {source.collection for source in sources} >= {"users", "courses"}


SCHEMAS = {
    "SeedThing": {"type": "object", "properties": {"name": {"type": "string"}, "owner": {"type": "string"}}},
    "Thing": {"type": "object", "properties": {"Id": {"type": "string"}, "name": {"type": "string"},
                                               "OwnerId": {"type": "string"}}},
    "Person": {"type": "object", "properties": {"Id": {"type": "string"}, "UserName": {"type": "string"}}},
}


def spec_with(rule: Any) -> dict[str, Any]:
    schemas = {name: dict(schema) for name, schema in SCHEMAS.items()}
    schemas["SeedThing"]["x-seed-from"] = rule
    return {"components": {"schemas": schemas}}


def checked(rule: Any) -> None:
    spec = spec_with(rule)
    check_sources(read_sources(spec), lambda name: spec["components"]["schemas"][name], {"things": "SeedThing"})


GOOD = {"collection": "things", "schemas": ["Thing"], "key": ["name"], "id": "Id",
        "fields": {"owner": {"lookup": "OwnerId", "in": "Person", "by": "Id", "take": "UserName"}}}


def test_a_rule_that_holds_together_is_read() -> None:
    checked(GOOD)
    (source,) = read_sources(spec_with(GOOD))
    assert (source.collection, source.schemas, source.key, source.api_id) == ("things", ("Thing",), ("name",), "Id")
    assert source.fields["owner"].lookup_in == ("Person",)


@pytest.mark.parametrize("rule, message", [
    ("things", "holds collection, schemas, key, id and fields"),
    ({**GOOD, "colour": "red"}, "holds collection, schemas, key, id and fields"),
    ({**GOOD, "collection": ""}, "names its fixture collection"),
    ({**GOOD, "collection": "others"}, "collection others does not hold SeedThing records"),
    ({**GOOD, "schemas": ["Ghost"]}, "names the schema Ghost, which the spec lacks"),
    ({**GOOD, "schemas": []}, "schemas: a name or a list of names"),
    ({**GOOD, "key": ["colour"]}, "names colour, which SeedThing lacks"),
    ({**GOOD, "id": "Key"}, "id Key is not in every one of Thing"),
    ({**GOOD, "fields": {"owner": {"lookup": "OwnerId", "in": "Person"}}}, "lookup needs in, by and take"),
    ({**GOOD, "fields": {"owner": {"lookup": "OwnerId", "in": "Person", "by": "Id", "take": "Nick"}}},
     "looks up Nick, which Person lacks"),
    ({**GOOD, "fields": {"owner": {"from": "Owner"}}}, "reads Owner, which none of its schemas has"),
    ({**GOOD, "fields": {"owner": {"param": "owner_id", "from": "OwnerId"}}}, "param stands alone"),
    ({**GOOD, "fields": {"owner": {"colour": "red"}}}, "field owner: a mapping of"),
    ({**GOOD, "fields": {"owner": {"from": 3}}}, "every value is a name"),
])
def test_a_rule_that_names_what_is_not_there_is_refused(rule: Any, message: str) -> None:
    with pytest.raises(SeedRuleError, match="^SeedThing: x-seed-from") as raised:
        checked(rule)
    assert message in str(raised.value)
