"""Job assignments (Totara job_assignment; Workplace jobs): a user's position, department and manager.

Rules (Totara's job_assignment class; docs/titus.md, "Choices made where the design is silent"):
`userid` is fixed at creation, `idnumber` is unique per user, position and department must
exist, the manager is another job assignment and following managers upwards must never come
back (400 `circularmanagement`). Removing a job assignment (or its user) clears it as the
manager of others.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation
from ..errors import bad_request, not_found
from ..field_order import FieldOrder, FieldOrders
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .org import DEPARTMENT, POSITION, Organisation
from .readonly import readonly_changes
from .references import References
from .store import Store

DERIVED = ("departmentid", "managerid", "tempmanagerid")  # JobAssignment properties computed on the way out
JOB_DEFAULTS: dict[str, Any] = {"fullname": "", "shortname": "", "description": "", "positionid": None,
                                "organisationid": None, "managerjaid": None, "tempmanagerjaid": None,
                                "tempmanagerexpirydate": 0, "appraiserid": None, "startdate": 0, "enddate": 0}
JOB_READONLY = ("id", "userid", "managerid", "tempmanagerid", "sortorder", "timecreated",
                "timemodified")


def job_table(order: FieldOrder) -> Table:
    return Table("job_assignments", unique=[Unique("key", lambda row: (row["userid"], row["idnumber"]))],
                 fields=order.columns(DERIVED))


class Jobs:
    def __init__(self, store: Store, orders: FieldOrders, references: References, organisation: Organisation) -> None:
        self.store = store
        self.order = orders.of("JobAssignment")
        self.jobs = store.tables.job_assignments
        self.users = store.tables.users
        self.references = references
        self.organisation = organisation

    def seed(self, records: list[Row], seeded_at: int) -> None:
        for record in records:
            row = {**JOB_DEFAULTS, **record}
            row.setdefault("sortorder", 1 + sum(1 for ja in self.jobs.rows() if ja["userid"] == row["userid"]))
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.jobs.insert(row)

    def view_job(self, row: Row) -> dict[str, Any]:
        return self.order.view(row, departmentid=row["organisationid"],  # Workplace's name for the same reference
                               managerid=self._job_user(row["managerjaid"]),
                               tempmanagerid=self._job_user(row["tempmanagerjaid"]))

    def summaries_of(self, user_id: int) -> list[dict[str, Any]]:
        """A user's jobs as the user record lists them (there is no job assignment list endpoint)."""
        return [{"id": ja["id"], "idnumber": ja["idnumber"], "fullname": ja.get("fullname", "")}
                for ja in self.jobs.rows() if ja["userid"] == user_id]

    def _job_user(self, job_id: int | None) -> int | None:
        job = self.jobs.get(job_id) if job_id is not None else None
        return job["userid"] if job else None

    def visible_job(self, caller: Caller, job_id: int) -> Row:
        row = self.jobs.get(job_id)
        if row is None:
            raise not_found("job_assignment")
        user = self.users.get(row["userid"])
        if user is None or not caller.sees(user["tenantid"]):
            raise caller.refusal()
        return row

    def get_job(self, caller: Caller, job_id: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_job(self.visible_job(caller, job_id))

    def _check_job(self, caller: Caller, row: Row) -> None:
        """References and dates of a job assignment as it would be stored (create or merged update)."""
        self.organisation.check_reference(caller, POSITION, row["positionid"], "positionid")
        self.organisation.check_reference(caller, DEPARTMENT, row["organisationid"], "organisationid")
        for field in ("managerjaid", "tempmanagerjaid"):
            if row[field] is not None:
                manager = self.jobs.get(row[field])
                if manager is None:
                    raise bad_request("invalidmanager", f"There is no job assignment with id {row[field]}", field)
                owner = self.users.get(manager["userid"])
                if owner is None or not caller.sees(owner["tenantid"]):
                    raise caller.refusal()
                self._no_cycle(row, row[field], field)
        if (row["tempmanagerjaid"] is None) != (not row["tempmanagerexpirydate"]):
            raise bad_request("invalidparameter", "A temporary manager needs an expiry date, and an expiry date needs "
                              "a temporary manager", "tempmanagerexpirydate")
        if row["appraiserid"] is not None:
            appraiser = self.users.get(row["appraiserid"])
            if appraiser is None:
                raise bad_request("invalidappraiser", f"There is no user with id {row['appraiserid']}", "appraiserid")
            caller.check_sees(appraiser["tenantid"])
        if row["startdate"] and row["enddate"] and row["enddate"] < row["startdate"]:
            raise bad_request("enddatebeforestartdate", "The end date must not be before the start date", "enddate")

    def _no_cycle(self, row: Row, manager_id: int, field: str) -> None:
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
            job = self.jobs.get(current)
            current = job["managerjaid"] if job else None

    def create_job(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            data = dict(data)
            user = self.references.user_by_key(caller, data)
            for key in ("userid", "username", "useridnumber"):
                data.pop(key, None)
            _department_alias(data)
            now = self.store.now()
            row = {**JOB_DEFAULTS, **data, "userid": user["id"], "timecreated": now, "timemodified": now,
                   "sortorder": 1 + sum(1 for ja in self.jobs.rows() if ja["userid"] == user["id"])}
            self._check_job(caller, row)
            try:
                self.jobs.insert(row)
            except UniqueViolation:
                raise _conflict(row) from None
            return self.view_job(row)

    def create_jobs(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        return run_bulk(self.store.lock, items, lambda item: (201, self.create_job(caller, item)),
                        [self.jobs], atomic=atomic)

    def update_job(self, caller: Caller, job_id: int, data: dict[str, Any]) -> dict[str, Any]:
        """Partial update; `userid` (and the derived fields) are read-only."""
        with self.store.lock:
            row = self.visible_job(caller, job_id)
            changes = dict(data)
            _department_alias(changes)
            readonly_changes(self.view_job(row), changes, JOB_READONLY)
            merged = {**row, **changes}
            self._check_job(caller, merged)
            changes["timemodified"] = self.store.now()
            try:
                row = self.jobs.update(job_id, changes)
            except UniqueViolation:
                raise _conflict(merged) from None
            return self.view_job(row)

    def delete_job(self, caller: Caller, job_id: int) -> dict[str, Any]:
        with self.store.lock:
            row = self.visible_job(caller, job_id)
            self._drop([row])
            return {"id": job_id}

    def delete_jobs(self, caller: Caller, job_ids: list[int], userid: int | None) -> list[ItemResult]:
        """Per id 204, or 404 when it is missing or (with the `userid` guard) belongs to someone else."""

        def apply(item: Row) -> tuple[int, dict[str, Any]]:
            row = self.jobs.get(item["id"])
            if row is not None and userid is not None and row["userid"] != userid:
                raise not_found("job_assignment")
            return 204, self.delete_job(caller, item["id"])

        return run_bulk(self.store.lock, [{"id": i} for i in job_ids], apply, [], atomic=False)

    def _drop(self, rows: list[Row]) -> None:
        """Remove job assignments (archived); the staff they managed keep their jobs without that manager."""
        gone = {row["id"] for row in rows}
        for row in rows:
            self.jobs.delete(row["id"])
            self.store.archive("job_assignments", row)
        now = self.store.now()
        for other in list(self.jobs.rows()):
            changes: dict[str, Any] = {}
            if other["managerjaid"] in gone:
                changes["managerjaid"] = None
            if other["tempmanagerjaid"] in gone:
                changes.update(tempmanagerjaid=None, tempmanagerexpirydate=0)
            if changes:
                self.jobs.update(other["id"], {**changes, "timemodified": now})

    def forget_user(self, user_id: int) -> None:
        """A deleted user's jobs go (archived), and they stop being anyone's appraiser."""
        self._drop([row for row in self.jobs.rows() if row["userid"] == user_id])
        for other in [r for r in self.jobs.rows() if r["appraiserid"] == user_id]:
            self.jobs.update(other["id"], {"appraiserid": None, "timemodified": self.store.now()})


def _conflict(row: Row) -> MockError:
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
