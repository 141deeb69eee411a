"""Courses and their categories (categories are read-only in v1, design §B2)."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique, UniqueViolation, exact_key
from ..errors import bad_request, forbidden, not_found
from .bulk import ItemResult, run_bulk
from .caller import Principal, require
from .paging import both, exact_filter, listing, sort_key
from .readonly import readonly_changes

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
COURSE_FIELDS = ("id", "fullname", "shortname", "idnumber", "categoryid", "summary", "format", "lang", "visible",
                 "startdate", "enddate", "enablecompletion", "customfields", "timecreated", "timemodified")
COURSE_READONLY = ("id", "timecreated", "timemodified")
COURSE_SORTS = ("fullname", "shortname", "idnumber", "categoryid", "startdate", "timecreated", "timemodified")
CATEGORY_FIELDS = ("id", "name", "idnumber", "parent", "description", "visible", "sortorder", "depth", "path",
                   "tenantid")
CATEGORY_SORTS = ("name", "idnumber", "sortorder")


def course_tables() -> tuple[Table, Table]:
    categories = Table("categories", unique=[Unique("idnumber", exact_key("idnumber"))],
                       orders={name: sort_key(name) for name in CATEGORY_SORTS}, fields=CATEGORY_FIELDS)
    courses = Table(
        "courses",
        unique=[Unique("shortname", exact_key("shortname")), Unique("idnumber", exact_key("idnumber"))],
        orders={name: sort_key(name) for name in COURSE_SORTS},
        fields=COURSE_FIELDS,
    )
    return categories, courses


class CoursesMixin:
    """Course and category rules; relies on the backend's tables, clock and lock."""

    categories: Table
    courses: Table

    # -- seed ----------------------------------------------------------------------------------
    def seed_courses(self, categories: list[dict[str, Any]], courses: list[dict[str, Any]], seeded_at: int) -> None:
        for order, record in enumerate(categories, start=1):
            parent = self.categories.get(record.get("parent", 0)) if record.get("parent") else None
            row = {"idnumber": "", "description": "", "visible": True, "parent": 0, "tenantid": None, **record}
            row["depth"] = parent["depth"] + 1 if parent else 1
            row["path"] = f"{parent['path'] if parent else ''}/{row['id']}"
            row["sortorder"] = order * 10000
            self.categories.insert(row)
        for record in courses:
            row = {**COURSE_DEFAULTS, **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.courses.insert(row)

    # -- categories ----------------------------------------------------------------------------
    def view_category(self, row: dict[str, Any]) -> dict[str, Any]:
        view = {name: row[name] for name in CATEGORY_FIELDS}
        view["coursecount"] = sum(1 for course in self.courses.rows() if course["categoryid"] == row["id"])
        return view

    def get_category(self, principal: Principal, category_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            row = self.categories.get(category_id)
            if row is None:
                raise not_found("course_categories")
            if not principal.sees_tenant(row["tenantid"]):
                raise forbidden("moodle/category:viewcourselist")
            return self.view_category(row)

    def list_categories(self, principal: Principal, *, page: int, perpage: int, sort: str, order: str,
                        filters: dict[str, Any]) -> dict[str, Any]:
        scope = None if principal.profile != "tenant" else (lambda row: row["tenantid"] == principal.tenantid)
        predicate = both(exact_filter(filters, ("parent", "idnumber", "visible")), scope)
        with self.lock:  # type: ignore[attr-defined]
            return listing(self.categories, "categories", self.view_category, predicate,
                           page=page, perpage=perpage, sort=sort, order=order)

    # -- courses -------------------------------------------------------------------------------
    @staticmethod
    def view_course(row: dict[str, Any]) -> dict[str, Any]:
        view = {name: row[name] for name in COURSE_FIELDS}
        view["customfields"] = [dict(field) for field in row["customfields"]]
        return view

    def course_tenant(self, row: dict[str, Any]) -> int | None:
        category = self.categories.get(row["categoryid"])
        return category["tenantid"] if category else None

    def visible_course(self, principal: Principal, course_id: int, capability: str = "moodle/course:view") -> dict[str, Any]:
        """A course the token may see: 404 if missing, 403 if it lives in another tenant's category."""
        row = self.courses.get(course_id)
        if row is None:
            raise not_found("course")
        if not principal.sees_tenant(self.course_tenant(row)):
            raise forbidden(capability)
        return row

    def get_course(self, principal: Principal, course_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            return self.view_course(self.visible_course(principal, course_id))

    def list_courses(self, principal: Principal, *, page: int, perpage: int, sort: str, order: str,
                     filters: dict[str, Any]) -> dict[str, Any]:
        search = filters.get("search")
        needle = search.casefold() if isinstance(search, str) else None
        text = None if needle is None else (
            lambda row: needle in f"{row['fullname']} {row['shortname']}".casefold())
        scope = None if principal.profile != "tenant" else (
            lambda row: self.course_tenant(row) == principal.tenantid)
        exact = exact_filter(filters, ("categoryid", "shortname", "idnumber", "visible"))
        with self.lock:  # type: ignore[attr-defined]
            return listing(self.courses, "courses", self.view_course, both(exact, text, scope),
                           page=page, perpage=perpage, sort=sort, order=order)

    def create_course(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, "moodle/course:create")
        with self.lock:  # type: ignore[attr-defined]
            row = {**COURSE_DEFAULTS, **data}
            self._check_course(principal, row, "moodle/course:create")
            now = self.now()  # type: ignore[attr-defined]
            row.update(timecreated=now, timemodified=now,
                       customfields=self.merge_course_fields([], data.get("customfields", [])))  # type: ignore[attr-defined]
            try:
                self.courses.insert(row)
            except UniqueViolation as exc:
                raise _conflict(exc, row) from None
            return self.view_course(row)

    def update_course(self, principal: Principal, course_id: int, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, "moodle/course:update")
        with self.lock:  # type: ignore[attr-defined]
            row = self.visible_course(principal, course_id, "moodle/course:update")
            changes = dict(data)
            readonly_changes(row, changes, COURSE_READONLY)
            self._check_course(principal, {**row, **changes}, "moodle/course:update")
            if "customfields" in changes:
                changes["customfields"] = self.merge_course_fields(row["customfields"], changes["customfields"])  # type: ignore[attr-defined]
            changes["timemodified"] = self.now()  # type: ignore[attr-defined]
            try:
                self.courses.update(course_id, changes)
            except UniqueViolation as exc:
                raise _conflict(exc, {**row, **changes}) from None
            return self.view_course(row)

    def delete_course(self, principal: Principal, course_id: int) -> None:
        require(principal, "moodle/course:delete")
        with self.lock:  # type: ignore[attr-defined]
            self.visible_course(principal, course_id, "moodle/course:delete")
            self.courses.delete(course_id)
            self.forget_course(course_id)

    def forget_course(self, course_id: int) -> None:
        """Remove what only exists inside a course (groups, enrolments, completions) with it."""
        for name in ("group_members", "groups", "enrolments", "course_completions", "activity_completions"):
            table = self.tables.get(name)  # type: ignore[attr-defined]
            if table is None:
                continue
            for row in [r for r in table.rows() if r.get("courseid") == course_id]:
                table.delete(row["id"])

    def create_courses(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        """POST /courses: each item answered as POST /course would answer it (201 or its error)."""
        require(principal, "moodle/course:create")
        return run_bulk(self.lock, items, lambda item: (201, self.create_course(principal, item)),  # type: ignore[attr-defined]
                        [self.courses], atomic=atomic)

    def _check_course(self, principal: Principal, row: dict[str, Any], capability: str) -> None:
        category = self.categories.get(row["categoryid"])
        if category is None:
            raise bad_request("invalidcategory", f"Category with id {row['categoryid']} does not exist", "categoryid")
        if not principal.sees_tenant(category["tenantid"]):
            raise forbidden(capability)
        if row["enddate"] and row["enddate"] < row["startdate"]:
            raise bad_request("enddatebeforestartdate", "The course end date must be after the start date.", "enddate")


def _conflict(exc: UniqueViolation, row: dict[str, Any]) -> MockError:
    if exc.index == "shortname":
        return MockError(ErrorKind.CONFLICT, f"Short name is already used for another course ({row['shortname']})",
                         code="shortnametaken")
    return MockError(ErrorKind.CONFLICT, f"ID number is already used for another course ({row['idnumber']})",
                     code="courseidnumbertaken")

