"""`mockserver seed traffic.jsonl --out DIR`: fixture files holding the records a vendor answered
with in a recording, so a team can start the mock from its own real data (docs/drift.md).

Each 2xx answer is read with its operation's response schema from the spec; every record of an
API schema that a seed schema's `x-seed-from` names (seed_rules.py) becomes a seed record: the
fields the seed schema has, copied, converted or looked up as the extension says. A later answer
about the same record (the same key) updates it field by field; a successful DELETE of a record's
own path removes it (a record answered again after the DELETE comes back). The records are then
merged over a base seed (the packaged fixtures, or `--fixtures DIR`): a recorded record replaces
the base's record with the same key, field by field, so what the recording cannot know (a demo
password, a course's modules) stays as the base has it, and the base's credentials keep working;
a new one is added. The result is checked as `mockserver run` checks any fixture (the spec's
seed schemas, then the vendor's own seed rules) before a file is written.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from ..core.clock import Clock
from ..core.errors import MockError
from ..core.fixtures import FixtureError
from ..core.journal import REDACTED
from ..core.routes import HTTP_METHODS, RouteTable
from ..core.store import UniqueViolation
from ..vendors.base import Vendor
from .recording import RecordingError
from .seed_rules import SeedSource, check_sources, read_sources, schema_properties

_MISSING = object()
_PARAM = re.compile(r"\{([^/{}]+)\}")


class SeedError(ValueError):
    """The seed cannot be written: names the vendor and what is wrong."""


@dataclass
class _Answered:
    """One API record as an answer held it."""

    schema: str
    record: dict[str, Any]
    params: dict[str, str]
    seq: int


@dataclass
class SeedReport:
    """What one vendor's seed file got from the recording."""

    vendor: str
    added: dict[str, int] = field(default_factory=dict)  # collection -> records new to the base
    changed: dict[str, int] = field(default_factory=dict)  # collection -> base records with a field answered otherwise
    unchanged: dict[str, int] = field(default_factory=dict)  # collection -> base records answered as they are
    removed: int = 0  # records a recorded DELETE took away before they were written
    skipped: list[str] = field(default_factory=list)  # new records the answers did not hold enough of
    unreadable: list[int] = field(default_factory=list)  # exchanges whose answer did not parse as its schema

    def describe(self) -> str:
        parts = [f"{name}: {self.added.get(name, 0)} new, {self.changed.get(name, 0)} changed, "
                 f"{self.unchanged.get(name, 0)} as in the base"
                 for name in sorted(set(self.added) | set(self.changed) | set(self.unchanged))]
        text = f"{self.vendor}: " + ("; ".join(parts) if parts else "no records in the recording")
        if self.removed:
            text += f"; {self.removed} answered record(s) deleted later in the recording"
        if self.unreadable:
            shown = ", ".join(f"#{seq}" for seq in self.unreadable[:10]) + (", ..." if len(self.unreadable) > 10 else "")
            text += f"\n  not read: {len(self.unreadable)} answer(s) not in the form their spec gives ({shown})"
        for line in self.skipped:
            text += f"\n  left out: {line}"
        return text


class _Template:
    """A path template as a regex that names its parameters."""

    def __init__(self, template: str, case_sensitive: bool) -> None:
        self.names = _PARAM.findall(template)
        pattern = ""
        for index, part in enumerate(_PARAM.split(template)):
            pattern += re.escape(part) if index % 2 == 0 else f"(?P<p{index // 2}>[^/]+)"
        self.regex = re.compile(f"^{pattern}$", 0 if case_sensitive else re.IGNORECASE)

    def params(self, path: str) -> dict[str, str]:
        match = self.regex.match(path)
        return {} if match is None else {name: unquote(match.group(f"p{i}")) for i, name in enumerate(self.names)}


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
        self.routes = RouteTable(spec.paths(), case_sensitive=vendor.case_sensitive_paths)
        self.templates: dict[str, _Template] = {}
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
        template = self.templates.setdefault(route.template, _Template(route.template,
                                                                       self.vendor.case_sensitive_paths))
        params = template.params(path)
        if route.method == "DELETE":
            if template.names:
                self.deletes.append((route.template, template.names, params, exchange["seq"]))
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
        orders = {source.collection: schema_properties(self.vendor.spec.component(source.seed_schema))
                  for source in self.sources}
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
        seed_schema = self.vendor.spec.component(source.seed_schema)
        properties = _property_schemas(seed_schema)
        record: dict[str, Any] = {}
        for name in schema_properties(seed_schema):
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


