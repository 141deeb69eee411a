"""`mockserver seed traffic.jsonl --out DIR`: fixture files holding the records a vendor answered
with in a recording, so a team can start the mock from its own real data (docs/drift.md).

The records (seed_records.py) are merged over a base seed (the packaged fixtures, or
`--fixtures DIR`): a recorded record replaces the base's record with the same key, field by
field, so what the recording cannot know (a demo password, a course's modules) stays as the base
has it, and the base's credentials keep working; a new one is added. The result is checked as
`mockserver run` checks any fixture (the spec's seed schemas, then the vendor's own seed rules)
before a file is written.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.clock import Clock
from ..core.errors import MockError
from ..core.fixtures import FixtureError
from ..core.store import UniqueViolation
from ..vendors.base import Vendor
from .recording import RecordingError
from .seed_records import VendorSeed
from .seed_rules import SeedSource, required_fields, schema_properties


class SeedError(ValueError):
    """The seed cannot be written: names the vendor and what is wrong."""


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
        required = required_fields(seed_schema)
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
