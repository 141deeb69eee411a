"""Course enrolments (manual instance): upsert, suspension, unenrolment, the course's users."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique
from ..errors import bad_request, forbidden
from .bulk import ItemResult, run_bulk
from .caller import Principal, require
from .paging import listing
from .roles import COURSE_ASSIGNABLE_ARCHETYPES

ENROLMENT_FIELDS = ("courseid", "userid", "roleid", "status", "timestart", "timeend", "enrol", "timecreated",
                    "timemodified")


def enrolment_tables() -> tuple[Table, ...]:
    enrolments = Table("enrolments", unique=[Unique("key", lambda row: (row["courseid"], row["userid"]))],
                       fields=ENROLMENT_FIELDS)
    return (enrolments,)


class EnrolmentsMixin:
    enrolments: Table
    roles: Table
    courses: Table
    users: Table

    def seed_enrolments(self, records: list[dict[str, Any]], seeded_at: int) -> None:
        student = self.student_role()  # type: ignore[attr-defined]
        for record in records:
            row = {"roleid": student["id"] if student else 5, "status": "active", "timestart": 0, "timeend": 0,
                   "enrol": "manual", **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.enrolments.insert(row)

    @staticmethod
    def view_enrolment(row: dict[str, Any]) -> dict[str, Any]:
        return {name: row[name] for name in ENROLMENT_FIELDS}

    def _enrolment_parties(self, principal: Principal, courseid: int, userid: int, capability: str) -> None:
        """Both ends must exist (404) and lie in the token's tenant (403)."""
        course = self.courses.get(courseid)
        if course is None:
            raise MockError(ErrorKind.NOT_FOUND, f"Course with id {courseid} not found", code="coursenotfound")
        user = self.users.get(userid)
        if user is None:
            raise MockError(ErrorKind.NOT_FOUND, f"User with id {userid} not found", code="usernotfound")
        if not principal.sees_tenant(self.course_tenant(course)) or not principal.sees_tenant(user["tenantid"]):  # type: ignore[attr-defined]
            raise forbidden(capability)

    def enrolment_of(self, principal: Principal, courseid: int, userid: int, capability: str) -> dict[str, Any]:
        self._enrolment_parties(principal, courseid, userid, capability)
        row = self.enrolments.find("key", (courseid, userid))
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "The user is not enrolled in this course", code="notenrolled")
        return row

    def enrol(self, principal: Principal, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Upsert like Moodle's enrol_user(): 201 when new, 200 when role, dates or status changed."""
        require(principal, "enrol/manual:enrol")
        with self.lock:  # type: ignore[attr-defined]
            data = self.with_ids(principal, data, "enrol/manual:enrol")  # type: ignore[attr-defined]
            courseid, userid = data["courseid"], data["userid"]
            self._enrolment_parties(principal, courseid, userid, "enrol/manual:enrol")
            existing = self.enrolments.find("key", (courseid, userid))
            roleid = data.get("roleid", existing["roleid"] if existing else None)
            if roleid is None:
                student = self.student_role()  # type: ignore[attr-defined]
                roleid = student["id"] if student else 5
            role = self.roles.get(roleid)
            if role is None or role["archetype"] not in COURSE_ASSIGNABLE_ARCHETYPES:
                raise MockError(ErrorKind.FORBIDDEN, "Cannot assign this role in this course",
                                code="wsusercannotassign", extra={"exception": "moodle_exception"})
            timestart = data.get("timestart", existing["timestart"] if existing else 0)
            timeend = data.get("timeend", existing["timeend"] if existing else 0)
            if timestart and timeend and timeend <= timestart:
                raise bad_request("invalidparameter", "The enrolment must end after it starts", "timeend")
            changes: dict[str, Any] = {"roleid": roleid, "timestart": timestart, "timeend": timeend}
            if "suspend" in data:
                changes["status"] = "suspended" if data["suspend"] else "active"
            now = self.now()  # type: ignore[attr-defined]
            if existing is None:
                row = {"courseid": courseid, "userid": userid, "status": "active", "enrol": "manual",
                       **changes, "timecreated": now, "timemodified": now}
                self.enrolments.insert(row)
                return 201, self.view_enrolment(row)
            if any(existing[k] != v for k, v in changes.items()):
                changes["timemodified"] = now
                self.enrolments.update(existing["id"], changes)
            return 200, self.view_enrolment(existing)

    def enrol_many(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        require(principal, "enrol/manual:enrol")
        return run_bulk(self.lock, items, lambda item: self.enrol(principal, item),  # type: ignore[attr-defined]
                        [self.enrolments], atomic=atomic)

    def suspend_enrolment(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        """`{courseid, userid, suspended}` (or their alternate keys): the enrolment's new status."""
        require(principal, "enrol/manual:manage")
        with self.lock:  # type: ignore[attr-defined]
            data = self.with_ids(principal, data, "enrol/manual:manage")  # type: ignore[attr-defined]
            row = self.enrolment_of(principal, data["courseid"], data["userid"], "enrol/manual:manage")
            status = "suspended" if data["suspended"] else "active"
            if row["status"] != status:
                self.enrolments.update(row["id"], {"status": status, "timemodified": self.now()})  # type: ignore[attr-defined]
            return self.view_enrolment(row)

    def unenrol(self, principal: Principal, courseid: int, userid: int) -> None:
        """Full unenrolment: the enrolment and the user's participation in the course go."""
        require(principal, "enrol/manual:unenrol")
        with self.lock:  # type: ignore[attr-defined]
            row = self.enrolment_of(principal, courseid, userid, "enrol/manual:unenrol")
            self.enrolments.delete(row["id"])
            self.forget_participation(courseid, userid)

    def forget_participation(self, courseid: int, userid: int) -> None:
        """What an unenrolment purges: group memberships and completions in that course."""
        for name in ("group_members", "course_completions", "activity_completions"):
            table = self.tables.get(name)  # type: ignore[attr-defined]
            if table is None:
                continue
            for row in [r for r in table.rows() if r.get("courseid") == courseid and r.get("userid") == userid]:
                table.delete(row["id"])

    def course_users(self, principal: Principal, courseid: int, *, page: int, perpage: int, filters: dict[str, Any]) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            course = self.courses.get(courseid)
            if course is None:
                raise MockError(ErrorKind.NOT_FOUND, f"Course with id {courseid} not found", code="coursenotfound")
            if not principal.sees_tenant(self.course_tenant(course)):  # type: ignore[attr-defined]
                raise forbidden("moodle/course:enrolreview")

            def predicate(row: dict[str, Any]) -> bool:
                if row["courseid"] != courseid:
                    return False
                if filters.get("roleid") is not None and row["roleid"] != filters["roleid"]:
                    return False
                if filters.get("status") is not None and row["status"] != filters["status"]:
                    return False
                user = self.users.get(row["userid"])
                return user is not None and principal.sees_tenant(user["tenantid"])

            return listing(self.enrolments, "course_users", self._course_user, predicate, page=page, perpage=perpage)

    def _course_user(self, row: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(row["userid"]) or {}
        role = self.roles.get(row["roleid"]) or {"id": row["roleid"], "shortname": "", "name": ""}
        return {
            "id": row["userid"],
            **{name: user.get(name, "") for name in ("username", "firstname", "lastname", "email", "idnumber")},
            "enrolment": self.view_enrolment(row),
            "roles": [{"id": role["id"], "shortname": role["shortname"], "name": role["name"]}],
            "groups": self.groups_of(row["courseid"], row["userid"]),  # type: ignore[attr-defined]
        }
