"""Programs and their enrolments (Workplace program allocations, Totara individual assignments).

A program may sit in a category and belong to a tenant; `idnumber` is unique when not empty
(Workplace rule). Enrolling is an upsert like course enrolment: 201 when new, 200 when it existed.
Suspension follows Workplace's allocation suspend/unsuspend.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation, exact_key
from ..errors import bad_request, not_found
from ..field_order import FieldOrder, FieldOrders
from .caller import Caller
from .categories import Categories
from .paging import both, exact_filter, listing, sort_key
from .readonly import readonly_changes
from .references import References
from .store import Store
from .tenants import Tenants

DERIVED = ("archived",)  # Program properties computed on the way out, not stored
PROGRAM_DEFAULTS: dict[str, Any] = {"idnumber": "", "categoryid": None, "tenantid": None, "summary": "", "endnote": "",
                                    "visible": True, "availablefrom": 0, "availableuntil": 0}
PROGRAM_READONLY = ("id", "archived", "timecreated", "timemodified")
PROGRAM_SORTS = ("fullname", "shortname", "idnumber", "timecreated", "timemodified")


def program_table(order: FieldOrder) -> Table:
    return Table("programs", unique=[Unique("idnumber", exact_key("idnumber"))],
                 orders={name: sort_key(name) for name in PROGRAM_SORTS}, fields=order.columns(DERIVED))


def program_user_table(order: FieldOrder) -> Table:
    return Table("program_users", unique=[Unique("key", lambda row: (row["programid"], row["userid"]))],
                 fields=order.columns())


class Programs:
    def __init__(self, store: Store, orders: FieldOrders, references: References, categories: Categories,
                 tenants: Tenants) -> None:
        self.store = store
        self.order = orders.of("Program")
        self.enrolment_order = orders.of("ProgramEnrolment")
        self.programs = store.tables.programs
        self.program_users = store.tables.program_users
        self.references = references
        self.categories = categories
        self.tenants = tenants

    def seed(self, programs: list[Row], enrolments: list[Row], seeded_at: int) -> None:
        for record in programs:
            row = {**PROGRAM_DEFAULTS, **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.programs.insert(row)
        for record in enrolments:
            row = {"status": "active", "startdate": 0, "duedate": 0, "enddate": 0, "completionstatus": "incomplete",
                   "timecompleted": None, **record}
            row.setdefault("timeassigned", seeded_at)
            row.setdefault("timemodified", row["timeassigned"])
            self.program_users.insert(row)

    def view_program(self, row: Row) -> dict[str, Any]:
        return self.order.view(row, archived=not row["visible"])  # Workplace archives what Totara hides

    def view_program_user(self, row: Row) -> dict[str, Any]:
        return self.enrolment_order.view(row)

    def visible_program(self, caller: Caller, program_id: int) -> Row:
        row = self.programs.get(program_id)
        if row is None:
            raise not_found("prog")
        caller.check_sees(row["tenantid"])
        return row

    def get_program(self, caller: Caller, program_id: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_program(self.visible_program(caller, program_id))

    def list_programs(self, caller: Caller, *, page: int, perpage: int, sort: str, order: str,
                      filters: dict[str, Any]) -> dict[str, Any]:
        scope = None if not caller.bound_to_tenant else (lambda row: row["tenantid"] == caller.tenantid)
        exact = exact_filter(filters, ("idnumber", "categoryid", "tenantid", "visible"))
        with self.store.lock:
            return listing(self.programs, "programs", self.view_program, both(exact, scope), page=page,
                           perpage=perpage, sort=sort, order=order)

    def _check_program(self, caller: Caller, row: Row) -> None:
        if row["categoryid"] is not None:
            category = self.categories.get(row["categoryid"])
            if category is None:
                raise bad_request("invalidcategory", f"Category with id {row['categoryid']} does not exist",
                                  "categoryid")
            caller.check_sees(category["tenantid"])
        caller.check_sees(row["tenantid"])
        self.tenants.check_tenant(row["tenantid"])
        if row["availablefrom"] and row["availableuntil"] and row["availableuntil"] < row["availablefrom"]:
            raise bad_request("enddatebeforestartdate", "The program must be available until after it is available "
                              "from", "availableuntil")

    def create_program(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            row = {**PROGRAM_DEFAULTS, **data}
            if caller.bound_to_tenant and "tenantid" not in data:
                row["tenantid"] = caller.tenantid
            self._check_program(caller, row)
            now = self.store.now()
            row.update(timecreated=now, timemodified=now)
            try:
                self.programs.insert(row)
            except UniqueViolation:
                raise _conflict(row) from None
            return self.view_program(row)

    def update_program(self, caller: Caller, program_id: int, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            row = self.visible_program(caller, program_id)
            changes = dict(data)
            readonly_changes(self.view_program(row), changes, PROGRAM_READONLY)
            merged = {**row, **changes}
            self._check_program(caller, merged)
            changes["timemodified"] = self.store.now()
            try:
                row = self.programs.update(program_id, changes)
            except UniqueViolation:
                raise _conflict(merged) from None
            return self.view_program(row)

    # -- enrolments ----------------------------------------------------------------------------
    def _program_by_key(self, caller: Caller, data: dict[str, Any]) -> Row:
        if "programid" in data:
            row = self.programs.get(data["programid"])
        else:
            row = self.programs.find("idnumber", data["programidnumber"])
        if row is None:
            wanted = data.get("programid", data.get("programidnumber"))
            raise MockError(ErrorKind.NOT_FOUND, f"Program {wanted} not found", code="programnotfound")
        caller.check_sees(row["tenantid"])
        return row

    def enrol_program(self, caller: Caller, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Upsert: 201 when new, 200 when it existed (dates, completion and `suspend` applied)."""
        with self.store.lock:
            program = self._program_by_key(caller, data)
            user = self.references.user_by_key(caller, data)
            existing = self.program_users.find("key", (program["id"], user["id"]))
            current = existing or {"startdate": 0, "duedate": 0, "enddate": 0, "status": "active",
                                   "completionstatus": "incomplete", "timecompleted": None}
            changes = {name: data.get(name, current[name]) for name in ("startdate", "duedate", "enddate",
                                                                         "completionstatus")}
            for later in ("duedate", "enddate"):
                if changes["startdate"] and changes[later] and changes[later] < changes["startdate"]:
                    raise bad_request("invalidparameter", f"The {later} must not be before the start date", later)
            if "suspend" in data:
                changes["status"] = "suspended" if data["suspend"] else "active"
            now = self.store.now()
            if changes["completionstatus"] != current["completionstatus"]:
                changes["timecompleted"] = now if changes["completionstatus"] == "complete" else None
            if existing is None:
                row = {**current, **changes, "programid": program["id"], "userid": user["id"], "timeassigned": now,
                       "timemodified": now}
                self.program_users.insert(row)
                return 201, self.view_program_user(row)
            if any(existing[k] != v for k, v in changes.items()):
                existing = self.program_users.update(existing["id"], {**changes, "timemodified": now})
            return 200, self.view_program_user(existing)

    def suspend_program_user(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            program = self._program_by_key(caller, data)
            user = self.references.user_by_key(caller, data)
            row = self.program_users.find("key", (program["id"], user["id"]))
            if row is None:
                raise MockError(ErrorKind.NOT_FOUND, "The user is not enrolled in this program", code="notenrolled")
            status = "suspended" if data["suspended"] else "active"
            if row["status"] != status:
                row = self.program_users.update(row["id"], {"status": status, "timemodified": self.store.now()})
            return self.view_program_user(row)

    def forget_user(self, user_id: int) -> None:
        """A deleted user's program enrolments leave the live table and are archived."""
        for row in [r for r in self.program_users.rows() if r["userid"] == user_id]:
            self.program_users.delete(row["id"])
            self.store.archive("program_users", row)


def _conflict(row: Row) -> MockError:
    return MockError(ErrorKind.CONFLICT, f"The ID number is already used in another program ({row['idnumber']})",
                     code="programidnumberexists")
