"""How a vendor's API records become its seed records: the `x-seed-from` extension of the seed
schemas in each spec, read once (`mockserver seed`, seeding.py).

    SeedUser:
      x-seed-from:
        collection: users        # the fixture collection a new record joins
        schemas: [User]          # the API schemas whose records the vendor answers with
        key: [UserName]          # what makes two records the same one
        id: Id                   # the API record's id: a DELETE of its resource removes it
        fields:                  # seed fields the API names or writes differently
          ManagerUserName: {lookup: ManagerId, in: User, by: Id, take: UserName}
          CreatedDate: {convert: timestamp}
          institution: {param: institution_id}

Every other field of the seed schema is copied from the API field of the same name. A field rule:
`from` (the API field, by default the seed field's own name), `take` (the API field holds an
object, as DRF nests a related record; the seed holds that object's field `take`, its id, say),
`lookup`/`in`/`by`/`take` (the API field holds the id of another recorded record; the seed holds
that record's `take`), `convert` (a value conversion the vendor names,
`Vendor.seed_conversions`), or `param` (the request path's parameter of that name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXTENSION = "x-seed-from"
_RULE_KEYS = frozenset({"from", "convert", "lookup", "in", "by", "take", "param"})


class SeedRuleError(ValueError):
    """An `x-seed-from` the spec gets wrong: names the schema and what is wrong."""


@dataclass(frozen=True)
class FieldRule:
    """Where one seed field's value comes from."""

    source: str | None = None  # the API field read (None with `param`)
    convert: str | None = None
    lookup_in: tuple[str, ...] = ()  # with `by` and `take`: the API schemas whose record is looked up
    lookup_by: str | None = None
    lookup_take: str | None = None
    param: str | None = None


@dataclass(frozen=True)
class SeedSource:
    """One seed schema and where its records come from."""

    seed_schema: str
    collection: str
    schemas: tuple[str, ...]
    key: tuple[str, ...]
    fields: dict[str, FieldRule] = field(default_factory=dict)
    api_id: str | None = None


def _rule(schema: str, name: str, raw: Any) -> FieldRule:
    if not isinstance(raw, dict) or not raw or set(raw) - _RULE_KEYS:
        raise SeedRuleError(f"{schema}: {EXTENSION} field {name}: a mapping of {', '.join(sorted(_RULE_KEYS))}")
    lookup_in = raw.get("in")
    if isinstance(lookup_in, list) and lookup_in and all(isinstance(item, str) and item for item in lookup_in):
        raw = {**raw, "in": tuple(lookup_in)}
    elif isinstance(lookup_in, str) and lookup_in:
        raw = {**raw, "in": (lookup_in,)}
    if not all(isinstance(value, (str, tuple)) and value for value in raw.values()):
        raise SeedRuleError(f"{schema}: {EXTENSION} field {name}: every value is a name (`in`: one or a list)")
    lookup = [raw.get(part) for part in ("in", "by", "take")]
    if ("lookup" in raw and not all(lookup)) or ("lookup" not in raw and (raw.get("in") or raw.get("by"))):
        raise SeedRuleError(f"{schema}: {EXTENSION} field {name}: lookup needs in, by and take")
    if "param" in raw and len(raw) > 1:
        raise SeedRuleError(f"{schema}: {EXTENSION} field {name}: param stands alone")
    if "lookup" in raw and "from" in raw:
        raise SeedRuleError(f"{schema}: {EXTENSION} field {name}: lookup names its own API field")
    source = None if "param" in raw else raw.get("lookup", raw.get("from", name))
    return FieldRule(source=source, convert=raw.get("convert"), lookup_in=raw.get("in", ()),
                     lookup_by=raw.get("by"), lookup_take=raw.get("take"), param=raw.get("param"))


def _names(schema: str, what: str, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(item, str) and item for item in raw):
        raise SeedRuleError(f"{schema}: {EXTENSION} {what}: a name or a list of names")
    return tuple(raw)


