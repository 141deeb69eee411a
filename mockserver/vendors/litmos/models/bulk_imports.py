"""Bulk import jobs (docs/litmos.md, "Course details and bulk imports"): what each import did, row by
row, and how it reads.

An import is applied when it is posted, one row after another; its job keeps the counts and one
result per row (`{Username, ImportStatus}`, no other member of the row, so no password is kept).
The answer to the POST shows the job `Waiting`, with only `TotalRecords` counted; every later
read shows it `Completed` with its counts. A user import's job is read at `/bulkimports/{id}`; a
course import's answer already shows it `Completed`, and no call reads it again (docs/litmos.md,
"Course details and bulk imports").

Only the latest `KEEP` jobs of each kind are kept (GET /bulkimports lists at most 1000), so the
table stays bounded however many imports a client posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, exact_key
from ..dates import WcfDate
from .state import Shared

USERS = "users"
COURSES = "courses"
KEEP = 1000
WAITING = "Waiting"
COMPLETED = "Completed"
CREATED = "Created"
UPDATED = "Updated"
FAILED = "Failed - "
MSG_NO_JOB = "Bulk Import Id was not found."
JOB_FIELDS = ("id", "Id", "Kind", "ImportDate", "UserId", "SendEmails", "SkipFirstLogin", "Created", "Updated",
              "Failed", "InvalidEmail", "Rows")


@dataclass(frozen=True)
class Caller:
    """Who posts an import: the API key's user and its access level."""

    user_id: str
    level: str


@dataclass(frozen=True)
class RowResult:
    """One row of an import: the record it named, and `Created`, `Updated` or `Failed - <why>`."""

    key: str
    status: str
    invalid_email: bool = False

    @classmethod
    def failed(cls, key: str, reason: str, invalid_email: bool = False) -> "RowResult":
        return cls(key, FAILED + reason, invalid_email)


class RowFailure(Exception):
    """A row that cannot be applied; nothing of it is written, the rows after it still run."""

    def __init__(self, reason: str, invalid_email: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invalid_email = invalid_email


def bulk_imports_table() -> Table:
    return Table("bulk_imports", unique=[Unique("Id", exact_key("Id"))], fields=JOB_FIELDS)


class BulkImportJobs:
    """The jobs table and its views; reads take the backend's lock, `record` runs inside an import."""

    def __init__(self, shared: Shared, table: Table) -> None:
        self._shared = shared
        self.table = table

    # -- writing -------------------------------------------------------------------------------
    def record(self, kind: str, results: list[RowResult], *, caller: Caller, send_emails: bool = False,
               skip_first_login: bool = False) -> Row:
        """A finished import's job (the oldest of its kind beyond `KEEP` are forgotten)."""
        ids = self._shared.ids
        token = ids.url_token()
        while self.table.find("Id", token) is not None:
            token = ids.url_token()
        job = self.table.insert({
            "Id": token, "Kind": kind, "ImportDate": self._shared.now_ms(), "UserId": caller.user_id,
            "SendEmails": send_emails, "SkipFirstLogin": skip_first_login,
            "Created": sum(1 for r in results if r.status == CREATED),
            "Updated": sum(1 for r in results if r.status == UPDATED),
            "Failed": sum(1 for r in results if r.status.startswith(FAILED)),
            "InvalidEmail": sum(1 for r in results if r.invalid_email),
            "Rows": [[r.key, r.status] for r in results],
        })
        for old in self._of_kind(kind)[KEEP:]:
            self.table.delete(old["id"])
        return job

    # -- views ---------------------------------------------------------------------------------
    @staticmethod
    def user_view(job: Row, queued: bool = False) -> dict[str, Any]:
        """A user import as `UserBulkImport`. `Duplicate` counts the rows that named a user who
        already existed (and updated it); queued, only `TotalRecords` is counted yet."""
        done = not queued
        return {
            "Id": job["Id"], "ImportDate": WcfDate(job["ImportDate"]), "Status": COMPLETED if done else WAITING,
            "TotalRecords": len(job["Rows"]), "TotalUsersCreated": job["Created"] if done else 0,
            "Failed": job["Failed"] if done else 0, "Duplicate": job["Updated"] if done else 0,
            "InvalidEmail": job["InvalidEmail"] if done else 0, "SendEmails": job["SendEmails"],
            "SkipFirstLogin": job["SkipFirstLogin"], "IsAPIImport": True,
        }

    @staticmethod
    def course_view(job: Row) -> dict[str, Any]:
        """A course import as `CourseBulkImport` (its id is `ImportId`)."""
        return {"ImportId": job["Id"], "ImportDate": WcfDate(job["ImportDate"]), "Status": COMPLETED,
                "TotalRecords": len(job["Rows"]), "TotalCoursesCreated": job["Created"], "Failed": job["Failed"]}

    # -- reads ---------------------------------------------------------------------------------
    def _of_kind(self, kind: str) -> list[Row]:
        return self.table.select(lambda r: r["Kind"] == kind, reverse=True)

    def _user_job(self, job_id: str) -> Row:
        job = self.table.find("Id", job_id)
        if job is None or job["Kind"] != USERS:
            raise MockError(ErrorKind.BAD_REQUEST, MSG_NO_JOB)
        return job

    def list_user_imports(self, *, start: int, limit: int) -> list[dict[str, Any]]:
        """The user imports, latest first."""
        with self._shared.lock:
            return [self.user_view(job) for job in self._of_kind(USERS)[start:start + limit]]

    def get_user_import(self, job_id: str) -> dict[str, Any]:
        with self._shared.lock:
            return self.user_view(self._user_job(job_id))

    def user_errors(self, job_id: str, *, start: int, limit: int) -> list[dict[str, Any]]:
        """Every row of a user import, in the order sent, with its outcome."""
        with self._shared.lock:
            rows = self._user_job(job_id)["Rows"][start:start + limit]
            return [{"Username": key, "ImportStatus": status} for key, status in rows]
