"""Courses, their modules, and users' course results (litmos.md §4.1, §4.2).

`CoursesMixin` is one part of `LitmosBackend` (backend.py). An assignment (`enrolments` row) is a
user's result for a course; `module_results` hold the modules that user has completed.
`PercentageComplete` is the share of the course's modules completed; completing the last one
completes the course. Dates are kept as epoch milliseconds and written as `WcfDate`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ....core.clock import Clock
from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table
from ..dates import WcfDate
from ..money import Money
from .search import USER_FIELDS, matches

COURSE_ORDER = ("Id", "Code", "Name", "Active", "ForSale", "OriginalId", "Description", "EcommerceShortDescription",
                "EcommerceLongDescription", "CourseCodeForBulkImport", "Price", "AccessTillDate", "AccessTillDays")
MODULE_ORDER = ("Id", "Code", "Name", "Description")
USER_COURSE_ORDER = ("Id", "Code", "Name", "Active", "Complete", "PercentageComplete", "AssignedDate", "StartDate",
                     "DateCompleted", "UpToDate", "Overdue", "CompliantTill", "IsLearningPath", "CourseCreatedDate",
                     "CourseCreator", "OriginalId", "ResultId", "AccessTillDate")
USER_COURSE_DETAIL_ORDER = ("Id", "Code", "Name", "Active", "Complete", "PercentageComplete", "AssignedDate",
                            "StartDate", "DateCompleted", "UpToDate", "Overdue", "CourseDueDate", "OriginalId",
                            "AccessTillDate", "ResultId", "Modules")
MODULE_RESULT_ORDER = ("Id", "Code", "Name", "Passmark", "Score", "Completed", "LastUpdated", "Attempt", "OriginalId",
                       "ResultId")
COURSE_USER_ORDER = ("Id", "UserName", "FirstName", "LastName", "Completed", "PercentageComplete", "CompliantTill",
                     "DueDate", "AccessTillDate")
RESULT_ID_BASE = 9581000


def course_message(course_id: str) -> str:
    return f"The course {course_id} does not exist."


def _date(ms: int | None) -> WcfDate | None:
    return None if ms is None else WcfDate(ms)


class CoursesMixin:
    """The course calls; `LitmosBackend` provides the tables, the lock, the clock and ids."""

    courses: Table
    modules: Table
    enrolments: Table
    module_results: Table
    users: Table
    lock: threading.RLock
    clock: Clock
    _next_result_id: Callable[[], int]
    full: Callable[[Row, str], dict[str, Any]]
    _award: Callable[[str, Row, int], None]
    _guard_path_course: Callable[[str, str], None]

    # -- lookups -------------------------------------------------------------------------------
    def _course(self, course_id: str) -> Row:
        row = self.courses.find("Id", course_id)
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
        return row

    def _user_row(self, user_id: str) -> Row:
        row = self.users.find("Id", user_id)
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, f"User - {user_id} was not found")
        return row

    def _course_modules(self, course_id: str) -> list[Row]:
        return sorted(self.modules.select(lambda r: r["CourseId"] == course_id), key=lambda r: r["Position"])

    def _enrolment(self, user_id: str, course_id: str) -> Row | None:
        return self.enrolments.find("pair", (user_id, course_id))

    def _done(self, user_id: str, course_id: str) -> dict[str, Row]:
        """Module Id -> completed module result of this user in this course."""
        return {r["ModuleId"]: r for r in self.module_results.select(
            lambda r: r["UserId"] == user_id and r["CourseId"] == course_id)}

    def _percentage(self, user_id: str, course_id: str) -> float:
        total = len(self._course_modules(course_id))
        return 0.0 if total == 0 else 100.0 * len(self._done(user_id, course_id)) / total

    # -- views ---------------------------------------------------------------------------------
    @staticmethod
    def course_view(row: Row) -> dict[str, Any]:
        view = {**row, "CourseCodeForBulkImport": f"{row['OriginalId']}-{row['Code']}", "Price": Money(row["Price"]),
                "AccessTillDate": _date(row.get("AccessTillDate"))}  # set by a course import only
        return {name: view[name] for name in COURSE_ORDER}

    def _result_view(self, enrolment: Row, course: Row, order: tuple[str, ...]) -> dict[str, Any]:
        complete = enrolment["DateCompleted"] is not None
        view = {
            **course, "Complete": complete,
            "PercentageComplete": Money(self._percentage(enrolment["UserId"], course["Id"])),
            "AssignedDate": _date(enrolment["AssignedDate"]), "StartDate": _date(enrolment["StartDate"]),
            "DateCompleted": _date(enrolment["DateCompleted"]), "UpToDate": complete, "Overdue": False,
            "CompliantTill": None, "IsLearningPath": False, "CourseCreatedDate": _date(course["CreatedDate"]),
            "CourseCreator": course["CreatedBy"], "ResultId": str(enrolment["ResultId"]), "AccessTillDate": None,
            "CourseDueDate": None,
        }
        return {name: view[name] for name in order if name != "Modules"}

    # -- courses -------------------------------------------------------------------------------
    def list_courses(self, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.courses.select(matches(search, ("Name", "Code")), order="Name")
            return [self.course_view(r) for r in rows[start:start + limit]]

    def get_course(self, course_id: str) -> dict[str, Any]:
        with self.lock:
            return self.course_view(self._course(course_id))

    def list_course_modules(self, course_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self.lock:
            self._course(course_id)
            rows = list(filter(matches(search), self._course_modules(course_id)))
            return [{name: r[name] for name in MODULE_ORDER} for r in rows[start:start + limit]]

    def list_course_users(self, course_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Users assigned the course, by first name, with their result."""
        with self.lock:
            self._course(course_id)
            assigned = {e["UserId"]: e for e in self.enrolments.select(lambda r: r["CourseId"] == course_id)}
            found = matches(search, USER_FIELDS)
            rows = self.users.select(lambda r: r["Id"] in assigned and found(r), order="FirstName")
            out = []
            for user in rows[start:start + limit]:
                enrolment = assigned[user["Id"]]
                out.append({**{k: user[k] for k in ("Id", "UserName", "FirstName", "LastName")},
                            "Completed": enrolment["DateCompleted"] is not None,
                            "PercentageComplete": Money(self._percentage(user["Id"], course_id)),
                            "CompliantTill": None, "DueDate": None, "AccessTillDate": None})
            return out

    # -- user courses --------------------------------------------------------------------------
    def list_user_courses(self, user_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self.lock:
            self._user_row(user_id)
            named = matches(search)
            pairs = [(e, self.courses.find("Id", e["CourseId"]))
                     for e in self.enrolments.select(lambda r: r["UserId"] == user_id)]
            pairs = [(e, c) for e, c in pairs if c is not None and named(c)]
            pairs.sort(key=lambda pair: (pair[1]["Name"].casefold(), pair[0]["id"]))
            return [self._result_view(e, c, USER_COURSE_ORDER) for e, c in pairs[start:start + limit]]

    def assign_courses(self, user_id: str, course_ids: list[str]) -> None:
        """Unknown courses and courses already assigned are skipped silently."""
        with self.lock:
            self._user_row(user_id)
            now = int(self.clock.now() * 1000)
            for course_id in course_ids:
                if self.courses.find("Id", course_id) is not None and self._enrolment(user_id, course_id) is None:
                    self.enrolments.insert({"UserId": user_id, "CourseId": course_id, "ResultId": self._next_result_id(),
                                            "AssignedDate": now, "StartDate": None, "DateCompleted": None})

    def get_user_course(self, user_id: str, course_id: str) -> dict[str, Any]:
        """The course result with one entry per module (completed or not)."""
        with self.lock:
            self._user_row(user_id)
            course = self._course(course_id)
            enrolment = self._enrolment(user_id, course_id)
            if enrolment is None:
                raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
            view = self._result_view(enrolment, course, USER_COURSE_DETAIL_ORDER)
            done = self._done(user_id, course_id)
            modules = []
            for module in self._course_modules(course_id):
                result = done.get(module["Id"])
                modules.append({
                    "Id": module["Id"], "Code": module["Code"], "Name": module["Name"],
                    "Passmark": module["Passmark"], "Score": result["Score"] if result else 0,
                    "Completed": result is not None, "LastUpdated": _date(result["LastUpdated"]) if result else None,
                    "Attempt": result["Attempt"] if result else 0, "OriginalId": module["OriginalId"],
                    "ResultId": str(result["ResultId"]) if result else "0",
                })
            return {**view, "Modules": modules}

    def remove_user_course(self, user_id: str, course_id: str) -> None:
        """The result and its module results go; 406 while a learning path of the user holds the course."""
        with self.lock:
            enrolment = self._assignment(user_id, course_id)
            self._guard_path_course(user_id, course_id)
            self._clear_results(user_id, course_id)
            self.enrolments.delete(enrolment["id"])

    def reset_user_course(self, user_id: str, course_id: str) -> None:
        """Back to incomplete and 0%: module results go, the assignment stays."""
        with self.lock:
            enrolment = self._assignment(user_id, course_id)
            self._clear_results(user_id, course_id)
            self.enrolments.update(enrolment["id"], {"StartDate": None, "DateCompleted": None})

    def _assignment(self, user_id: str, course_id: str) -> Row:
        """The user's assignment to the course; 404 for an unknown user, course or assignment."""
        self._user_row(user_id)
        self._course(course_id)
        enrolment = self._enrolment(user_id, course_id)
        if enrolment is None:
            raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
        return enrolment

    def _clear_results(self, user_id: str, course_id: str) -> None:
        for result in self._done(user_id, course_id).values():
            self.module_results.delete(result["id"])

    def _forget_results(self, user_id: str) -> None:
        for table in (self.enrolments, self.module_results):
            for row in table.select(lambda r: r["UserId"] == user_id):
                table.delete(row["id"])

    # -- module results ------------------------------------------------------------------------
    def mark_module(self, module_id: str, data: dict[str, Any], updated_ms: int | None) -> None:
        """PUT /results/modules/{id}: record (or withdraw) a user's completion of one module.

        The module must belong to `CourseId` and the user must have that course. Completing the
        last module completes the course at `UpdatedAt`; withdrawing one makes it incomplete.
        """
        with self.lock:
            module = self.modules.find("Id", module_id)
            if module is None:
                raise MockError(ErrorKind.NOT_FOUND, f"The module {module_id} does not exist.")
            user_id, course_id = data["UserId"], data["CourseId"]
            self._user_row(user_id)
            self._course(course_id)
            if module["CourseId"] != course_id:
                raise MockError(ErrorKind.NOT_FOUND, f"The module {module_id} does not exist.")
            enrolment = self._enrolment(user_id, course_id)
            if enrolment is None:
                raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
            when = updated_ms if updated_ms is not None else int(self.clock.now() * 1000)
            existing = self.module_results.find("pair", (user_id, module_id))
            if data.get("Completed", True):
                values = {"Score": data.get("Score", existing["Score"] if existing else 0), "LastUpdated": when,
                          "Attempt": data.get("Attempts", (existing["Attempt"] if existing else 0) + 1)}
                if existing is None:
                    self.module_results.insert({"UserId": user_id, "CourseId": course_id, "ModuleId": module_id,
                                                "Completed": True, "ResultId": self._next_result_id(), **values})
                else:
                    self.module_results.update(existing["id"], values)
            elif existing is not None:
                self.module_results.delete(existing["id"])
            complete = len(self._done(user_id, course_id)) == len(self._course_modules(course_id))
            if complete and enrolment["DateCompleted"] is None:
                self._award(user_id, self._course(course_id), when)
            self.enrolments.update(enrolment["id"], {
                "StartDate": enrolment["StartDate"] if enrolment["StartDate"] is not None else when,
                "DateCompleted": (enrolment["DateCompleted"] or when) if complete else None,
            })

    # -- results since a date ------------------------------------------------------------------
    def results_details(self, *, since_ms: int, start: int, limit: int, login_base: str) -> list[dict[str, Any]]:
        """Every course result updated at or after `since_ms`, oldest change first (§4.3)."""
        with self.lock:
            found = []
            for enrolment in self.enrolments.rows():
                done = self._done(enrolment["UserId"], enrolment["CourseId"])
                updated = max([enrolment["AssignedDate"], enrolment["DateCompleted"] or 0,
                               *(r["LastUpdated"] or 0 for r in done.values())])
                if updated >= since_ms:
                    found.append((updated, enrolment["id"], enrolment))
            found.sort(key=lambda item: (item[0], item[1]))
            out = []
            for updated, _, enrolment in found[start:start + limit]:
                user = self.users.find("Id", enrolment["UserId"])
                course = self.courses.find("Id", enrolment["CourseId"])
                if user is None or course is None:
                    continue
                complete = enrolment["DateCompleted"] is not None
                out.append({
                    "Id": user["Id"], "UserOriginalId": user["OriginalId"], "UserName": user["UserName"],
                    "FirstName": user["FirstName"], "LastName": user["LastName"], "Active": user["Active"],
                    "Email": user["Email"], "AccessLevel": user["AccessLevel"], "LoginKey": self.full(user, login_base)["LoginKey"],
                    "CourseId": course["Id"], "CourseOriginalId": course["OriginalId"], "UpdatedDate": WcfDate(updated),
                    "Code": course["Code"], "CourseName": course["Name"], "Completed": complete,
                    "PercentageComplete": Money(self._percentage(user["Id"], course["Id"])),
                    "CompletedDate": _date(enrolment["DateCompleted"]), "UpToDate": complete, "Overdue": False,
                    "CompliantTillDate": None,
                })
            return out

    # -- several users at once -----------------------------------------------------------------
    def courses_of_users(self, user_ids: list[str]) -> list[dict[str, Any]]:
        """POST /users/courses: each known user (in request order, once) with its course results."""
        with self.lock:
            out, seen = [], set()
            for user_id in user_ids:
                user = self.users.find("Id", user_id)
                if user is None or user_id in seen:
                    continue
                seen.add(user_id)
                out.append({**{k: user[k] for k in ("Id", "UserName", "FirstName", "LastName")},
                            "Courses": self.list_user_courses(user_id, start=0, limit=1000, search=None)})
            return out
