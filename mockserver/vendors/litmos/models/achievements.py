"""Achievements: the record a course completion leaves (litmos.md §5, §10.18).

`AchievementsMixin` is one part of `LitmosBackend` (backend.py). Completing a course (its last module)
awards one achievement; resetting or removing the course later keeps it, as history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.ids import IdSource
from ....core.store import Row, Table
from ..dates import WcfDate

ACHIEVEMENT_ORDER = ("UserId", "Title", "Description", "AchievementDate", "CourseId", "CompliantTillDate", "Score",
                     "Result", "Type", "FirstName", "LastName", "AchievementId", "CertificateId")
ACHIEVEMENT_ID_BASE = 4410000
CERTIFICATE_ID_BASE = 770000


class AchievementsMixin:
    """The achievement calls; `LitmosBackend` provides the tables, the lock and the id stream."""

    achievements: Table
    users: Table
    lock: threading.RLock
    ids: IdSource
    _done: Callable[[str, str], dict[str, Row]]

    def _award(self, user_id: str, course: Row, when_ms: int) -> None:
        """An achievement for completing `course`; Score is the mean module score, as text."""
        scores = [r["Score"] for r in self._done(user_id, course["Id"]).values()]
        last = next(self.achievements.rows("AchievementId", reverse=True), None)
        self.achievements.insert({
            "UserId": user_id, "CourseId": course["Id"], "Title": course["Name"],
            "Description": course["Description"], "AchievementDate": when_ms,
            "Score": str(round(sum(scores) / len(scores))) if scores else "0",
            "Result": "Completed", "Type": "Course Completed",
            "AchievementId": (last["AchievementId"] if last else ACHIEVEMENT_ID_BASE) + self.ids.randint(1, 9),
            "CertificateId": (last["CertificateId"] if last else CERTIFICATE_ID_BASE) + self.ids.randint(1, 9),
        })

    def _forget_achievements(self, user_id: str) -> None:
        for row in self.achievements.select(lambda r: r["UserId"] == user_id):
            self.achievements.delete(row["id"])

    def list_achievements(self, *, user_id: str | None, since_ms: int | None, start: int,
                          limit: int) -> list[dict[str, Any]]:
        """Newest first; `userid` and `since` narrow the list (unknown user: 404)."""
        with self.lock:
            if user_id is not None and self.users.find("Id", user_id) is None:
                raise MockError(ErrorKind.NOT_FOUND, f"User - {user_id} was not found")
            rows = self.achievements.select(
                lambda r: (user_id is None or r["UserId"] == user_id)
                and (since_ms is None or r["AchievementDate"] >= since_ms),
                order="AchievementDate", reverse=True)
            out = []
            for row in rows[start:start + limit]:
                user = self.users.find("Id", row["UserId"])
                view = {**row, "AchievementDate": WcfDate(row["AchievementDate"]), "CompliantTillDate": None,
                        "FirstName": user["FirstName"] if user else "", "LastName": user["LastName"] if user else ""}
                out.append({name: view[name] for name in ACHIEVEMENT_ORDER})
            return out
