"""Single sign-on: one-time login keys and the login page they open (docs/litmos.md, "Single sign-on").

Every read of a full user issues a new GUID for that user; the user holds one key at a time, so a
new read replaces the key an earlier read gave out. Opening the login page with the key signs the
user in once: the key is spent, the user's `LastLogin` becomes now, and the answer sends the
browser to the user's dashboard or, with `c={course OriginalId}`, to that course. A spent,
replaced or unknown key (or the key of a user deactivated since) answers the "login link expired"
page and changes nothing.
"""

from __future__ import annotations

from typing import Any

from ....core.ids import IdSource
from ....core.store import Row, Table, Unique, exact_key
from ..dates import user_timestamp
from .state import Shared

SSO_KEY_FIELDS = ("id", "Key", "UserId", "IssuedAt")


def sso_keys_table() -> Table:
    return Table("sso_keys", unique=[Unique("Key", exact_key("Key")), Unique("UserId", exact_key("UserId"))],
                 fields=SSO_KEY_FIELDS)


class SingleSignOn:
    """The login keys. GUIDs come from their own seeded stream (`guids`), so reading users never
    shifts the ids of users created later."""

    def __init__(self, shared: Shared, guids: IdSource, table: Table, *, users: Table, courses: Table) -> None:
        self._shared = shared
        self._guids = guids
        self.table = table
        self._users = users
        self._courses = courses

    def login_url(self, user_id: str, login_base: str) -> str:
        """A user's `LoginKey`: the login page with a new key (the user's previous key stops working)."""
        return f"{login_base}login.aspx?loginkey={self.issue(user_id)}"

    def issue(self, user_id: str) -> str:
        """A new GUID for the user; the user's previous key stops working."""
        with self._shared.lock:
            key = str(self._guids.uuid4())
            previous = self.table.find("UserId", user_id)
            if previous is not None:
                self.table.delete(previous["id"])
            self.table.insert({"Key": key, "UserId": user_id, "IssuedAt": self._shared.now_ms()})
            return key

    def sign_in(self, key: str | None, course_original_id: str | None) -> dict[str, Any] | None:
        """Spend `key`: {"user": the user row, "course": the course row or None}; None when the
        key is unknown, spent or replaced, or its user is gone or deactivated."""
        with self._shared.lock:
            record = self.table.find("Key", (key or "").strip().lower())
            if record is None:
                return None
            user = self._users.find("Id", record["UserId"])
            if user is None or not user["Active"]:
                return None
            self.table.delete(record["id"])
            self._users.update(user["id"], {"LastLogin": user_timestamp(self._shared.clock.now())})
            return {"user": user, "course": self._deep_link(course_original_id)}

    def _deep_link(self, original_id: str | None) -> Row | None:
        """The active course whose OriginalId is `c`, or None (then the dashboard)."""
        if not original_id or not original_id.isdigit():
            return None
        wanted = int(original_id)
        return next((c for c in self._courses.rows() if c["OriginalId"] == wanted and c["Active"]), None)

    def forget_user(self, user_id: str) -> None:
        for record in self.table.select(lambda r: r["UserId"] == user_id):
            self.table.delete(record["id"])
