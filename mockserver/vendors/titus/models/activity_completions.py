"""Activity completion overrides, and the course completion they add up to.

A course is complete when every completion-tracked activity in it is complete (state 1 or 2) for
the user; a course is in progress once any activity has a state. Course completions are
read-only (course_completions.py answers them); this module keeps them in step.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique
from ..errors import not_found
from ..field_order import FieldOrder, FieldOrders
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .categories import Categories
from .references import References
from .store import Store, delete_where

COMPLETE_STATES = (1, 2)


def course_module_table() -> Table:
    return Table("course_modules", fields=("courseid", "name", "modname", "completion"))


def activity_completion_table(order: FieldOrder) -> Table:
    return Table("activity_completions", unique=[Unique("key", lambda row: (row["cmid"], row["userid"]))],
                 fields=order.columns())


def course_completion_table() -> Table:
    return Table("course_completions", unique=[Unique("key", lambda row: (row["courseid"], row["userid"]))],
                 fields=("courseid", "userid", "timestarted", "timecompleted"))


class ActivityCompletions:
    def __init__(self, store: Store, orders: FieldOrders, references: References, categories: Categories) -> None:
        self.store = store
        self.order = orders.of("ActivityCompletion")
        self.modules = store.tables.course_modules
        self.activities = store.tables.activity_completions
        self.course_completions = store.tables.course_completions
        self.enrolments = store.tables.enrolments
        self.courses = store.tables.courses
        self.users = store.tables.users
        self.references = references
        self.categories = categories

    def seed(self, modules: list[Row], activities: list[Row], seeded_at: int) -> None:
        for record in modules:
            self.modules.insert({"completion": 1, **record})
        for record in sorted(activities, key=lambda r: r.get("timemodified", seeded_at)):
            module = self.modules.get(record["cmid"])
            row = {"timemodified": seeded_at, "overrideby": None, **record,
                   "courseid": module["courseid"] if module else 0}
            self.activities.insert(row)
            self._aggregate(row["courseid"], row["userid"], row["timemodified"])

    def _aggregate(self, courseid: int, userid: int, now: int) -> None:
        """Recompute one course completion after an activity state changed."""
        tracked = [m["id"] for m in self.modules.rows() if m["courseid"] == courseid and m["completion"]]
        states = {cmid: self.activities.find("key", (cmid, userid)) for cmid in tracked}
        started = any(row is not None for row in states.values())
        complete = bool(tracked) and all(row is not None and row["completionstate"] in COMPLETE_STATES
                                         for row in states.values())
        current = self.course_completions.find("key", (courseid, userid))
        if current is None:
            if not started:
                return
            current = self.course_completions.insert({"courseid": courseid, "userid": userid, "timestarted": now,
                                                      "timecompleted": None})
        changes = {"timestarted": (current["timestarted"] or now) if started else 0,
                   "timecompleted": (current["timecompleted"] or now) if complete else None}
        self.course_completions.update(current["id"], changes)

    def view_activity(self, row: Row) -> dict[str, Any]:
        return self.order.view(row)

    def _module_and_user(self, caller: Caller, cmid: int, userid: int) -> tuple[Row, Row]:
        module = self.modules.get(cmid)
        if module is None:
            raise not_found("course_modules")
        user = self.users.get(userid)
        if user is None:
            raise MockError(ErrorKind.NOT_FOUND, f"User with id {userid} not found", code="usernotfound")
        course = self.courses.get(module["courseid"])
        in_reach = course is not None and caller.sees(self.categories.tenant_of_course(course))
        if not in_reach or not caller.sees(user["tenantid"]):
            raise caller.refusal()
        return module, user

    def set_activity_completion(self, caller: Caller, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """201 when the state changed (an override by the token's user), 200 when it already had it."""
        with self.store.lock:
            data = self.references.with_ids(caller, data)
            module, user = self._module_and_user(caller, data["cmid"], data["userid"])
            if not module["completion"]:
                raise MockError(ErrorKind.BAD_REQUEST, "Completion tracking is not enabled for this activity",
                                code="completionnotenabled", extra={"exception": "invalid_parameter_exception"})
            if self.enrolments.find("key", (module["courseid"], user["id"])) is None:
                raise MockError(ErrorKind.BAD_REQUEST, "The user is not enrolled in the activity's course",
                                code="usernotenrolled", extra={"exception": "invalid_parameter_exception"})
            row = self.activities.find("key", (module["id"], user["id"]))
            if row is not None and row["completionstate"] == data["completionstate"]:
                return 200, self.view_activity(row)
            now = self.store.now()
            changes = {"completionstate": data["completionstate"], "timemodified": now, "overrideby": caller.userid}
            if row is None:
                row = self.activities.insert({"cmid": module["id"], "userid": user["id"],
                                              "courseid": module["courseid"], **changes})
            else:
                row = self.activities.update(row["id"], changes)
            self._aggregate(module["courseid"], user["id"], now)
            return 201, self.view_activity(row)

    def set_activity_completions(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        return run_bulk(self.store.lock, items, lambda item: self.set_activity_completion(caller, item),
                        [self.activities, self.course_completions], atomic=atomic)

    def reset_activity_completion(self, caller: Caller, cmid: int, userid: int) -> dict[str, Any]:
        """Back to state 0 (no record); 404 when the activity, the user or a state is missing."""
        with self.store.lock:
            module, user = self._module_and_user(caller, cmid, userid)
            row = self.activities.find("key", (module["id"], user["id"]))
            if row is None:
                raise not_found("course_modules_completion")
            self.activities.delete(row["id"])
            self._aggregate(module["courseid"], user["id"], self.store.now())
            return {"cmid": cmid, "userid": userid}

    def reset_activity_completions(self, caller: Caller, userid: int, cmids: list[int]) -> list[ItemResult]:
        return run_bulk(self.store.lock, [{"cmid": cmid} for cmid in cmids],
                        lambda item: (204, self.reset_activity_completion(caller, item["cmid"], userid)),
                        [], atomic=False)

    def forget_user(self, user_id: int) -> None:
        """A deleted user's completions go."""
        delete_where(self.course_completions, lambda row: row.get("userid") == user_id)
        delete_where(self.activities, lambda row: row.get("userid") == user_id)

    def forget_course(self, course_id: int) -> None:
        """A deleted course's completions go with it."""
        delete_where(self.course_completions, lambda row: row.get("courseid") == course_id)
        delete_where(self.activities, lambda row: row.get("courseid") == course_id)

    def forget_participation(self, course_id: int, user_id: int) -> None:
        """An unenrolment purges the user's completions in that course."""
        delete_where(self.course_completions,
                     lambda row: row.get("courseid") == course_id and row.get("userid") == user_id)
        delete_where(self.activities, lambda row: row.get("courseid") == course_id and row.get("userid") == user_id)
