"""Course enrolments (manual instance): upsert, suspension, unenrolment, the course's users."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique
from ..errors import bad_request
from ..field_order import FieldOrder, FieldOrders
from .activity_completions import ActivityCompletions
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .categories import Categories
from .groups import Groups
from .paging import listing
from .references import References
from .roles import Roles
from .store import Store, delete_where

def enrolment_table(order: FieldOrder) -> Table:
    return Table("enrolments", unique=[Unique("key", lambda row: (row["courseid"], row["userid"]))],
                 fields=order.columns())


class Enrolments:
    """An unenrolment purges the user's participation in the course: their group memberships and
    completions there (`groups`, `completions`)."""

    def __init__(self, store: Store, orders: FieldOrders, references: References, categories: Categories,
                 roles: Roles, groups: Groups, completions: ActivityCompletions) -> None:
        self.store = store
        self.order = orders.of("CourseEnrolment")
        self.course_user_order = orders.of("CourseUser")
        self.enrolments = store.tables.enrolments
        self.courses = store.tables.courses
        self.users = store.tables.users
        self.references = references
        self.categories = categories
        self.roles = roles
        self.groups = groups
        self.completions = completions

    def seed(self, records: list[Row], seeded_at: int) -> None:
        student = self.roles.student_role_id()
        for record in records:
            row = {"roleid": student, "status": "active", "timestart": 0, "timeend": 0, "enrol": "manual", **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.enrolments.insert(row)

    def view_enrolment(self, row: Row) -> dict[str, Any]:
        return self.order.view(row)

    def _parties(self, caller: Caller, courseid: int, userid: int) -> None:
        """Both ends must exist (404) and lie in the token's tenant (403)."""
        course = self.courses.get(courseid)
        if course is None:
            raise MockError(ErrorKind.NOT_FOUND, f"Course with id {courseid} not found", code="coursenotfound")
        user = self.users.get(userid)
        if user is None:
            raise MockError(ErrorKind.NOT_FOUND, f"User with id {userid} not found", code="usernotfound")
        if not caller.sees(self.categories.tenant_of_course(course)) or not caller.sees(user["tenantid"]):
            raise caller.refusal()

    def enrolment_of(self, caller: Caller, courseid: int, userid: int) -> Row:
        """The enrolment of a user in a course, both in the token's reach; else 404 `notenrolled`."""
        self._parties(caller, courseid, userid)
        row = self.enrolments.find("key", (courseid, userid))
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "The user is not enrolled in this course", code="notenrolled")
        return row

    def enrol(self, caller: Caller, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Upsert like Moodle's enrol_user(): 201 when new, 200 when role, dates or status changed."""
        with self.store.lock:
            data = self.references.with_ids(caller, data)
            courseid, userid = data["courseid"], data["userid"]
            self._parties(caller, courseid, userid)
            existing = self.enrolments.find("key", (courseid, userid))
            roleid = data.get("roleid", existing["roleid"] if existing else None)
            if roleid is None:
                roleid = self.roles.student_role_id()
            if self.roles.assignable_in_course(roleid) is None:
                raise MockError(ErrorKind.FORBIDDEN, "Cannot assign this role in this course",
                                code="wsusercannotassign", extra={"exception": "moodle_exception"})
            timestart = data.get("timestart", existing["timestart"] if existing else 0)
            timeend = data.get("timeend", existing["timeend"] if existing else 0)
            if timestart and timeend and timeend <= timestart:
                raise bad_request("invalidparameter", "The enrolment must end after it starts", "timeend")
            changes: dict[str, Any] = {"roleid": roleid, "timestart": timestart, "timeend": timeend}
            if "suspend" in data:
                changes["status"] = "suspended" if data["suspend"] else "active"
            now = self.store.now()
            if existing is None:
                row = {"courseid": courseid, "userid": userid, "status": "active", "enrol": "manual",
                       **changes, "timecreated": now, "timemodified": now}
                self.enrolments.insert(row)
                return 201, self.view_enrolment(row)
            if any(existing[k] != v for k, v in changes.items()):
                changes["timemodified"] = now
                existing = self.enrolments.update(existing["id"], changes)
            return 200, self.view_enrolment(existing)

    def enrol_many(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        return run_bulk(self.store.lock, items, lambda item: self.enrol(caller, item), [self.enrolments],
                        atomic=atomic)

    def suspend_enrolment(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        """`{courseid, userid, suspended}` (or their alternate keys): the enrolment's new status."""
        with self.store.lock:
            data = self.references.with_ids(caller, data)
            row = self.enrolment_of(caller, data["courseid"], data["userid"])
            status = "suspended" if data["suspended"] else "active"
            if row["status"] != status:
                row = self.enrolments.update(row["id"], {"status": status, "timemodified": self.store.now()})
            return self.view_enrolment(row)

    def unenrol(self, caller: Caller, courseid: int, userid: int) -> None:
        """Full unenrolment: the enrolment and the user's participation in the course go."""
        with self.store.lock:
            row = self.enrolment_of(caller, courseid, userid)
            self.enrolments.delete(row["id"])
            self.groups.forget_participation(courseid, userid)
            self.completions.forget_participation(courseid, userid)

    def course_users(self, caller: Caller, courseid: int, *, page: int, perpage: int,
                     filters: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            course = self.courses.get(courseid)
            if course is None:
                raise MockError(ErrorKind.NOT_FOUND, f"Course with id {courseid} not found", code="coursenotfound")
            caller.check_sees(self.categories.tenant_of_course(course))

            def predicate(row: Row) -> bool:
                if row["courseid"] != courseid:
                    return False
                if filters.get("roleid") is not None and row["roleid"] != filters["roleid"]:
                    return False
                if filters.get("status") is not None and row["status"] != filters["status"]:
                    return False
                user = self.users.get(row["userid"])
                return user is not None and caller.sees(user["tenantid"])

            return listing(self.enrolments, "course_users", self._course_user, predicate, page=page, perpage=perpage)

    def _course_user(self, row: Row) -> dict[str, Any]:
        """The enrolled user's own fields ("" for any the user lacks) with the enrolment, role and groups."""
        user = defaultdict(str, self.users.get(row["userid"]) or {})
        role = self.store.tables.roles.get(row["roleid"]) or {"id": row["roleid"], "shortname": "", "name": ""}
        return self.course_user_order.view(
            user, id=row["userid"], enrolment=self.view_enrolment(row),
            roles=[{"id": role["id"], "shortname": role["shortname"], "name": role["name"]}],
            groups=self.groups.groups_of(row["courseid"], row["userid"]))

    def forget_user(self, user_id: int) -> None:
        """A deleted user's enrolments go."""
        delete_where(self.enrolments, lambda row: row.get("userid") == user_id)

    def forget_course(self, course_id: int) -> None:
        """A deleted course's enrolments go with it."""
        delete_where(self.enrolments, lambda row: row.get("courseid") == course_id)
