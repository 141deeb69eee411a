"""Single sign-on: one-time login keys and the login page they open (litmos.md §2.3, §10.16).

`SsoMixin` is one part of `LitmosBackend` (backend.py). Every read of a full user issues a new GUID
for that user; the user holds one key at a time, so a new read replaces the key an earlier read
gave out. Opening the login page with the key signs the user in once: the key is spent, the
user's `LastLogin` becomes now, and the answer sends the browser to the user's dashboard or,
with `c={course OriginalId}`, to that course. A spent, replaced or unknown key (or the key of a
user deactivated since) answers the "login link expired" page and changes nothing.
"""

from __future__ import annotations

import threading
from typing import Any

from ....core.clock import Clock
from ....core.ids import IdSource
from ....core.store import Row, Table
from .users import timestamp


class SsoMixin:
    """The login keys; `LitmosBackend` provides the tables, the lock, the clock and the GUID stream."""

    sso_keys: Table
    users: Table
    courses: Table
    lock: threading.RLock
    clock: Clock
    login_keys: IdSource

    def issue_login_key(self, user_id: str) -> str:
        """A new GUID for the user; the user's previous key stops working."""
        with self.lock:
            key = str(self.login_keys.uuid4())
            previous = self.sso_keys.find("UserId", user_id)
            if previous is not None:
                self.sso_keys.delete(previous["id"])
            self.sso_keys.insert({"Key": key, "UserId": user_id, "IssuedAt": int(self.clock.now() * 1000)})
            return key

    def sign_in(self, key: str | None, course_original_id: str | None) -> dict[str, Any] | None:
        """Spend `key`: {"user": the user row, "course": the course row or None}; None when the
        key is unknown, spent or replaced, or its user is gone or deactivated."""
        with self.lock:
            record = self.sso_keys.find("Key", (key or "").strip().lower())
            if record is None:
                return None
            user = self.users.find("Id", record["UserId"])
            if user is None or not user["Active"]:
                return None
            self.sso_keys.delete(record["id"])
            self.users.update(user["id"], {"LastLogin": timestamp(self.clock.now())})
            return {"user": user, "course": self._deep_link(course_original_id)}

    def _deep_link(self, original_id: str | None) -> Row | None:
        """The active course whose OriginalId is `c`, or None (then the dashboard)."""
        if not original_id or not original_id.isdigit():
            return None
        wanted = int(original_id)
        return next((c for c in self.courses.rows() if c["OriginalId"] == wanted and c["Active"]), None)

    def _forget_login_keys(self, user_id: str) -> None:
        for record in self.sso_keys.select(lambda r: r["UserId"] == user_id):
            self.sso_keys.delete(record["id"])