def _property_schemas(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for part in schema.get("allOf", []):
        found.update(_property_schemas(part))
    found.update(schema.get("properties", {}))
    return found


def _required(schema: dict[str, Any]) -> list[str]:
    names = [name for part in schema.get("allOf", []) for name in _required(part)]
    return names + [name for name in schema.get("required", []) if name not in names]


def merge_over(base: dict[str, Any], recorded: dict[str, list[dict[str, Any]]], vendor: Vendor,
               sources: Iterable[SeedSource], report: SeedReport) -> dict[str, Any]:
    """`base` (not changed) with the recorded records in: a base record of the same seed schema
    and key is updated field by field, in the seed schema's field order; a new one is appended
    to its source's collection."""
    data = copy.deepcopy(base)
    same_schema: dict[str, list[str]] = {}
    for collection in vendor.fixture_collections:
        same_schema.setdefault(collection.schema, []).append(collection.key)
    for source in sources:
        records = recorded.get(source.collection)
        if not records:
            continue
        seed_schema = vendor.spec.component(source.seed_schema)
        order = schema_properties(seed_schema)
        required = _required(seed_schema)
        homes = [data.setdefault(name, []) if name == source.collection else data.get(name) or []
                 for name in same_schema[source.seed_schema]]
        index = {tuple(record.get(name) for name in source.key): (home, position)
                 for home in homes for position, record in enumerate(home) if isinstance(record, dict)}
        for record in records:
            key = tuple(record.get(name) for name in source.key)
            if key in index:
                home, position = index[key]
                both = {**home[position], **record}
                changed = any(both[name] != value for name, value in home[position].items())
                tally = report.changed if changed else report.unchanged
                tally[source.collection] = tally.get(source.collection, 0) + 1
                home[position] = {name: both[name] for name in dict.fromkeys([*home[position], *order, *both])
                                  if name in both}
            else:
                missing = [name for name in required if name not in record]
                if missing:
                    label = ", ".join(f"{name} {record[name]!r}" for name in source.key)
                    report.skipped.append(f"{source.collection} {label}: no answer held {', '.join(missing)}")
                    continue
                home = data[source.collection]
                # the base's own field order where it has records (its files are read by people)
                preferred = dict.fromkeys([*(home[0] if home and isinstance(home[0], dict) else ()), *order])
                index[key] = (home, len(home))
                home.append({name: record[name] for name in preferred if name in record})
                report.added[source.collection] = report.added.get(source.collection, 0) + 1
    return data


def dump_fixture(vendor: Vendor, data: dict[str, Any], recording: str, base: str) -> str:
    header = (f"# {vendor.title} seed data written by `mockserver seed` from the recording {recording},\n"
              f"# merged over {base}; validated against the spec's seed schemas and the vendor's seed rules.\n"
              f"# Run the mock on it with `mockserver run --fixtures <this folder>` (docs/drift.md).\n")
    # libyaml's emitter: about ten times quicker than PyYAML's own on a seed of thousands of records
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return header + yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)


def check_fixture(vendor: Vendor, text: str, seed: int) -> None:
    """SeedError unless `mockserver run` would start on this seed file (the temporary file's
    place is not named: it is gone when the user reads the message)."""
    with tempfile.TemporaryDirectory(prefix="mockserver-seed-") as folder:
        path = Path(folder) / vendor.fixture_file
        path.write_text(text, encoding="utf-8")
        try:
            vendor.build_backend(vendor.load_fixtures(Path(folder)), Clock(), seed)
        except FixtureError as exc:
            raise SeedError(f"{vendor.name}: the merged {vendor.fixture_file} is not valid: record {exc.record}: "
                            f"field '{exc.field}': {exc.message}") from None
        except (MockError, UniqueViolation, ValueError, LookupError, TypeError) as exc:
            raise SeedError(f"{vendor.name}: the vendor's seed rules refuse the merged records: {exc}") from None


def check_exchange(number: int, exchange: dict[str, Any]) -> None:
    """RecordingError unless the exchange has what seeding reads, of the types the format gives."""
    request, response = exchange.get("request"), exchange.get("response")
    shapes = [(isinstance(exchange.get("seq"), int), "seq"),
              (isinstance(request, dict), "request"), (isinstance(response, dict), "response")]
    if isinstance(request, dict):
        shapes += [(isinstance(request.get("method"), str), "request.method"),
                   (isinstance(request.get("path"), str), "request.path")]
    if isinstance(response, dict):
        shapes += [(isinstance(response.get("status"), int), "response.status"),
                   (isinstance(response.get("headers", {}), dict), "response.headers"),
                   (isinstance(response.get("body", ""), str), "response.body")]
    for fits, what in shapes:
        if not fits:
            raise RecordingError(f"exchange {number}: {what} is missing or not what `mockserver record` writes")


def seed_from_recording(exchanges: list[dict[str, Any]], vendors: dict[str, Vendor], base_dir: Path,
                        recording_name: str, base_name: str, seed: int = 1) -> dict[str, tuple[str, SeedReport]]:
    """vendor -> (the seed file's text, what it got), for each vendor the recording holds."""
    seeds: dict[str, VendorSeed] = {}
    for number, exchange in enumerate(exchanges, 1):
        name = exchange.get("vendor")
        if name not in vendors:
            raise RecordingError(f"exchange {number}: vendor {name!r} is not one this mock serves")
        check_exchange(number, exchange)
        if name not in seeds:
            seeds[name] = VendorSeed(vendors[name])
        seeds[name].take(exchange)
    written: dict[str, tuple[str, SeedReport]] = {}
    for name, vendor_seed in seeds.items():
        vendor = vendors[name]
        report = SeedReport(name)
        recorded = vendor_seed.records()
        report.removed = vendor_seed.removed
        report.unreadable = vendor_seed.unreadable
        try:
            base = vendor.load_fixtures(base_dir)
        except FixtureError as exc:
            raise SeedError(f"{name}: the base seed is not valid: {exc}") from None
        data = merge_over(base, recorded, vendor, vendor_seed.sources, report)
        text = dump_fixture(vendor, data, recording_name, base_name)
        check_fixture(vendor, text, seed)
        written[name] = (text, report)
    return written


def write_atomically(path: Path, text: str) -> None:
    """The file whole or not at all (a reader never sees half a seed)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # a seed file, read by the mock in a container as another user
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

