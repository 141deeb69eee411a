"""Users' course results: assignments, module completions, and what follows a course completion.

An assignment (`enrolments` row) is a user's result for a course; `module_results` hold the
modules that user has completed. `PercentageComplete` is the share of the course's modules
completed (progress.py); completing the last one completes the course, which awards its
achievement and its gamification reward. A course of a learning path the user holds cannot be
taken away from the user (406).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.store import Row, Table, Unique
from ..dates import WcfDate, parse_user_style, wcf_date
from ..money import Money
from .achievements import Achievements
from .courses import course_message, course_row
from .gamification import Gamification
from .progress import Progress
from .search import matches
from .sso import SingleSignOn
from .state import Shared
from .users import user_row

ENROLMENT_FIELDS = ("id", "UserId", "CourseId", "ResultId", "AssignedDate", "StartDate", "DateCompleted")
MODULE_RESULT_FIELDS = ("id", "UserId", "CourseId", "ModuleId", "Score", "Completed", "LastUpdated", "Attempt",
                        "ResultId")
RESULT_ID_BASE = 9581000  # ResultIds, of assignments and module results alike, are above it
MAX_USERS = 25  # users one POST /users/courses may send
MSG_TOO_MANY = f"No more than {MAX_USERS} users can be sent in one request."


def result_tables() -> tuple[Table, Table]:
    """The assignments (one per user and course) and the completed modules (one per user and module)."""
    enrolments = Table("enrolments", unique=[Unique("pair", lambda r: (r["UserId"], r["CourseId"]))],
                       fields=ENROLMENT_FIELDS)
    module_results = Table("module_results", unique=[Unique("pair", lambda r: (r["UserId"], r["ModuleId"]))],
                           fields=MODULE_RESULT_FIELDS)
    return enrolments, module_results


def course_in_path(course_id: str, user_id: str) -> str:
    return (f"The course - {course_id} can't be removed from {user_id} because it is part of a learning path. Remove "
            "the user from the learning path or remove the course from the learning path.")


class Results:
    """The user course calls, under the backend's lock; a completion goes on to `achievements`,
    then `gamification`."""

    def __init__(self, shared: Shared, *, enrolments: Table, module_results: Table, users: Table, courses: Table,
                 modules: Table, path_users: Table, path_courses: Table, progress: Progress,
                 achievements: Achievements, gamification: Gamification, sso: SingleSignOn) -> None:
        self._shared = shared
        self.enrolments = enrolments
        self.module_results = module_results
        self._users = users
        self._courses = courses
        self._modules = modules
        self._path_users = path_users
        self._path_courses = path_courses
        self._progress = progress
        self._achievements = achievements
        self._gamification = gamification
        self._sso = sso
        self._result_id_high: int | None = None

    # -- seed and ids --------------------------------------------------------------------------
    def load(self, seed_enrolments: list[dict[str, Any]]) -> None:
        """The seeded assignments with the modules they completed, a day apart; a fully completed
        one completes its course (and awards what a completion awards)."""
        for seed in seed_enrolments:
            user = self._users.find("UserName", seed["UserName"].casefold())
            course = self._courses.find("Code", seed["CourseCode"].casefold())
            assigned = int(parse_user_style(seed["AssignedDate"]) * 1000)
            enrolment = self.enrolments.insert({
                "UserId": user["Id"], "CourseId": course["Id"], "ResultId": self._next_result_id(),
                "AssignedDate": assigned, "StartDate": None, "DateCompleted": None})
            modules = {m["Code"]: m for m in self._progress.course_modules(course["Id"])}
            done_at = assigned
            for step, code in enumerate(seed.get("CompletedModules", []), start=1):
                done_at = assigned + step * 86_400_000
                self.module_results.insert({
                    "UserId": user["Id"], "CourseId": course["Id"], "ModuleId": modules[code]["Id"], "Score": 100,
                    "Completed": True, "LastUpdated": done_at, "Attempt": 1, "ResultId": self._next_result_id()})
            if seed.get("CompletedModules"):
                complete = len(seed["CompletedModules"]) == len(modules)
                self.enrolments.update(enrolment["id"], {"StartDate": assigned + 3_600_000,
                                                         "DateCompleted": done_at if complete else None})
                if complete:
                    self._completed(user["Id"], course, done_at)

    def _next_result_id(self) -> int:
        """Result ids: increasing integers over assignments and module results together (the
        highest is remembered, so a seed of thousands of results is not rescanned per result)."""
        if self._result_id_high is None:
            used = [row["ResultId"] for table in (self.enrolments, self.module_results) for row in table.rows()]
            self._result_id_high = max([RESULT_ID_BASE, *used])
        self._result_id_high += self._shared.ids.randint(1, 9)
        return self._result_id_high

    def tables_replaced(self) -> None:
        """After a state import: the highest ResultId is read from the new rows on next use."""
        self._result_id_high = None

    def _completed(self, user_id: str, course: Row, when_ms: int) -> None:
        """A course result just became complete (before the result records it)."""
        self._achievements.course_completed(user_id, course, when_ms)
        self._gamification.course_completed(user_id, course, when_ms)

    # -- views ---------------------------------------------------------------------------------
    def _result_view(self, enrolment: Row, course: Row) -> dict[str, Any]:
        """A user's result for a course, for both the list and the one-course answer (their schemas pick)."""
        complete = enrolment["DateCompleted"] is not None
        return {
            **course, "Complete": complete,
            "PercentageComplete": Money(self._progress.percentage(enrolment["UserId"], course["Id"])),
            "AssignedDate": wcf_date(enrolment["AssignedDate"]), "StartDate": wcf_date(enrolment["StartDate"]),
            "DateCompleted": wcf_date(enrolment["DateCompleted"]), "UpToDate": complete, "Overdue": False,
            "CompliantTill": None, "IsLearningPath": False, "CourseCreatedDate": wcf_date(course["CreatedDate"]),
            "CourseCreator": course["CreatedBy"], "ResultId": str(enrolment["ResultId"]), "AccessTillDate": None,
            "CourseDueDate": None,
        }

    # -- a user's courses ----------------------------------------------------------------------
    def list_user_courses(self, user_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self._shared.lock:
            user_row(self._users, user_id)
            named = matches(search)
            pairs = [(e, self._courses.find("Id", e["CourseId"]))
                     for e in self.enrolments.select(lambda r: r["UserId"] == user_id)]
            found = [(e, c) for e, c in pairs if c is not None and named(c)]
            found.sort(key=lambda pair: (pair[1]["Name"].casefold(), pair[0]["id"]))
            return [self._result_view(e, c) for e, c in found[start:start + limit]]

    def assign_courses(self, user_id: str, course_ids: list[str]) -> None:
        """Unknown courses and courses already assigned are skipped silently."""
        with self._shared.lock:
            user_row(self._users, user_id)
            now = self._shared.now_ms()
            for course_id in course_ids:
                known = self._courses.find("Id", course_id) is not None
                if known and self._progress.enrolment(user_id, course_id) is None:
                    self.enrolments.insert({"UserId": user_id, "CourseId": course_id,
                                            "ResultId": self._next_result_id(), "AssignedDate": now, "StartDate": None,
                                            "DateCompleted": None})

    def get_user_course(self, user_id: str, course_id: str) -> dict[str, Any]:
        """The course result with one entry per module (completed or not)."""
        with self._shared.lock:
            user_row(self._users, user_id)
            course = course_row(self._courses, course_id)
            enrolment = self._progress.enrolment(user_id, course_id)
            if enrolment is None:
                raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
            view = self._result_view(enrolment, course)
            done = self._progress.done(user_id, course_id)
            modules = []
            for module in self._progress.course_modules(course_id):
                result = done.get(module["Id"])
                modules.append({
                    "Id": module["Id"], "Code": module["Code"], "Name": module["Name"],
                    "Passmark": module["Passmark"], "Score": result["Score"] if result else 0,
                    "Completed": result is not None, "LastUpdated": wcf_date(result["LastUpdated"]) if result else None,
                    "Attempt": result["Attempt"] if result else 0, "OriginalId": module["OriginalId"],
                    "ResultId": str(result["ResultId"]) if result else "0",
                })
            return {**view, "Modules": modules}

    def remove_user_course(self, user_id: str, course_id: str) -> None:
        """The result and its module results go; 406 while a learning path of the user holds the course."""
        with self._shared.lock:
            enrolment = self._assignment(user_id, course_id)
            self._guard_path_course(user_id, course_id)
            self._clear_results(user_id, course_id)
            self.enrolments.delete(enrolment["id"])

    def reset_user_course(self, user_id: str, course_id: str) -> None:
        """Back to incomplete and 0%: module results go, the assignment stays."""
        with self._shared.lock:
            enrolment = self._assignment(user_id, course_id)
            self._clear_results(user_id, course_id)
            self.enrolments.update(enrolment["id"], {"StartDate": None, "DateCompleted": None})

    def _assignment(self, user_id: str, course_id: str) -> Row:
        """The user's assignment to the course; 404 for an unknown user, course or assignment."""
        user_row(self._users, user_id)
        course_row(self._courses, course_id)
        enrolment = self._progress.enrolment(user_id, course_id)
        if enrolment is None:
            raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
        return enrolment

    def _guard_path_course(self, user_id: str, course_id: str) -> None:
        """406 when `course_id` belongs to a learning path the user holds."""
        held = {a["LearningPathId"] for a in self._path_users.select(lambda r: r["UserId"] == user_id)}
        if any(self._path_courses.find("pair", (p, course_id)) is not None for p in held):
            raise MockError(ErrorKind.NOT_ACCEPTABLE, course_in_path(course_id, user_id), extra={"litmos": True})

    def _clear_results(self, user_id: str, course_id: str) -> None:
        for result in self._progress.done(user_id, course_id).values():
            self.module_results.delete(result["id"])

    def forget_user(self, user_id: str) -> None:
        for table in (self.enrolments, self.module_results):
            for row in table.select(lambda r: r["UserId"] == user_id):
                table.delete(row["id"])

    # -- module results ------------------------------------------------------------------------
    def mark_module(self, module_id: str, data: dict[str, Any], updated_ms: int | None) -> None:
        """PUT /results/modules/{id}: record (or withdraw) a user's completion of one module.

        The module must belong to `CourseId` and the user must have that course. Completing the
        last module completes the course at `UpdatedAt`; withdrawing one makes it incomplete.
        """
        with self._shared.lock:
            module = self._modules.find("Id", module_id)
            if module is None:
                raise MockError(ErrorKind.NOT_FOUND, f"The module {module_id} does not exist.")
            user_id, course_id = data["UserId"], data["CourseId"]
            user_row(self._users, user_id)
            course_row(self._courses, course_id)
            if module["CourseId"] != course_id:
                raise MockError(ErrorKind.NOT_FOUND, f"The module {module_id} does not exist.")
            enrolment = self._progress.enrolment(user_id, course_id)
            if enrolment is None:
                raise MockError(ErrorKind.NOT_FOUND, course_message(course_id))
            when = updated_ms if updated_ms is not None else self._shared.now_ms()
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
            complete = len(self._progress.done(user_id, course_id)) == len(self._progress.course_modules(course_id))
            if complete and enrolment["DateCompleted"] is None:
                self._completed(user_id, course_row(self._courses, course_id), when)
            self.enrolments.update(enrolment["id"], {
                "StartDate": enrolment["StartDate"] if enrolment["StartDate"] is not None else when,
                "DateCompleted": (enrolment["DateCompleted"] or when) if complete else None,
            })

    # -- results since a date ------------------------------------------------------------------
    def results_details(self, *, since_ms: int, start: int, limit: int, login_base: str) -> list[dict[str, Any]]:
        """Every course result updated at or after `since_ms`, oldest change first."""
        with self._shared.lock:
            found = []
            for enrolment in self.enrolments.rows():
                done = self._progress.done(enrolment["UserId"], enrolment["CourseId"])
                updated = max([enrolment["AssignedDate"], enrolment["DateCompleted"] or 0,
                               *(r["LastUpdated"] or 0 for r in done.values())])
                if updated >= since_ms:
                    found.append((updated, enrolment["id"], enrolment))
            found.sort(key=lambda item: (item[0], item[1]))
            out = []
            for updated, _, enrolment in found[start:start + limit]:
                user = self._users.find("Id", enrolment["UserId"])
                course = self._courses.find("Id", enrolment["CourseId"])
                if user is None or course is None:
                    continue
                complete = enrolment["DateCompleted"] is not None
                out.append({
                    "Id": user["Id"], "UserOriginalId": user["OriginalId"], "UserName": user["UserName"],
                    "FirstName": user["FirstName"], "LastName": user["LastName"], "Active": user["Active"],
                    "Email": user["Email"], "AccessLevel": user["AccessLevel"],
                    "LoginKey": self._sso.login_url(user["Id"], login_base),
                    "CourseId": course["Id"], "CourseOriginalId": course["OriginalId"], "UpdatedDate": WcfDate(updated),
                    "Code": course["Code"], "CourseName": course["Name"], "Completed": complete,
                    "PercentageComplete": Money(self._progress.percentage(user["Id"], course["Id"])),
                    "CompletedDate": wcf_date(enrolment["DateCompleted"]), "UpToDate": complete, "Overdue": False,
                    "CompliantTillDate": None,
                })
            return out

    # -- several users at once -----------------------------------------------------------------
    def courses_of_users(self, user_ids: list[str], *, sent: int) -> list[dict[str, Any]]:
        """POST /users/courses: each known user (in request order, once) with its course results;
        406 when more than `MAX_USERS` users were `sent`, whether or not they name a user."""
        if sent > MAX_USERS:
            raise MockError(ErrorKind.NOT_ACCEPTABLE, MSG_TOO_MANY, extra={"litmos": True})
        with self._shared.lock:
            out, seen = [], set()
            for user_id in user_ids:
                user = self._users.find("Id", user_id)
                if user is None or user_id in seen:
                    continue
                seen.add(user_id)
                out.append({**{k: user[k] for k in ("Id", "UserName", "FirstName", "LastName")},
                            "Courses": self.list_user_courses(user_id, start=0, limit=1000, search=None)})
            return out


def check_seed_enrolments(path: Path, data: dict[str, Any], users: dict[str, int],
                          modules: dict[str, set[str]]) -> None:
    """Enrolments name seeded users, courses and modules of the course, once per user and course:
    else FixtureError."""
    pairs: set[tuple[str, str]] = set()
    for index, enrolment in enumerate(data.get("enrolments", [])):
        label = f"enrolments[{index}] ({enrolment['UserName']}, {enrolment['CourseCode']})"
        user, code = enrolment["UserName"].casefold(), enrolment["CourseCode"].casefold()
        if user not in users:
            raise FixtureError(path, label, "UserName", f"no seeded user {enrolment['UserName']!r}")
        if code not in modules:
            raise FixtureError(path, label, "CourseCode", f"no seeded course {enrolment['CourseCode']!r}")
        if (user, code) in pairs:
            raise FixtureError(path, label, "CourseCode", "assigned twice")
        pairs.add((user, code))
        unknown = set(enrolment.get("CompletedModules", [])) - modules[code]
        if unknown:
            raise FixtureError(path, label, "CompletedModules", f"not modules of the course: {sorted(unknown)}")
