"""The object storage behind assessment sessions, learner samples and documents (MinIO/S3 upstream).

Keys are the real server's storage paths. The real workers report a sample's fate in marker files
beside it (`<path>.valid`, `<path>.error`, `<path>.timeout`, each holding a JSON `info`) and delete
a sample they refuse; the LAPI `status/` route reads exactly that. Here one row per stored object
carries the same facts: no row is NOT_FOUND, a row without a marker is PENDING, otherwise the
marker's status and info. A row may also carry a job: the work the emulated workers do once the
mock clock reaches its `due` time (see `workers.py`).

Sample contents are not kept, only their SHA-256 and size: nothing reads them back, and a mock
that stored every posted image would grow without bound.
"""

from __future__ import annotations

import hashlib
import posixpath
import string
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from ....core.store import Row, Table, Unique, exact_key

STORAGE_COLUMNS = ("id", "path", "kind", "status", "info", "stored_at", "due", "job")
MARKERS = ("ERROR", "VALID", "TIMEOUT")  # the order the status route looks for marker files
NOT_FOUND = "NOT_FOUND"
PENDING = "PENDING"
# Kinds of stored objects.
SESSION_DATA = "session_data"
SESSION_CONNECTOR = "session_connector"
ENROLMENT_SAMPLE = "enrolment_sample"
REQUEST_SAMPLE = "request_sample"  # a verification sample or a document (attachment)
ALERT = "alert"
_SUFFIX_ALPHABET = string.ascii_letters + string.digits
_NEVER = float("inf")


def storage_table() -> Table:
    return Table("storage", unique=[Unique("path", exact_key("path"))], fields=STORAGE_COLUMNS,
                 orders={"due": lambda row: _NEVER if row["due"] is None else row["due"]})


def timestamp(micros: int) -> str:
    """The `%Y%m%d_%H%M%S_%f` prefix of a stored sample's name (UTC, from the mock clock)."""
    seconds, rest = divmod(micros, 1_000_000)
    return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(microsecond=rest).strftime("%Y%m%d_%H%M%S_%f")


def traverses(name: str) -> bool:
    """Django refuses a name with a `..` component (SuspiciousFileOperation: a 500 upstream)."""
    return ".." in name.split("/") or name.startswith("/")


def digest(text: str) -> dict[str, Any]:
    raw = text.encode("utf-8", "surrogatepass")
    return {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}


class Storage:
    """Stored objects by path; the seed makes the names Django gives a taken path reproducible."""

    def __init__(self, table: Table, seed: int) -> None:
        self.table = table
        self._seed = seed

    def available_name(self, name: str) -> str:
        """Django's `get_available_name`: a taken name gets `_` and 7 letters or digits before its
        extension (random upstream, drawn from the seed and the name here)."""
        if self.table.find("path", name) is None:
            return name
        directory, base = posixpath.split(name)
        root, extension = posixpath.splitext(base)
        attempt = 0
        while True:
            digest_bytes = hashlib.sha256(f"tesla:{self._seed}:storage:{name}:{attempt}".encode()).digest()
            suffix = "".join(_SUFFIX_ALPHABET[byte % len(_SUFFIX_ALPHABET)] for byte in digest_bytes[:7])
            candidate = posixpath.join(directory, f"{root}_{suffix}{extension}")
            if self.table.find("path", candidate) is None:
                return candidate
            attempt += 1

    def put(self, name: str, kind: str, now: int, job: dict[str, Any] | None = None,
            due: int | None = None) -> Row:
        return self.table.insert({"id": None, "path": self.available_name(name), "kind": kind, "status": None,
                                  "info": None, "stored_at": now, "due": due if job is not None else None,
                                  "job": job})

    def get(self, path: str) -> Row | None:
        return self.table.find("path", path)

    def status(self, path: str) -> tuple[str, Any]:
        """What the LAPI status route reads for a path: NOT_FOUND, PENDING or the marker's status."""
        row = self.get(path)
        if row is None:
            return NOT_FOUND, None
        if row["status"] is None:
            return PENDING, None
        return row["status"], row["info"]

    def mark(self, row: Row, status: str | None, info: Any) -> None:
        """The worker's marker file (`status` None: the job ends without one, as a rejected task does)."""
        self.table.update(row["id"], {"status": status, "info": info, "due": None, "job": None})

    def remove(self, path: str) -> None:
        row = self.get(path)
        if row is not None:
            self.table.delete(row["id"])

    def due(self, now: int) -> Iterator[Row]:
        """Rows whose job is due at `now`, earliest first (a snapshot: jobs may add or drop rows)."""
        found = []
        for row in self.table.rows("due"):
            if row["due"] is None or row["due"] > now:
                break
            found.append(row)
        return iter(found)

    def next_due(self) -> int | None:
        first = next(self.table.rows("due"), None)
        return None if first is None else first["due"]
