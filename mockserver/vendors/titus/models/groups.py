"""Groups inside courses and their members; a member must be enrolled in the group's course."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation, casefold_key
from ..errors import not_found
from ..field_order import FieldOrder, FieldOrders
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .categories import Categories
from .paging import exact_filter, listing, sort_key
from .references import References
from .store import Store, delete_where



def _within_course(field: str) -> Callable[[Row], Hashable | None]:
    """A unique key per course: a name compared case-insensitively, an idnumber exactly (empty: none)."""
    key: Callable[[Row], Hashable | None] = (casefold_key(field) if field == "name"
                                             else lambda row: row.get(field) or None)
    return lambda row: None if key(row) is None else (row["courseid"], key(row))


def group_table(order: FieldOrder) -> Table:
    return Table("groups",
                 unique=[Unique("name", _within_course("name")), Unique("idnumber", _within_course("idnumber"))],
                 orders={"name": sort_key("name")}, fields=order.columns())


def group_member_table(order: FieldOrder) -> Table:
    """A membership also keeps its group's course, so an unenrolment finds it by course."""
    return Table("group_members", unique=[Unique("key", lambda row: (row["groupid"], row["userid"]))],
                 fields=(*order.columns(), "courseid"))


class Groups:
    def __init__(self, store: Store, orders: FieldOrders, references: References, categories: Categories) -> None:
        self.store = store
        self.order = orders.of("Group")
        self.member_order = orders.of("GroupMembership")
        self.groups = store.tables.groups
        self.members = store.tables.group_members
        self.courses = store.tables.courses
        self.users = store.tables.users
        self.enrolments = store.tables.enrolments
        self.references = references
        self.categories = categories

    def seed(self, groups: list[Row], members: list[Row], seeded_at: int) -> None:
        for record in groups:
            row = {"idnumber": "", "description": "", "enrolmentkey": "", **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.groups.insert(row)
        for record in members:
            group = self.groups.get(record["groupid"])
            self.members.insert({"timeadded": seeded_at, **record, "courseid": group["courseid"] if group else 0})

    def view_group(self, row: Row) -> dict[str, Any]:
        return self.order.view(row)

    def view_member(self, row: Row) -> dict[str, Any]:
        return self.member_order.view(row)

    def _course_in_reach(self, caller: Caller, course_id: int) -> bool:
        course = self.courses.get(course_id)
        return course is not None and caller.sees(self.categories.tenant_of_course(course))

    def visible_group(self, caller: Caller, group_id: int) -> Row:
        row = self.groups.get(group_id)
        if row is None:
            raise not_found("groups")
        if not self._course_in_reach(caller, row["courseid"]):
            raise caller.refusal()
        return row

    def get_group(self, caller: Caller, group_id: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_group(self.visible_group(caller, group_id))

    def list_groups(self, caller: Caller, *, page: int, perpage: int, sort: str, order: str,
                    filters: dict[str, Any]) -> dict[str, Any]:
        name = filters.get("name")
        by_name = None if name is None else (lambda row: row["name"].casefold() == name.casefold())
        exact = exact_filter({k: v for k, v in filters.items() if k != "name"}, ("courseid", "idnumber"))

        def scope(row: Row) -> bool:
            return self._course_in_reach(caller, row["courseid"])

        predicates = [p for p in (exact, by_name, scope if caller.bound_to_tenant else None) if p is not None]
        predicate = (lambda row: all(p(row) for p in predicates)) if predicates else None
        with self.store.lock:
            return listing(self.groups, "groups", self.view_group, predicate, page=page, perpage=perpage, sort=sort,
                           order=order)

    def create_group(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            data = self.references.with_ids(caller, data)
            course = self.courses.get(data["courseid"])
            if course is None:
                raise MockError(ErrorKind.NOT_FOUND, f"Course with id {data['courseid']} not found", code="coursenotfound")
            caller.check_sees(self.categories.tenant_of_course(course))
            now = self.store.now()
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

    def create_groups(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        return run_bulk(self.store.lock, items, lambda item: (201, self.create_group(caller, item)),
                        [self.groups], atomic=atomic)

    def delete_group(self, caller: Caller, group_id: int) -> None:
        with self.store.lock:
            self.visible_group(caller, group_id)
            self.groups.delete(group_id)
            for row in [r for r in self.members.rows() if r["groupid"] == group_id]:
                self.members.delete(row["id"])

    def add_member(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            group = self.visible_group(caller, data["groupid"])
            data = self.references.with_ids(caller, data)
            user = self.users.get(data["userid"])
            if user is None:
                raise MockError(ErrorKind.NOT_FOUND, f"User with id {data['userid']} not found", code="usernotfound")
            caller.check_sees(user["tenantid"])
            if self.enrolments.find("key", (group["courseid"], user["id"])) is None:
                raise MockError(ErrorKind.BAD_REQUEST, "Only users enrolled in the course can be group members",
                                code="usernotenrolled", extra={"exception": "invalid_parameter_exception"})
            row = {"groupid": group["id"], "userid": user["id"], "courseid": group["courseid"],
                   "timeadded": self.store.now()}
            try:
                self.members.insert(row)
            except UniqueViolation:
                raise MockError(ErrorKind.CONFLICT, "The user is already a member of this group",
                                code="membershipexists") from None
            return self.view_member(row)

    def add_members(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        return run_bulk(self.store.lock, items, lambda item: (201, self.add_member(caller, item)),
                        [self.members], atomic=atomic)

    def remove_member(self, caller: Caller, group_id: int, user_id: int) -> None:
        with self.store.lock:
            self.visible_group(caller, group_id)
            row = self.members.find("key", (group_id, user_id))
            if row is None:
                raise not_found("groups_members")
            self.members.delete(row["id"])

    def groups_of(self, courseid: int, userid: int) -> list[dict[str, Any]]:
        """The user's groups in a course, for /course_users."""
        return [{"id": g["id"], "name": g["name"]} for m in self.members.rows()
                if m["courseid"] == courseid and m["userid"] == userid
                for g in [self.groups.get(m["groupid"])] if g is not None]

    def forget_user(self, user_id: int) -> None:
        """A deleted user leaves every group."""
        delete_where(self.members, lambda row: row.get("userid") == user_id)

    def forget_course(self, course_id: int) -> None:
        """A deleted course's groups and their members go with it."""
        delete_where(self.members, lambda row: row.get("courseid") == course_id)
        delete_where(self.groups, lambda row: row.get("courseid") == course_id)

    def forget_participation(self, course_id: int, user_id: int) -> None:
        """An unenrolled user leaves the course's groups."""
        delete_where(self.members, lambda row: row.get("courseid") == course_id and row.get("userid") == user_id)
