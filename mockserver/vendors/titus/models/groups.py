"""Groups inside courses and their members; a member must be enrolled in the group's course."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique, UniqueViolation, casefold_key
from ..errors import forbidden, not_found
from .bulk import ItemResult, run_bulk
from .caller import Principal, require
from .paging import exact_filter, listing, sort_key

GROUP_FIELDS = ("id", "courseid", "name", "idnumber", "description", "timecreated", "timemodified")
MEMBER_FIELDS = ("groupid", "userid", "timeadded")


def group_tables() -> tuple[Table, Table]:
    def within_course(field: str):
        key = casefold_key(field) if field == "name" else (lambda row: row.get(field) or None)
        return lambda row: None if key(row) is None else (row["courseid"], key(row))

    groups = Table("groups", unique=[Unique("name", within_course("name")), Unique("idnumber", within_course("idnumber"))],
                   orders={"name": sort_key("name")}, fields=GROUP_FIELDS)
    members = Table("group_members", unique=[Unique("key", lambda row: (row["groupid"], row["userid"]))],
                    fields=(*MEMBER_FIELDS, "courseid"))
    return groups, members


class GroupsMixin:
    groups: Table
    group_members: Table
    courses: Table
    users: Table
    enrolments: Table

    def seed_groups(self, groups: list[dict[str, Any]], members: list[dict[str, Any]], seeded_at: int) -> None:
        for record in groups:
            row = {"idnumber": "", "description": "", "enrolmentkey": "", **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.groups.insert(row)
        for record in members:
            group = self.groups.get(record["groupid"])
            self.group_members.insert({"timeadded": seeded_at, **record, "courseid": group["courseid"] if group else 0})

    @staticmethod
    def view_group(row: dict[str, Any]) -> dict[str, Any]:
        return {name: row[name] for name in GROUP_FIELDS}

    @staticmethod
    def view_member(row: dict[str, Any]) -> dict[str, Any]:
        return {name: row[name] for name in MEMBER_FIELDS}

    def visible_group(self, principal: Principal, group_id: int, capability: str = "moodle/course:viewparticipants") -> dict[str, Any]:
        row = self.groups.get(group_id)
        if row is None:
            raise not_found("groups")
        course = self.courses.get(row["courseid"])
        if course is None or not principal.sees_tenant(self.course_tenant(course)):  # type: ignore[attr-defined]
            raise forbidden(capability)
        return row

    def get_group(self, principal: Principal, group_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            return self.view_group(self.visible_group(principal, group_id))

    def list_groups(self, principal: Principal, *, page: int, perpage: int, sort: str, order: str,
                    filters: dict[str, Any]) -> dict[str, Any]:
        name = filters.get("name")
        by_name = None if name is None else (lambda row: row["name"].casefold() == name.casefold())
        exact = exact_filter({k: v for k, v in filters.items() if k != "name"}, ("courseid", "idnumber"))

        def scope(row: dict[str, Any]) -> bool:
            course = self.courses.get(row["courseid"])
            return course is not None and principal.sees_tenant(self.course_tenant(course))  # type: ignore[attr-defined]

        predicates = [p for p in (exact, by_name, scope if principal.profile == "tenant" else None) if p is not None]
        predicate = (lambda row: all(p(row) for p in predicates)) if predicates else None
        with self.lock:  # type: ignore[attr-defined]
            return listing(self.groups, "groups", self.view_group, predicate, page=page, perpage=perpage, sort=sort,
                           order=order)

    def create_group(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, "moodle/course:managegroups")
        with self.lock:  # type: ignore[attr-defined]
            data = self.with_ids(principal, data, "moodle/course:managegroups")  # type: ignore[attr-defined]
            course = self.courses.get(data["courseid"])
            if course is None:
                raise MockError(ErrorKind.NOT_FOUND, f"Course with id {data['courseid']} not found", code="coursenotfound")
            if not principal.sees_tenant(self.course_tenant(course)):  # type: ignore[attr-defined]
                raise forbidden("moodle/course:managegroups")
            now = self.now()  # type: ignore[attr-defined]
            row = {"idnumber": "", "description": "", "enrolmentkey": "", **data, "timecreated": now, "timemodified": now}
            try:
                self.groups.insert(row)
            except UniqueViolation as exc:
                if exc.index == "name":
                    raise MockError(ErrorKind.CONFLICT, "Group with the same name already exists in the course",
                                    code="groupnameexists") from None
                raise MockError(ErrorKind.CONFLICT, "Group with the same ID number already exists in the course",
                                code="groupidnumbertaken") from None
            return self.view_group(row)

    def create_groups(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        require(principal, "moodle/course:managegroups")
        return run_bulk(self.lock, items, lambda item: (201, self.create_group(principal, item)),  # type: ignore[attr-defined]
                        [self.groups], atomic=atomic)

    def delete_group(self, principal: Principal, group_id: int) -> None:
        require(principal, "moodle/course:managegroups")
        with self.lock:  # type: ignore[attr-defined]
            self.visible_group(principal, group_id, "moodle/course:managegroups")
            self.groups.delete(group_id)
            for row in [r for r in self.group_members.rows() if r["groupid"] == group_id]:
                self.group_members.delete(row["id"])

    def add_member(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, "moodle/course:managegroups")
        with self.lock:  # type: ignore[attr-defined]
            group = self.visible_group(principal, data["groupid"], "moodle/course:managegroups")
            data = self.with_ids(principal, data, "moodle/course:managegroups")  # type: ignore[attr-defined]
            user = self.users.get(data["userid"])
            if user is None:
                raise MockError(ErrorKind.NOT_FOUND, f"User with id {data['userid']} not found", code="usernotfound")
            if not principal.sees_tenant(user["tenantid"]):
                raise forbidden("moodle/course:managegroups")
            if self.enrolments.find("key", (group["courseid"], user["id"])) is None:
                raise MockError(ErrorKind.BAD_REQUEST, "Only users enrolled in the course can be group members",
                                code="usernotenrolled", extra={"exception": "invalid_parameter_exception"})
            row = {"groupid": group["id"], "userid": user["id"], "courseid": group["courseid"], "timeadded": self.now()}  # type: ignore[attr-defined]
            try:
                self.group_members.insert(row)
            except UniqueViolation:
                raise MockError(ErrorKind.CONFLICT, "The user is already a member of this group",
                                code="membershipexists") from None
            return self.view_member(row)

    def add_members(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        require(principal, "moodle/course:managegroups")
        return run_bulk(self.lock, items, lambda item: (201, self.add_member(principal, item)),  # type: ignore[attr-defined]
                        [self.group_members], atomic=atomic)

    def remove_member(self, principal: Principal, group_id: int, user_id: int) -> None:
        require(principal, "moodle/course:managegroups")
        with self.lock:  # type: ignore[attr-defined]
            self.visible_group(principal, group_id, "moodle/course:managegroups")
            row = self.group_members.find("key", (group_id, user_id))
            if row is None:
                raise not_found("groups_members")
            self.group_members.delete(row["id"])

    def groups_of(self, courseid: int, userid: int) -> list[dict[str, Any]]:
        """The user's groups in a course, for /course_users."""
        return [{"id": g["id"], "name": g["name"]} for m in self.group_members.rows()
                if m["courseid"] == courseid and m["userid"] == userid
                for g in [self.groups.get(m["groupid"])] if g is not None]
