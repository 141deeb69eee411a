"""Courses: uniqueness of short name and idnumber, a category that exists and is in reach, dates in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation, exact_key
from ..errors import bad_request, not_found
from ..field_order import FieldOrder, FieldOrders
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .categories import Categories
from .customfields import CustomFields
from .paging import both, exact_filter, listing, sort_key
from .readonly import readonly_changes
from .store import Store

COURSE_DEFAULTS: dict[str, Any] = {
    "idnumber": "",
    "summary": "",
    "format": "topics",
    "lang": "",
    "visible": True,
    "startdate": 0,
    "enddate": 0,
    "enablecompletion": True,
    "customfields": [],
}
COURSE_READONLY = ("id", "timecreated", "timemodified")
COURSE_SORTS = ("fullname", "shortname", "idnumber", "categoryid", "startdate", "timecreated", "timemodified")


def course_table(order: FieldOrder) -> Table:
    return Table(
        "courses",
        unique=[Unique("shortname", exact_key("shortname")), Unique("idnumber", exact_key("idnumber"))],
        orders={name: sort_key(name) for name in COURSE_SORTS},
        fields=order.columns(),
    )


class CourseContents(Protocol):
    """What exists only inside a course and goes with it (groups, enrolments, completions)."""

    def forget_course(self, course_id: int) -> None: ...


class Courses:
    def __init__(self, store: Store, orders: FieldOrders, categories: Categories, fields: CustomFields,
                 contents: Sequence[CourseContents]) -> None:
        self.store = store
        self.order = orders.of("Course")
        self.courses = store.tables.courses
        self.categories = categories
        self.fields = fields
        self.contents = tuple(contents)

    def seed(self, records: list[Row], seeded_at: int) -> None:
        for record in records:
            row = {**COURSE_DEFAULTS, **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.courses.insert(row)

    def view_course(self, row: Row) -> dict[str, Any]:
        return self.order.view(row, customfields=[dict(field) for field in row["customfields"]])

    def visible_course(self, caller: Caller, course_id: int) -> Row:
        """A course the token may see: 404 if missing, 403 if it lives in another tenant's category."""
        row = self.courses.get(course_id)
        if row is None:
            raise not_found("course")
        caller.check_sees(self.categories.tenant_of_course(row))
        return row

    def get_course(self, caller: Caller, course_id: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_course(self.visible_course(caller, course_id))

    def list_courses(self, caller: Caller, *, page: int, perpage: int, sort: str, order: str,
                     filters: dict[str, Any]) -> dict[str, Any]:
        search = filters.get("search")
        needle = search.casefold() if isinstance(search, str) else None
        text = None if needle is None else (
            lambda row: needle in f"{row['fullname']} {row['shortname']}".casefold())
        scope = None if not caller.bound_to_tenant else (
            lambda row: self.categories.tenant_of_course(row) == caller.tenantid)
        exact = exact_filter(filters, ("categoryid", "shortname", "idnumber", "visible"))
        with self.store.lock:
            return listing(self.courses, "courses", self.view_course, both(exact, text, scope),
                           page=page, perpage=perpage, sort=sort, order=order)

    def create_course(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            row = {**COURSE_DEFAULTS, **data}
            self._check_course(caller, row)
            now = self.store.now()
            row.update(timecreated=now, timemodified=now,
                       customfields=self.fields.merge_course_fields([], data.get("customfields", [])))
            try:
                self.courses.insert(row)
            except UniqueViolation as exc:
                raise _conflict(exc, row) from None
            return self.view_course(row)

    def create_courses(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        """POST /courses: each item answered as POST /course would answer it (201 or its error)."""
        return run_bulk(self.store.lock, items, lambda item: (201, self.create_course(caller, item)),
                        [self.courses], atomic=atomic)

    def update_course(self, caller: Caller, course_id: int, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            row = self.visible_course(caller, course_id)
            changes = dict(data)
            readonly_changes(row, changes, COURSE_READONLY)
            self._check_course(caller, {**row, **changes})
            if "customfields" in changes:
                changes["customfields"] = self.fields.merge_course_fields(row["customfields"], changes["customfields"])
            changes["timemodified"] = self.store.now()
            try:
                row = self.courses.update(course_id, changes)
            except UniqueViolation as exc:
                raise _conflict(exc, {**row, **changes}) from None
            return self.view_course(row)

    def delete_course(self, caller: Caller, course_id: int) -> None:
        """The course goes, and with it what only exists inside it (`contents`)."""
        with self.store.lock:
            self.visible_course(caller, course_id)
            self.courses.delete(course_id)
            for contents in self.contents:
                contents.forget_course(course_id)

    def _check_course(self, caller: Caller, row: Row) -> None:
        category = self.categories.get(row["categoryid"])
        if category is None:
            raise bad_request("invalidcategory", f"Category with id {row['categoryid']} does not exist", "categoryid")
        caller.check_sees(category["tenantid"])
        if row["enddate"] and row["enddate"] < row["startdate"]:
            raise bad_request("enddatebeforestartdate", "The course end date must be after the start date.", "enddate")


def _conflict(exc: UniqueViolation, row: Row) -> MockError:
    if exc.index == "shortname":
        return MockError(ErrorKind.CONFLICT, f"Short name is already used for another course ({row['shortname']})",
                         code="shortnametaken")
    return MockError(ErrorKind.CONFLICT, f"ID number is already used for another course ({row['idnumber']})",
                     code="courseidnumbertaken")
