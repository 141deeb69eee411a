"""What goes with a deleted row: the real server's foreign keys (`on_delete=CASCADE`), in one place.

The resource modules call these instead of deleting rows of other resources themselves, so no
module needs the ones below it for a delete, and lookups can still go upwards without a circle:
a VLE takes its module AppRole and its courses; a course its activities; an activity its
instruments, reports (with their audits), requests, assessment sessions (with their stored
files) and alerts; a person its SEND assignments, instrument enrolments, assessment sessions,
alerts, course enrolments, reports and requests. Callers hold the lock.
"""

from __future__ import annotations

from typing import Any

from .lookup import delete_where
from .state import Tables
from .storage import Storage


class Cascades:
    """The deletes that reach other resources' rows."""

    def __init__(self, tables: Tables, storage: Storage) -> None:
        self._tables = tables
        self._storage = storage

    def delete_vle(self, vle_id: int) -> None:
        tables = self._tables
        delete_where(tables.approles, "vle_id", vle_id)
        for row in [r for r in tables.courses.rows() if r["vle"] == vle_id]:
            self.delete_course(row["id"])
        tables.vles.delete(vle_id)

    def delete_course(self, course_id: int) -> None:
        """The course and everything under it (its activities, their instruments and reports)."""
        for row in [r for r in self._tables.activities.rows() if r["course"] == course_id]:
            self.delete_activity(row["id"])
        self._tables.courses.delete(course_id)

    def delete_activity(self, activity_id: int) -> None:
        delete_where(self._tables.activity_instruments, "activity", activity_id)
        self._delete_reports("activity", activity_id)
        self._delete_assessment_data("activity", activity_id)
        self._tables.activities.delete(activity_id)

    def delete_activity_instrument(self, row_id: int) -> None:
        """A primary instrument takes its alternatives with it (recursively: a database cascade)."""
        rows = self._tables.activity_instruments
        doomed, frontier = {row_id}, [row_id]
        while frontier:
            current = frontier.pop()
            for other in rows.rows():
                if other["alternative_to"] == current and other["id"] not in doomed:
                    doomed.add(other["id"])
                    frontier.append(other["id"])
        for doomed_id in sorted(doomed):
            rows.delete(doomed_id)

    def delete_person(self, user_id: int) -> None:
        """A person and what hangs from it (whichever route deletes it: user, instructor, learner)."""
        tables = self._tables
        delete_where(tables.send_assignments, "learner", user_id)
        delete_where(tables.enrolments, "learner", user_id)
        self._delete_assessment_data("learner", user_id)
        for row in list(tables.courses.rows()):
            if user_id in row["instructors"] or user_id in row["learners"]:
                tables.courses.update(row["id"], {
                    "instructors": [i for i in row["instructors"] if i != user_id],
                    "learners": [i for i in row["learners"] if i != user_id]})
        self._delete_reports("learner", user_id)
        tables.users.delete(user_id)

    def _delete_reports(self, field: str, value: Any) -> None:
        """The reports and report requests whose `field` is `value`, each report with its audits."""
        tables = self._tables
        for report in [r for r in tables.reports.rows() if r[field] == value]:
            delete_where(tables.report_audits, "report", report["id"])
            tables.reports.delete(report["id"])
        delete_where(tables.report_requests, field, value)

    def _delete_assessment_data(self, field: str, value: Any) -> None:
        """Assessment sessions (their stored files with them) and alerts of an activity or a learner."""
        tables = self._tables
        for session in [row for row in tables.assessment_sessions.rows() if row[field] == value]:
            for path in (session["files"] or {}).values():
                self._storage.remove(path)
            tables.assessment_sessions.delete(session["id"])
        delete_where(tables.alerts, field, value)
