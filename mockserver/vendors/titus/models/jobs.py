"""Job assignments (Totara job_assignment; Workplace jobs): a user's position, department and manager.

Rules (design §B2, Totara's job_assignment class): `userid` is fixed at creation, `idnumber` is
unique per user, position and department must exist, the manager is another job assignment and
following managers upwards must never come back (400 `circularmanagement`). Removing a job
assignment (or its user) clears it as the manager of others.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique, UniqueViolation
from ..errors import bad_request, forbidden, not_found
from .bulk import ItemResult, run_bulk
from .caller import Principal, require
from .org import CAPABILITY, DEPARTMENT, POSITION
from .readonly import readonly_changes

JOB_FIELDS = ("id", "userid", "idnumber", "fullname", "shortname", "description", "positionid", "organisationid",
              "managerjaid", "tempmanagerjaid", "tempmanagerexpirydate", "appraiserid", "startdate", "enddate",
              "sortorder", "timecreated", "timemodified")
JOB_DEFAULTS: dict[str, Any] = {"fullname": "", "shortname": "", "description": "", "positionid": None,
                                "organisationid": None, "managerjaid": None, "tempmanagerjaid": None,
                                "tempmanagerexpirydate": 0, "appraiserid": None, "startdate": 0, "enddate": 0}
JOB_READONLY = ("id", "userid", "managerid", "tempmanagerid", "sortorder", "timecreated",
                "timemodified")


def job_table() -> Table:
    return Table("job_assignments", unique=[Unique("key", lambda row: (row["userid"], row["idnumber"]))],
                 fields=JOB_FIELDS)


class JobsMixin:
    job_assignments: Table
    users: Table

    def seed_jobs(self, records: list[dict[str, Any]], seeded_at: int) -> None:
        for record in records:
            row = {**JOB_DEFAULTS, **record}
            row.setdefault("sortorder", 1 + sum(1 for ja in self.job_assignments.rows() if ja["userid"] == row["userid"]))
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.job_assignments.insert(row)

    def view_job(self, row: dict[str, Any]) -> dict[str, Any]:
        view = {name: row[name] for name in JOB_FIELDS}
        view["departmentid"] = row["organisationid"]  # Workplace's name for the same reference
        view["managerid"] = self._job_user(row["managerjaid"])
        view["tempmanagerid"] = self._job_user(row["tempmanagerjaid"])
        return view

    def _job_user(self, job_id: int | None) -> int | None:
        job = self.job_assignments.get(job_id) if job_id is not None else None
        return job["userid"] if job else None

    def visible_job(self, principal: Principal, job_id: int, capability: str = "titusconnect:view_organisation") -> dict[str, Any]:
        row = self.job_assignments.get(job_id)
        if row is None:
            raise not_found("job_assignment")
        user = self.users.get(row["userid"])
        if user is None or not principal.sees_tenant(user["tenantid"]):
            raise forbidden(capability)
        return row

    def get_job(self, principal: Principal, job_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            return self.view_job(self.visible_job(principal, job_id))

    def _check_job(self, principal: Principal, row: dict[str, Any]) -> None:
        """References and dates of a job assignment as it would be stored (create or merged update)."""
        self.org_reference(principal, POSITION, row["positionid"], "positionid")  # type: ignore[attr-defined]
        self.org_reference(principal, DEPARTMENT, row["organisationid"], "organisationid")  # type: ignore[attr-defined]
        for field in ("managerjaid", "tempmanagerjaid"):
            if row[field] is not None:
                manager = self.job_assignments.get(row[field])
                if manager is None:
                    raise bad_request("invalidmanager", f"There is no job assignment with id {row[field]}", field)
                owner = self.users.get(manager["userid"])
                if owner is None or not principal.sees_tenant(owner["tenantid"]):
                    raise forbidden(CAPABILITY)
                self._no_cycle(row, row[field], field)
        if (row["tempmanagerjaid"] is None) != (not row["tempmanagerexpirydate"]):
            raise bad_request("invalidparameter", "A temporary manager needs an expiry date, and an expiry date needs "
                              "a temporary manager", "tempmanagerexpirydate")
        if row["appraiserid"] is not None:
            appraiser = self.users.get(row["appraiserid"])
            if appraiser is None:
                raise bad_request("invalidappraiser", f"There is no user with id {row['appraiserid']}", "appraiserid")
            if not principal.sees_tenant(appraiser["tenantid"]):
                raise forbidden(CAPABILITY)
        if row["startdate"] and row["enddate"] and row["enddate"] < row["startdate"]:
            raise bad_request("enddatebeforestartdate", "The end date must not be before the start date", "enddate")

    def _no_cycle(self, row: dict[str, Any], manager_id: int, field: str) -> None:
        """Managing oneself, or a chain of managers that leads back to this job, is refused.

        A new job cannot close a loop (nothing points at it yet); stored chains never loop, so the
        walk up from the new manager ends.
        """
        if row.get("id") is None:
            return
        seen: set[int] = set()
        current: int | None = manager_id
        while current is not None and current not in seen:
            if current == row["id"]:
                raise bad_request("circularmanagement", "A job assignment cannot be managed by itself or by one of "
                                  "the job assignments it manages", field)
            seen.add(current)
            job = self.job_assignments.get(current)
            current = job["managerjaid"] if job else None

    def create_job(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, CAPABILITY)
        with self.lock:  # type: ignore[attr-defined]
            data = dict(data)
            user = self.user_by_key(principal, data, CAPABILITY)  # type: ignore[attr-defined]
            for key in ("userid", "username", "useridnumber"):
                data.pop(key, None)
            _department_alias(data)
            now = self.now()  # type: ignore[attr-defined]
            row = {**JOB_DEFAULTS, **data, "userid": user["id"], "timecreated": now, "timemodified": now,
                   "sortorder": 1 + sum(1 for ja in self.job_assignments.rows() if ja["userid"] == user["id"])}
            self._check_job(principal, row)
            try:
                self.job_assignments.insert(row)
            except UniqueViolation:
                raise _conflict(row) from None
            return self.view_job(row)

    def create_jobs(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        require(principal, CAPABILITY)
        return run_bulk(self.lock, items, lambda item: (201, self.create_job(principal, item)),  # type: ignore[attr-defined]
                        [self.job_assignments], atomic=atomic)

    def update_job(self, principal: Principal, job_id: int, data: dict[str, Any]) -> dict[str, Any]:
        """Partial update; `userid` (and the derived fields) are read-only."""
        require(principal, CAPABILITY)
        with self.lock:  # type: ignore[attr-defined]
            row = self.visible_job(principal, job_id, CAPABILITY)
            changes = dict(data)
            _department_alias(changes)
            readonly_changes(self.view_job(row), changes, JOB_READONLY)
            merged = {**row, **changes}
            self._check_job(principal, merged)
            changes["timemodified"] = self.now()  # type: ignore[attr-defined]
            try:
                self.job_assignments.update(job_id, changes)
            except UniqueViolation:
                raise _conflict(merged) from None
            return self.view_job(row)

    def delete_job(self, principal: Principal, job_id: int) -> dict[str, Any]:
        require(principal, CAPABILITY)
        with self.lock:  # type: ignore[attr-defined]
            row = self.visible_job(principal, job_id, CAPABILITY)
            self.drop_jobs([row])
            return {"id": job_id}

    def delete_jobs(self, principal: Principal, job_ids: list[int], userid: int | None) -> list[ItemResult]:
        """Per id 204, or 404 when it is missing or (with the `userid` guard) belongs to someone else."""
        require(principal, CAPABILITY)

        def apply(item: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            row = self.job_assignments.get(item["id"])
            if row is not None and userid is not None and row["userid"] != userid:
                raise not_found("job_assignment")
            return 204, self.delete_job(principal, item["id"])

        return run_bulk(self.lock, [{"id": i} for i in job_ids], apply, [], atomic=False)  # type: ignore[attr-defined]

    def drop_jobs(self, rows: list[dict[str, Any]]) -> None:
        """Remove job assignments; the staff they managed keep their jobs without that manager."""
        gone = {row["id"] for row in rows}
        for row in rows:
            self.job_assignments.delete(row["id"])
            self.archive_record("job_assignments", row)  # type: ignore[attr-defined]
        now = self.now()  # type: ignore[attr-defined]
        for other in list(self.job_assignments.rows()):
            changes: dict[str, Any] = {}
            if other["managerjaid"] in gone:
                changes["managerjaid"] = None
            if other["tempmanagerjaid"] in gone:
                changes.update(tempmanagerjaid=None, tempmanagerexpirydate=0)
            if changes:
                self.job_assignments.update(other["id"], {**changes, "timemodified": now})

    def forget_user_jobs(self, user_id: int) -> None:
        """A deleted user's jobs go (archived), and they stop being anyone's appraiser."""
        self.drop_jobs([row for row in self.job_assignments.rows() if row["userid"] == user_id])
        for other in [r for r in self.job_assignments.rows() if r["appraiserid"] == user_id]:
            self.job_assignments.update(other["id"], {"appraiserid": None, "timemodified": self.now()})  # type: ignore[attr-defined]


def _conflict(row: dict[str, Any]) -> MockError:
    return MockError(ErrorKind.CONFLICT, f"The user already has a job assignment with ID number {row['idnumber']}",
                     code="jobassignmentidnumberexists")


def _department_alias(data: dict[str, Any]) -> None:
    """`departmentid` (Workplace) is another name for `organisationid` (Totara); both must agree."""
    if "departmentid" not in data:
        return
    department = data.pop("departmentid")
    if "organisationid" in data and data["organisationid"] != department:
        raise bad_request("ambiguousreference", "departmentid and organisationid name different departments",
                          "departmentid")
    data["organisationid"] = department
