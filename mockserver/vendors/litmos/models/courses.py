"""Courses and their modules: the catalogue the course results, learning paths and ILT build on.

A course's `CourseCodeForBulkImport` is `{OriginalId}-{Code}`; its modules keep the order the seed
gives them (`Position`). Dates are kept as epoch milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.store import Row, Table, Unique, casefold_key, exact_key
from ..dates import parse_user_style, wcf_date
from ..money import Money
from .progress import Progress
from .search import USER_FIELDS, matches
from .state import Shared, sort_key

COURSE_FIELDS = ("id", "Id", "OriginalId", "Code", "Name", "Active", "ForSale", "Description",
                 "EcommerceShortDescription", "EcommerceLongDescription", "Price", "AccessTillDays", "CreatedDate",
                 "CreatedBy")
MODULE_FIELDS = ("id", "Id", "OriginalId", "CourseId", "Code", "Name", "Description", "Passmark", "Position")


def course_tables() -> tuple[Table, Table]:
    """The courses (codes unique in any letter case) and their modules."""
    courses = Table("courses", unique=[Unique("Id", exact_key("Id")), Unique("Code", casefold_key("Code"))],
                    orders={"Name": sort_key("Name"), "OriginalId": sort_key("OriginalId")}, fields=COURSE_FIELDS)
    modules = Table("modules", unique=[Unique("Id", exact_key("Id"))], orders={"OriginalId": sort_key("OriginalId")},
                    fields=MODULE_FIELDS)
    return courses, modules


def course_message(course_id: str) -> str:
    return f"The course {course_id} does not exist."


def course_code(row: Row) -> str:
    """`{OriginalId}-{Code}`: the course's code for bulk imports (`CourseCodeForBulkImport`)."""
    return f"{row['OriginalId']}-{row['Code']}"


def course_view(row: Row) -> dict[str, Any]:
    """A course's members as the course lists show them (the answer's schema picks which)."""
    return {**row, "CourseCodeForBulkImport": course_code(row), "Price": Money(row["Price"]),
            "AccessTillDate": wcf_date(row.get("AccessTillDate"))}  # set by a course import only


def course_row(courses: Table, course_id: str) -> Row:
    """The course with this Id; 404 `The course {id} does not exist.` otherwise."""
    row = courses.find("Id", course_id)
    if row is None:
        raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
    return row


class Courses:
    """The course catalogue calls, under the backend's lock."""

    def __init__(self, shared: Shared, *, courses: Table, modules: Table, users: Table, enrolments: Table,
                 progress: Progress) -> None:
        self._shared = shared
        self.table = courses
        self.modules = modules
        self._users = users
        self._enrolments = enrolments
        self._progress = progress

    def load(self, seed_courses: list[dict[str, Any]]) -> None:
        """The seeded courses in file order, each followed by its modules."""
        for seed in seed_courses:
            token, original = self._shared.new_ids(self.table)
            self.table.insert({
                "Id": token, "OriginalId": original, "Code": seed["Code"], "Name": seed["Name"],
                "Active": seed.get("Active", True), "ForSale": seed.get("ForSale", False),
                "Description": seed.get("Description", ""), "EcommerceShortDescription": "",
                "EcommerceLongDescription": "", "Price": float(seed.get("Price", 0)), "AccessTillDays": None,
                "CreatedDate": int(parse_user_style(seed["CreatedDate"]) * 1000),
                "CreatedBy": seed.get("CreatedBy", ""),
            })
            for position, module in enumerate(seed.get("Modules", [])):
                module_token, module_original = self._shared.new_ids(self.modules)
                self.modules.insert({
                    "Id": module_token, "OriginalId": module_original, "CourseId": token, "Code": module["Code"],
                    "Name": module["Name"], "Description": module.get("Description", ""),
                    "Passmark": module.get("Passmark", 0), "Position": position, "ILT": module.get("ILT", False),
                })

    def list_courses(self, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self._shared.lock:
            rows = self.table.select(matches(search, ("Name", "Code")), order="Name")
            return [course_view(r) for r in rows[start:start + limit]]

    def get_course(self, course_id: str) -> dict[str, Any]:
        with self._shared.lock:
            return course_view(course_row(self.table, course_id))

    def list_course_modules(self, course_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self._shared.lock:
            course_row(self.table, course_id)
            rows = list(filter(matches(search), self._progress.course_modules(course_id)))
            return [dict(r) for r in rows[start:start + limit]]

    def list_course_users(self, course_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Users assigned the course, by first name, with their result."""
        with self._shared.lock:
            course_row(self.table, course_id)
            assigned = {e["UserId"]: e for e in self._enrolments.select(lambda r: r["CourseId"] == course_id)}
            found = matches(search, USER_FIELDS)
            rows = self._users.select(lambda r: r["Id"] in assigned and found(r), order="FirstName")
            out = []
            for user in rows[start:start + limit]:
                enrolment = assigned[user["Id"]]
                out.append({**{k: user[k] for k in ("Id", "UserName", "FirstName", "LastName")},
                            "Completed": enrolment["DateCompleted"] is not None,
                            "PercentageComplete": Money(self._progress.percentage(user["Id"], course_id)),
                            "CompliantTill": None, "DueDate": None, "AccessTillDate": None})
            return out


def check_seed_courses(path: Path, data: dict[str, Any]) -> dict[str, set[str]]:
    """Course codes unique, module codes unique per course: else FixtureError. Returns each course
    code (case-folded) with its module codes, for the other checks."""
    modules: dict[str, set[str]] = {}
    for index, course in enumerate(data.get("courses", [])):
        label = f"courses[{index}] ({course['Code']})"
        if course["Code"].casefold() in modules:
            raise FixtureError(path, label, "Code", "duplicates an earlier course")
        codes = [m["Code"] for m in course.get("Modules", [])]
        if len(set(codes)) != len(codes):
            raise FixtureError(path, label, "Modules", "two modules share a code")
        modules[course["Code"].casefold()] = set(codes)
    return modules
