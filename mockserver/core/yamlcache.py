"""YAML files parsed once per content: a pickle of the result, keyed by the bytes' SHA-256.

The seeds and specs (about 1.6 MB of YAML) took 1.6 s to parse at every start and in every test
app; unpickling the same data takes a tenth of that. The key covers the file's bytes, the loader
and the PyYAML and Python versions, so an edited file is parsed again. A cache that cannot be
read or written is passed over, never an error. `MOCKSERVER_CACHE_DIR` moves it (default
`$XDG_CACHE_HOME/lms-mockserver`, else `~/.cache/lms-mockserver`); an empty value turns it off.
Only a directory the user trusts belongs there: a pickle can run code when loaded.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import yaml

CACHE_ENV = "MOCKSERVER_CACHE_DIR"


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lms-mockserver"


def load_yaml(path: Path, loader: type) -> Any:
    """`yaml.load(path)` with `loader`, from the cache when this exact content was parsed before."""
    raw = path.read_bytes()
    directory = cache_dir()
    if directory is None:
        return yaml.load(raw, Loader=loader)  # noqa: S506 (callers pass safe loaders)
    salt = f"{loader.__module__}.{loader.__name__}|{yaml.__version__}|{sys.version_info[:2]}".encode()
    entry = directory / f"{hashlib.sha256(salt + b'|' + raw).hexdigest()}.pickle"
    try:
        with entry.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 (our own cache, see the module docstring)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError):
        pass
    data = yaml.load(raw, Loader=loader)  # noqa: S506
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f".{entry.name}.{os.getpid()}")
        with partial.open("wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry)  # atomic: parallel test workers never read half a file
    except OSError:
        pass
    return data


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