def read_sources(raw_spec: dict[str, Any]) -> list[SeedSource]:
    """Every seed schema's `x-seed-from`, in the spec's order; SeedRuleError where one is wrong
    (an unknown API schema or a key, id or field the schemas do not have)."""
    schemas = raw_spec.get("components", {}).get("schemas", {})
    sources = []
    for name, schema in schemas.items():
        raw = schema.get(EXTENSION) if isinstance(schema, dict) else None
        if raw is None:
            continue
        if not isinstance(raw, dict) or set(raw) - {"collection", "schemas", "key", "id", "fields"}:
            raise SeedRuleError(f"{name}: {EXTENSION} holds collection, schemas, key, id and fields")
        collection = raw.get("collection")
        if not isinstance(collection, str) or not collection:
            raise SeedRuleError(f"{name}: {EXTENSION} names its fixture collection")
        fields = raw.get("fields") or {}
        if not isinstance(fields, dict):
            raise SeedRuleError(f"{name}: {EXTENSION} fields: a mapping of seed field to rule")
        api_id = raw.get("id")
        if api_id is not None and (not isinstance(api_id, str) or not api_id):
            raise SeedRuleError(f"{name}: {EXTENSION} id: the API record's id field")
        source = SeedSource(seed_schema=name, collection=collection, schemas=_names(name, "schemas", raw.get("schemas")),
                            key=_names(name, "key", raw.get("key")),
                            fields={field_name: _rule(name, field_name, rule) for field_name, rule in fields.items()},
                            api_id=api_id)
        for api_schema in (*source.schemas, *(name for r in source.fields.values() for name in r.lookup_in)):
            if api_schema not in schemas:
                raise SeedRuleError(f"{name}: {EXTENSION} names the schema {api_schema}, which the spec lacks")
        sources.append(source)
    return sources


def schema_properties(schema: dict[str, Any]) -> list[str]:
    """A resolved schema's property names in order, those of its `allOf` parts first."""
    names: list[str] = []
    for part in schema.get("allOf", []):
        names += [name for name in schema_properties(part) if name not in names]
    names += [name for name in schema.get("properties", {}) if name not in names]
    return names


def property_schemas(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A resolved schema's properties by name, those of its `allOf` parts included."""
    found: dict[str, dict[str, Any]] = {}
    for part in schema.get("allOf", []):
        found.update(property_schemas(part))
    found.update(schema.get("properties", {}))
    return found


def required_fields(schema: dict[str, Any]) -> list[str]:
    """A resolved schema's required names, those of its `allOf` parts first."""
    names = [name for part in schema.get("allOf", []) for name in required_fields(part)]
    return names + [name for name in schema.get("required", []) if name not in names]


def check_sources(sources: list[SeedSource], component: Any, collections: dict[str, str]) -> None:
    """SeedRuleError unless every name a source uses is in the schema it names: `component` gives
    a resolved schema by name; `collections` maps the vendor's fixture collections to schemas."""
    for source in sources:
        where = f"{source.seed_schema}: {EXTENSION}"
        if collections.get(source.collection) != source.seed_schema:
            raise SeedRuleError(f"{where} collection {source.collection} does not hold {source.seed_schema} records")
        seed_fields = set(schema_properties(component(source.seed_schema)))
        api_fields = [set(schema_properties(component(name))) for name in source.schemas]
        for name in (*source.key, *source.fields):
            if name not in seed_fields:
                raise SeedRuleError(f"{where} names {name}, which {source.seed_schema} lacks")
        if source.api_id and not all(source.api_id in fields for fields in api_fields):
            raise SeedRuleError(f"{where} id {source.api_id} is not in every one of {', '.join(source.schemas)}")
        for name, rule in source.fields.items():
            if rule.source and not any(rule.source in fields for fields in api_fields):
                raise SeedRuleError(f"{where} field {name} reads {rule.source}, which none of its schemas has")
            for looked_in in rule.lookup_in:
                looked_up = set(schema_properties(component(looked_in)))
                for part in (rule.lookup_by, rule.lookup_take):
                    if part not in looked_up:
                        raise SeedRuleError(f"{where} field {name} looks up {part}, which {looked_in} lacks")
