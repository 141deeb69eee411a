"""Achievements: the record a course completion leaves (docs/litmos.md, "What is served now").

Completing a course (its last module) awards one achievement; resetting or removing the course
later keeps it, as history.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table
from ..dates import WcfDate
from .progress import Progress
from .state import Shared, sort_key

ACHIEVEMENT_FIELDS = ("id", "UserId", "CourseId", "Title", "Description", "AchievementDate", "Score", "Result",
                      "Type", "AchievementId", "CertificateId")
ACHIEVEMENT_ID_BASE = 4410000
CERTIFICATE_ID_BASE = 770000


def achievements_table() -> Table:
    return Table("achievements", orders={"AchievementDate": sort_key("AchievementDate"),
                                         "AchievementId": sort_key("AchievementId")}, fields=ACHIEVEMENT_FIELDS)


class Achievements:
    """The achievements table and its list call, under the backend's lock."""

    def __init__(self, shared: Shared, table: Table, *, users: Table, progress: Progress) -> None:
        self._shared = shared
        self.table = table
        self._users = users
        self._progress = progress

    def course_completed(self, user_id: str, course: Row, when_ms: int) -> None:
        """An achievement for completing `course`; Score is the mean module score, as text."""
        scores = [r["Score"] for r in self._progress.done(user_id, course["Id"]).values()]
        last = next(self.table.rows("AchievementId", reverse=True), None)
        ids = self._shared.ids
        self.table.insert({
            "UserId": user_id, "CourseId": course["Id"], "Title": course["Name"],
            "Description": course["Description"], "AchievementDate": when_ms,
            "Score": str(round(sum(scores) / len(scores))) if scores else "0",
            "Result": "Completed", "Type": "Course Completed",
            "AchievementId": (last["AchievementId"] if last else ACHIEVEMENT_ID_BASE) + ids.randint(1, 9),
            "CertificateId": (last["CertificateId"] if last else CERTIFICATE_ID_BASE) + ids.randint(1, 9),
        })

    def forget_user(self, user_id: str) -> None:
        for row in self.table.select(lambda r: r["UserId"] == user_id):
            self.table.delete(row["id"])

    def list_achievements(self, *, user_id: str | None, since_ms: int | None, start: int,
                          limit: int) -> list[dict[str, Any]]:
        """Newest first; `userid` and `since` narrow the list (unknown user: 404)."""
        with self._shared.lock:
            if user_id is not None and self._users.find("Id", user_id) is None:
                raise MockError(ErrorKind.NOT_FOUND, f"User - {user_id} was not found")
            rows = self.table.select(
                lambda r: (user_id is None or r["UserId"] == user_id)
                and (since_ms is None or r["AchievementDate"] >= since_ms),
                order="AchievementDate", reverse=True)
            out = []
            for row in rows[start:start + limit]:
                user = self._users.find("Id", row["UserId"])
                out.append({**row, "AchievementDate": WcfDate(row["AchievementDate"]), "CompliantTillDate": None,
                            "FirstName": user["FirstName"] if user else "",
                            "LastName": user["LastName"] if user else ""})
            return out
