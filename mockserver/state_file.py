"""State that survives restarts: `--state-file PATH` loads the default namespace's data at start
and saves it every `--state-save-interval` seconds and at shutdown.

A save is atomic (a temporary file beside the target, fsync, rename, fsync of the folder), so a
`kill -9` loses at most the writes of the last interval and never leaves half a file. The file
holds each vendor's export with its secrets (the mock's own demo credentials and whatever a
client stored), so it is written readable by its owner only. A reset still returns to the seed,
not to the file. Named namespaces are not kept: they are per CI job and expire."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .controls import import_checked_state
from .core.bodies import json_bytes, loads_exact
from .core.errors import MockError
from .core.files import write_atomically
from .realm import Realm
from .core.state_check import Shape

LOG = logging.getLogger("mockserver.state")
FORMAT = "lms-mockserver-state"
VERSION = 1  # of the file's layout; a newer release reads every older one it lists in CONVERTERS
# Older layouts this release can read: version -> a function giving the current layout. Version 1
# is the first; a later release adds its predecessor here instead of refusing its files.
CONVERTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class StateFileError(Exception):
    """A state file that cannot be loaded; the message says why and what to do, in one line."""


def document(realm: Realm) -> dict[str, Any]:
    """What a save writes: every vendor's export, secrets included, and what wrote it."""
    return {"format": FORMAT, "version": VERSION, "written_by": __version__, "saved_at": round(time.time(), 3),
            "vendors": {name: backend.export_state() for name, backend in realm.backends.items()}}


def read(path: Path) -> dict[str, Any]:
    """The file's vendors, in the current layout; StateFileError if it is not a state file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StateFileError(f"cannot be read: {exc.strerror}") from None
    try:
        data = loads_exact(raw)  # an integer past 64 bits a TeSLA client stored comes back exact
    except ValueError as exc:
        raise StateFileError(f"not a state file (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateFileError("not a state file (no \"format\": \"lms-mockserver-state\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise StateFileError("not a state file (no version number)")
    if version > VERSION:
        raise StateFileError(f"written in layout {version} by lms-mockserver {data.get('written_by', '?')}; this "
                             f"release ({__version__}) reads layout {VERSION} and older: run the newer release")
    if version < VERSION:
        convert = CONVERTERS.get(version)
        if convert is None:
            raise StateFileError(
                f"written in layout {version}, which this release cannot read: with the release that wrote it, "
                "export each vendor (GET /__admin/state/{vendor}?secrets=true) and import the exports into this "
                "one (PUT /__admin/state/{vendor}); its next save writes the current layout")
        data = convert(data)
    vendors = data.get("vendors")
    if not isinstance(vendors, dict):
        raise StateFileError("not a state file (no \"vendors\" object)")
    return vendors


def load(path: Path, realm: Realm, shapes: Callable[[str], Shape]) -> list[str]:
    """Import the file into `realm`: each vendor it holds that is served. On StateFileError some
    vendors may be in already: the caller stops, or resets the realm (`--state-file-reset`)."""
    vendors = read(path)
    loaded: list[str] = []
    for name, state in vendors.items():
        if name not in realm.backends:
            LOG.warning("state file %s: vendor %s is not served here; its state is left out", path, name)
            continue
        try:
            import_checked_state(realm, name, state, shapes(name), owned=True)
        except MockError as exc:
            raise StateFileError(f"vendor {name}: {exc.message}") from None
        loaded.append(name)
    return loaded


class StateSaver:
    """Saves a realm's data to the state file every `interval` seconds (when it changed) and on
    `stop`. The saving thread is a daemon: a process killed outright simply stops saving."""

    def __init__(self, path: Path, realm: Callable[[], Realm], interval: float) -> None:
        self.path = path
        self._realm = realm  # the server's default realm, looked up at each save
        self.interval = interval
        self._last: bytes | None = None
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="state-saver", daemon=True)
        self.saves = 0

    def start(self) -> None:
        self._thread.start()

    def save(self) -> bool:
        """Write the state now if it differs from the last save; whether it wrote."""
        with self._lock:
            body = document(self._realm())
            content = json_bytes(body["vendors"])  # an integer past 64 bits a client stored too
            if content == self._last:
                return False
            write_atomically(self.path, json_bytes(body), 0o600)  # it holds every credential
            self._last = content
            self.saves += 1
            return True

    def stop(self) -> None:
        """The last save (at shutdown) and the end of the thread."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 5)
        self.save()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.save()
            except OSError as exc:  # a full disk, a folder gone: say so and try again next time
                LOG.error("state file %s: not saved: %s", self.path, exc.strerror or exc)


def set_aside(path: Path) -> Path:
    """Move a state file that could not be loaded out of the way (`--state-file-reset`)."""
    target = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%dT%H%M%S')}")
    os.replace(path, target)
    return target
