"""Activity completion overrides and the course completion they add up to (design §B2).

A course is complete when every completion-tracked activity in it is complete (state 1 or 2) for
the user; a course is in progress once any activity has a state. Course completions are read-only.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique
from ..errors import forbidden, not_found
from .bulk import ItemResult, run_bulk
from .caller import Principal, require
from .paging import listing

ACTIVITY_FIELDS = ("cmid", "userid", "courseid", "completionstate", "timemodified", "overrideby")
COMPLETE_STATES = (1, 2)


def completion_tables() -> tuple[Table, Table, Table]:
    modules = Table("course_modules", fields=("courseid", "name", "modname", "completion"))
    activities = Table("activity_completions", unique=[Unique("key", lambda row: (row["cmid"], row["userid"]))],
                       fields=ACTIVITY_FIELDS)
    courses = Table("course_completions", unique=[Unique("key", lambda row: (row["courseid"], row["userid"]))],
                    fields=("courseid", "userid", "timestarted", "timecompleted"))
    return modules, activities, courses


class CompletionsMixin:
    course_modules: Table
    activity_completions: Table
    course_completions: Table
    enrolments: Table
    courses: Table
    users: Table

    def seed_completions(self, modules: list[dict[str, Any]], activities: list[dict[str, Any]], seeded_at: int) -> None:
        for record in modules:
            self.course_modules.insert({"completion": 1, **record})
        for record in sorted(activities, key=lambda r: r.get("timemodified", seeded_at)):
            module = self.course_modules.get(record["cmid"])
            row = {"timemodified": seeded_at, "overrideby": None, **record, "courseid": module["courseid"] if module else 0}
            self.activity_completions.insert(row)
            self._aggregate(row["courseid"], row["userid"], row["timemodified"])

    # -- course completion ---------------------------------------------------------------------
    def _aggregate(self, courseid: int, userid: int, now: int) -> None:
        """Recompute one course completion after an activity state changed."""
        tracked = [m["id"] for m in self.course_modules.rows() if m["courseid"] == courseid and m["completion"]]
        states = {cmid: self.activity_completions.find("key", (cmid, userid)) for cmid in tracked}
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

    def view_course_completion(self, enrolment: dict[str, Any]) -> dict[str, Any]:
        row = self.course_completions.find("key", (enrolment["courseid"], enrolment["userid"])) or {}
        timestarted, timecompleted = row.get("timestarted", 0), row.get("timecompleted")
        status = "complete" if timecompleted else "inprogress" if timestarted else "notyetstarted"
        return {"courseid": enrolment["courseid"], "userid": enrolment["userid"],
                "timeenrolled": enrolment["timestart"] or enrolment["timecreated"], "timestarted": timestarted,
                "timecompleted": timecompleted, "status": status}

    def get_course_completion(self, principal: Principal, courseid: int, userid: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            enrolment = self.enrolment_of(principal, courseid, userid, "moodle/course:viewparticipants")  # type: ignore[attr-defined]
            return self.view_course_completion(enrolment)

    def list_course_completions(self, principal: Principal, *, page: int, perpage: int,
                                filters: dict[str, Any]) -> dict[str, Any]:
        """One record per enrolment the token may see; `completed`/`completedsince` read the aggregate."""
        def predicate(row: dict[str, Any]) -> bool:
            for name in ("courseid", "userid"):
                if filters.get(name) is not None and row[name] != filters[name]:
                    return False
            user, course = self.users.get(row["userid"]), self.courses.get(row["courseid"])
            if user is None or course is None or not principal.sees_tenant(user["tenantid"]):
                return False
            if not principal.sees_tenant(self.course_tenant(course)):  # type: ignore[attr-defined]
                return False
            if filters.get("completed") is not None or filters.get("completedsince") is not None:
                done = (self.course_completions.find("key", (row["courseid"], row["userid"])) or {}).get("timecompleted")
                if filters.get("completed") is not None and bool(done) != filters["completed"]:
                    return False
                if filters.get("completedsince") is not None and (not done or done < filters["completedsince"]):
                    return False
            return True

        with self.lock:  # type: ignore[attr-defined]
            return listing(self.enrolments, "course_completions", self.view_course_completion, predicate,
                           page=page, perpage=perpage)

    # -- activity completion -------------------------------------------------------------------
    @staticmethod
    def view_activity(row: dict[str, Any]) -> dict[str, Any]:
        return {name: row[name] for name in ACTIVITY_FIELDS}

    def _module_and_user(self, principal: Principal, cmid: int, userid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        module = self.course_modules.get(cmid)
        if module is None:
            raise not_found("course_modules")
        user = self.users.get(userid)
        if user is None:
            raise MockError(ErrorKind.NOT_FOUND, f"User with id {userid} not found", code="usernotfound")
        course = self.courses.get(module["courseid"])
        if course is None or not principal.sees_tenant(self.course_tenant(course)) or not principal.sees_tenant(user["tenantid"]):  # type: ignore[attr-defined]
            raise forbidden("moodle/course:overridecompletion")
        return module, user

    def set_activity_completion(self, principal: Principal, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """201 when the state changed (an override by the token's user), 200 when it already had it."""
        require(principal, "moodle/course:overridecompletion")
        with self.lock:  # type: ignore[attr-defined]
            data = self.with_ids(principal, data, "moodle/course:overridecompletion")  # type: ignore[attr-defined]
            module, user = self._module_and_user(principal, data["cmid"], data["userid"])
            if not module["completion"]:
                raise MockError(ErrorKind.BAD_REQUEST, "Completion tracking is not enabled for this activity",
                                code="completionnotenabled", extra={"exception": "invalid_parameter_exception"})
            if self.enrolments.find("key", (module["courseid"], user["id"])) is None:
                raise MockError(ErrorKind.BAD_REQUEST, "The user is not enrolled in the activity's course",
                                code="usernotenrolled", extra={"exception": "invalid_parameter_exception"})
            row = self.activity_completions.find("key", (module["id"], user["id"]))
            if row is not None and row["completionstate"] == data["completionstate"]:
                return 200, self.view_activity(row)
            now = self.now()  # type: ignore[attr-defined]
            changes = {"completionstate": data["completionstate"], "timemodified": now, "overrideby": principal.userid}
            if row is None:
                row = self.activity_completions.insert({"cmid": module["id"], "userid": user["id"],
                                                        "courseid": module["courseid"], **changes})
            else:
                self.activity_completions.update(row["id"], changes)
            self._aggregate(module["courseid"], user["id"], now)
            return 201, self.view_activity(row)

    def set_activity_completions(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        require(principal, "moodle/course:overridecompletion")
        return run_bulk(self.lock, items, lambda item: self.set_activity_completion(principal, item),  # type: ignore[attr-defined]
                        [self.activity_completions, self.course_completions], atomic=atomic)

    def reset_activity_completion(self, principal: Principal, cmid: int, userid: int) -> dict[str, Any]:
        """Back to state 0 (no record); 404 when the activity, the user or a state is missing."""
        require(principal, "moodle/course:overridecompletion")
        with self.lock:  # type: ignore[attr-defined]
            module, user = self._module_and_user(principal, cmid, userid)
            row = self.activity_completions.find("key", (module["id"], user["id"]))
            if row is None:
                raise not_found("course_modules_completion")
            self.activity_completions.delete(row["id"])
            self._aggregate(module["courseid"], user["id"], self.now())  # type: ignore[attr-defined]
            return {"cmid": cmid, "userid": userid}

    def reset_activity_completions(self, principal: Principal, userid: int, cmids: list[int]) -> list[ItemResult]:
        require(principal, "moodle/course:overridecompletion")
        return run_bulk(self.lock, [{"cmid": cmid} for cmid in cmids],  # type: ignore[attr-defined]
                        lambda item: (204, self.reset_activity_completion(principal, item["cmid"], userid)),
                        [], atomic=False)
