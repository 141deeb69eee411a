"""Seed data: YAML files whose records are checked against the spec before the server starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .progress import StartupProgress
from .nesting import MAX_DEPTH, nests_deeper_than
from .schema import SAFE_LOADER, SpecDocument, error_field, iter_errors
from .yamlcache import load_yaml


class FixtureError(Exception):
    """A fixture that does not match its spec; names the file, the record and the field."""

    def __init__(self, file: Path, record: str, field: str, message: str) -> None:
        super().__init__(f"{file}: record {record}: field '{field}': {message}")
        self.file = file
        self.record = record
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Collection:
    """A list in a fixture file and the component schema each of its records must satisfy."""

    key: str
    schema: str
    required: bool = True


# libyaml reads seed files about ten times faster than pure-Python PyYAML; every start and
# every test parses them.


def load_fixture_file(path: Path) -> dict[str, Any]:
    if path.is_symlink() and not path.exists():
        raise FixtureError(path, "-", "-", "a symbolic link to a file that does not exist")
    if path.is_dir():
        raise FixtureError(path, "-", "-", "a directory, not a YAML file")
    try:
        data = load_yaml(path, SAFE_LOADER)
    except FileNotFoundError:
        raise FixtureError(path, "-", "-", "file not found") from None
    except OSError as exc:
        raise FixtureError(path, "-", "-", f"cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise FixtureError(path, "-", "-", f"not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise FixtureError(path, "-", "-", "nested too deeply to be seed data") from None
    except ValueError as exc:  # PyYAML's int() of a number too long to convert
        raise FixtureError(path, "-", "-", f"not valid seed data: {exc}") from None
    if not isinstance(data, dict):
        raise FixtureError(path, "-", "-", "the top level must be a mapping of collections")
    if nests_deeper_than(data):
        raise FixtureError(path, "-", "-", f"nested more than {MAX_DEPTH} levels deep: not seed data")
    return data


def validate_collections(
    path: Path, data: dict[str, Any], spec: SpecDocument, collections: list[Collection],
    progress: StartupProgress | None = None, vendor: str = "",
) -> None:
    """Raise FixtureError at the first record that breaks its schema."""
    for collection in collections:
        records = data.get(collection.key)
        if records is None:
            if collection.required:
                raise FixtureError(path, collection.key, collection.key, "collection is missing")
            continue
        if not isinstance(records, list):
            raise FixtureError(path, collection.key, collection.key, "must be a list of records")
        screen = spec.record_screen(collection.schema)
        for index, record in enumerate(records):
            if progress is not None and index and not index % 1000:
                progress.count(index, len(records), f"{vendor} seed: {collection.key} checked")
            if screen(record):
                continue
            # jsonschema decides and names the field: the screen's no is not final.
            label = f"{collection.key}[{index}]"
            if isinstance(record, dict) and "id" in record:
                label += f" (id {record['id']})"
            for error in iter_errors(spec.record_validator(collection.schema), record):
                raise FixtureError(path, label, error_field(error) or "-", error.message)
