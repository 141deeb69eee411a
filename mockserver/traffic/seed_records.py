"""The seed records a vendor's answers in a recording hold (`mockserver seed`, seeding.py).

Each 2xx answer is read with its operation's response schema from the spec; every record of an
API schema that a seed schema's `x-seed-from` names (seed_rules.py) becomes a seed record: the
fields the seed schema has, copied, converted or looked up as the extension says. A later answer
about the same record (the same key) updates it field by field; a successful DELETE of a record's
own path removes it (a record answered again after the DELETE comes back).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..core.journal import REDACTED
from ..core.routes import HTTP_METHODS, RouteTable
from ..vendors.base import Vendor
from .seed_rules import SeedSource, check_sources, property_schemas, read_sources, schema_properties

_MISSING = object()


@dataclass
class _Answered:
    """One API record as an answer held it."""

    schema: str
    record: dict[str, Any]
    params: dict[str, str]
    seq: int


class VendorSeed:
    """The seed records one vendor's answers in a recording hold."""

    def __init__(self, vendor: Vendor) -> None:
        self.vendor = vendor
        spec = vendor.spec
        self.sources = read_sources(spec.raw)
        self.collections = {c.key: c.schema for c in vendor.fixture_collections}
        check_sources(self.sources, spec.component, self.collections)
        self.by_schema: dict[str, list[SeedSource]] = {}
        for source in self.sources:
            for name in source.schemas:
                self.by_schema.setdefault(name, []).append(source)
        # each seed schema's fields in order and their schemas: read once, used for every record
        self.seed_fields = {source.seed_schema: (schema_properties(spec.component(source.seed_schema)),
                                                 property_schemas(spec.component(source.seed_schema)))
                            for source in self.sources}
        self.routes = RouteTable(spec.paths(), case_sensitive=vendor.case_sensitive_paths)
        self.conversions = vendor.seed_conversions()
        self.answered: list[_Answered] = []
        # (template, its parameter names, their values, seq) of each successful DELETE
        self.deletes: list[tuple[str, list[str], dict[str, str], int]] = []
        self.removed = 0
        self.unreadable: list[int] = []  # seq of 2xx answers whose body the response schema cannot read

    # -- reading answers -------------------------------------------------------------------------
    def take(self, exchange: dict[str, Any]) -> None:
        """Note the API records one exchange's answer holds (nothing unless it is a 2xx)."""
        request, response = exchange["request"], exchange["response"]  # their shape: check_exchange
        status = response["status"]
        if not 200 <= status < 300:
            return
        path = unquote(request["path"].split("?", 1)[0])
        route = self.routes.match(request["method"], path)
        if route is None:
            return
        params = self.routes.path_params(route.template, path)
        if route.method == "DELETE":
            if params:
                self.deletes.append((route.template, list(params), params, exchange["seq"]))
            return
        body = response.get("body", "")
        if response.get("body_encoding") != "text" or not body.strip():
            return
        operation = self.vendor.spec.paths()[route.template][route.method.lower()]
        content_type = str(response.get("headers", {}).get("content-type") or "")
        schema = self._response_schema(operation, status, content_type)
        if schema is None:
            return
        try:
            value = self.vendor.read_answer(schema, content_type, body)
        except ValueError:
            self.unreadable.append(exchange["seq"])  # not what the spec says the answer is
            return
        found: list[tuple[str, Any]] = []
        self._walk(value, schema, found, set(), 0)
        for name, record in found:
            self.answered.append(_Answered(name, record, params, exchange["seq"]))

    def _response_schema(self, operation: dict[str, Any], status: int, content_type: str) -> dict[str, Any] | None:
        responses = operation.get("responses", {})
        answer = self._deref(responses.get(str(status)) or responses.get(status) or {})
        content = answer.get("content") or {}
        media = content_type.split(";", 1)[0].strip().lower()
        chosen = content.get(media)
        if chosen is None:
            json_like = [value for name, value in content.items() if "json" in name]
            chosen = json_like[0] if "json" in media and json_like else None
        return chosen.get("schema") if isinstance(chosen, dict) else None

    def _deref(self, node: Any) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            where: Any = self.vendor.spec.raw
            for part in node["$ref"].lstrip("#/").split("/"):
                where = where.get(part, {}) if isinstance(where, dict) else {}
            node = where
        return node

    def _walk(self, value: Any, schema: Any, found: list[tuple[str, Any]], seen: set[tuple[str, int]],
              depth: int) -> None:
        """Every value the schema says is a record of a source's API schema, outermost first."""
        if depth > 40 or not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name in self.by_schema and isinstance(value, dict) and (name, id(value)) not in seen:
                seen.add((name, id(value)))
                found.append((name, value))
            schema = self._deref(schema)
        for keyword in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(keyword, ()):
                self._walk(value, part, found, seen, depth + 1)
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            for item in value:
                self._walk(item, schema["items"], found, seen, depth + 1)
        elif isinstance(value, dict):
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                sub = properties.get(key, extra if isinstance(extra, dict) else None)
                if sub is not None:
                    self._walk(item, sub, found, seen, depth + 1)

    # -- the seed records ------------------------------------------------------------------------
    def records(self) -> dict[str, list[dict[str, Any]]]:
        """collection -> seed records, in the order first answered, each at its latest."""
        answered = self._after_deletes()
        lookups: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        merged: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
        for item in answered:
            for source in self.by_schema[item.schema]:
                record = self._seed_record(source, item, answered, lookups)
                key = tuple(record.get(name) for name in source.key)
                if not all(isinstance(part, (str, int, float)) for part in key):
                    continue  # no key, or not a plain value: not a record anyone can name
                slot = (source.collection, key)
                merged[slot] = {**merged.get(slot, {}), **record}
        orders = {source.collection: self.seed_fields[source.seed_schema][0] for source in self.sources}
        collections: dict[str, list[dict[str, Any]]] = {}
        for (collection, _), record in merged.items():
            ordered = {name: record[name] for name in orders[collection] if name in record}
            collections.setdefault(collection, []).append(ordered)
        return collections

    def _after_deletes(self) -> list[_Answered]:
        """The answered records less those a later successful DELETE of their own path removed."""
        kept = self.answered
        for template, names, params, seq in self.deletes:
            # A path whose answers hold no record (a DELETE-only membership path) names records by
            # its parameters alone.
            schemas = self._schemas_of(template)
            by_id = bool(schemas)
            schemas = schemas or set(self.by_schema)
            before = len(kept)
            kept = [item for item in kept if not (item.seq < seq and item.schema in schemas
                                                  and self._named_by(item, names, params, by_id))]
            self.removed += before - len(kept)
        return kept

    def _named_by(self, item: _Answered, names: list[str], params: dict[str, str], by_id: bool) -> bool:
        """Whether a DELETE path names this record: each path parameter that is a field of the
        record holds its value (`/course_enrolment/{courseid}/{userid}`); when none is, the last
        parameter is the record's API id (`/users/{userid}` and `Id`)."""
        named = [name for name in names if name in item.record]
        if named:
            return all(str(item.record[name]) == params[name] for name in named)
        return by_id and self._api_id(item) == params[names[-1]]

    def _schemas_of(self, template: str) -> set[str]:
        """The source API schemas any answer of a path's operations holds."""
        names: set[str] = set()
        for method, operation in self.vendor.spec.paths().get(template, {}).items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            for answer in (operation.get("responses") or {}).values():
                for media in (self._deref(answer).get("content") or {}).values():
                    names |= self._refs_in(media.get("schema"), set())
        return names

    def _refs_in(self, schema: Any, visited: set[str]) -> set[str]:
        found: set[str] = set()
        if isinstance(schema, dict):
            ref = schema.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name in visited:
                    return found
                visited.add(name)
                if name in self.by_schema:
                    found.add(name)
                return found | self._refs_in(self._deref(schema), visited)
            for value in schema.values():
                found |= self._refs_in(value, visited)
        elif isinstance(schema, list):
            for value in schema:
                found |= self._refs_in(value, visited)
        return found

    def _api_id(self, item: _Answered) -> str | None:
        ids = {source.api_id for source in self.by_schema[item.schema] if source.api_id}
        for name in ids:
            if item.record.get(name) is not None:
                return str(item.record[name])
        return None

    def _seed_record(self, source: SeedSource, item: _Answered, answered: list[_Answered],
                     lookups: dict[tuple[str, str], dict[str, dict[str, Any]]]) -> dict[str, Any]:
        order, properties = self.seed_fields[source.seed_schema]
        record: dict[str, Any] = {}
        for name in order:
            rule = source.fields.get(name)
            if rule is not None and rule.param:
                value: Any = item.params.get(rule.param, _MISSING)
                if isinstance(value, str) and properties.get(name, {}).get("type") == "integer":
                    value = int(value) if value.isdigit() else _MISSING
            else:
                value = item.record.get(rule.source if rule and rule.source else name, _MISSING)
            if rule is not None and rule.lookup_take and not rule.lookup_in and value is not _MISSING:
                value = value.get(rule.lookup_take, _MISSING) if isinstance(value, dict) else _MISSING
            elif rule is not None and rule.lookup_in and value is not _MISSING:
                index = lookups.get((name, source.seed_schema))
                if index is None:
                    index = {}
                    for other in answered:  # the latest answer about a record wins, field by field
                        if other.schema in rule.lookup_in and other.record.get(rule.lookup_by) is not None:
                            slot = str(other.record[rule.lookup_by])
                            index[slot] = {**index.get(slot, {}), **other.record}
                    lookups[(name, source.seed_schema)] = index
                target = index.get(str(value)) if value is not None else None
                value = _MISSING if target is None else target.get(rule.lookup_take or "", _MISSING)
            if value is _MISSING or value is None or value == REDACTED:
                continue
            if rule is not None and rule.convert:
                value = self.conversions[rule.convert](value)
                if value is None:
                    continue
            record[name] = value
        return record
