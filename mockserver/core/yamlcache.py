"""YAML files parsed once per content: the result kept as JSON, keyed by the bytes' SHA-256.

The seeds and specs (about 1.6 MB of YAML) took 1.6 s to parse at every start and in every test
app; reading the same data back as JSON takes a few milliseconds. The key covers the file's
bytes, the loader and the PyYAML version, so an edited file is parsed again. The cache holds
plain JSON, never code: a file planted there can at worst hand back wrong data, and each entry
carries the SHA-256 of its own payload, so a truncated or damaged entry is parsed again, not
trusted. Data JSON cannot hold exactly (dates, non-string keys, sets) is simply not cached. A
cache that cannot be read or written is passed over, never an error. `MOCKSERVER_CACHE_DIR`
moves it (default `$XDG_CACHE_HOME/lms-mockserver`, else `~/.cache/lms-mockserver`); an empty
value turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import orjson
import yaml

CACHE_ENV = "MOCKSERVER_CACHE_DIR"


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lms-mockserver"


def load_yaml(path: Path, loader: type) -> Any:
    """`yaml.load(path)` with `loader`, from the cache when this exact content was parsed before.
    A file that is JSON (YAML's subset) is read as JSON: a 100,000-user seed in under a second,
    where the YAML parser took minutes."""
    raw = path.read_bytes()
    data = _json_document(raw)
    if data is not _NOT_JSON:
        return data
    directory = cache_dir()
    if directory is None:
        return yaml.load(raw, Loader=loader)  # noqa: S506 (callers pass safe loaders)
    salt = f"{loader.__module__}.{loader.__name__}|{yaml.__version__}|json1".encode()
    entry = directory / f"{hashlib.sha256(salt + b'|' + raw).hexdigest()}.json"
    cached = _read_entry(entry)
    if cached is not None:
        return cached
    data = yaml.load(raw, Loader=loader)  # noqa: S506
    payload = _exact_json(data)
    if payload is not None:
        _write_entry(entry, payload)
    return data


_NOT_JSON = object()


def _json_document(raw: bytes) -> Any:
    """The document, when `raw` is a JSON object or array; else `_NOT_JSON` (YAML then reads it,
    and says in its own words what is wrong)."""
    if raw.lstrip()[:1] not in (b"{", b"["):
        return _NOT_JSON
    try:  # the standard library's reader: integers stay exact (orjson would make a long one a float)
        return json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # not JSON after all, a number too long, nested too deep
        return _NOT_JSON


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _exact_json(data: Any) -> bytes | None:
    """`data` as JSON when JSON gives back exactly `data`, else None (orjson would quietly turn a
    date into a string, for one)."""
    try:
        payload = orjson.dumps(data)
    except TypeError:
        return None
    return payload if orjson.loads(payload) == data else None


def _read_entry(entry: Path) -> Any | None:
    try:
        content = entry.read_bytes()
    except OSError:
        return None
    digest, _, payload = content.partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None


def _write_entry(entry: Path, payload: bytes) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f".{entry.name}.{os.getpid()}")
        partial.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(partial, entry)  # atomic: parallel test workers never read half a file
    except OSError:
        pass


def _marker(label: str, content: bytes) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    return directory / f"{label}-{hashlib.sha256(content).hexdigest()}.ok"


def checked_before(label: str, content: bytes) -> bool:
    """Whether a check named `label` already passed for exactly this content."""
    marker = _marker(label, content)
    return marker is not None and marker.exists()


def remember_check(label: str, content: bytes) -> None:
    marker = _marker(label, content)
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass
