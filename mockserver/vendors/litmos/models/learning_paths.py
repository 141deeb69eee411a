"""Learning paths: ordered sets of courses assigned to users (litmos.md §6, §10.19).

`LearningPathsMixin` is one part of `LitmosBackend` (backend.py). Assigning a path to a user assigns
its courses too (unknown to the user only), so the path's progress is read from those course
results: `PercentageComplete` is the mean of the courses' percentages, and the path is complete
once every one of its courses is. A course of a path the user holds cannot be taken away from
the user (406); a path the user holds through a team cannot be taken away from the user either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.ids import IdSource
from ....core.store import Row, Table, Unique, casefold_key, exact_key
from ..dates import WcfDate, parse_user_style
from ..money import Money
from .search import USER_FIELDS, matches

PATH_ORDER = ("Id", "Name", "Description", "Active", "OriginalId", "ForSale", "Price", "EcommerceShortDescription",
              "EcommerceLongDescription", "AccessTillDate", "AccessTillDays")
USER_PATH_ORDER = ("Id", "Name", "Active", "OriginalId", "Complete", "PercentageComplete", "AssignedDate",
                   "StartDate", "DateCompleted", "ResultId", "AccessTillDate")
PATH_COURSE_ORDER = ("Id", "Code", "Name", "Description", "Active", "ForSale", "OriginalId", "Price", "EquivalencyId",
                     "EquivalencyGroupName")
PATH_USER_ORDER = ("Id", "UserName", "FirstName", "LastName", "Completed", "PercentageComplete")
PATH_FIELDS = ("id", "Id", "OriginalId", "Name", "Description", "Active", "ForSale", "Price", "AccessTillDays")
PATH_COURSE_FIELDS = ("id", "LearningPathId", "CourseId", "Position")
PATH_USER_FIELDS = ("id", "UserId", "LearningPathId", "ResultId", "AssignedDate")
PATH_ORIGINAL_BASE = 88200
PATH_RESULT_BASE = 7720000
MSG_NO_PATH = "The learning path does not exist."
MSG_NULL_ID = "The LearningPath Id can't be null. Check the body for the proper format."
MSG_NO_VALID = ("The userid does not exist or no valid learning paths were included in the request. Check the body "
                "for the proper format.")


def path_missing(path_id: str) -> str:
    return f"The Learning Path {path_id} does not exist."


def via_team(path_id: str) -> str:
    return (f"The Learning Path {path_id} can't be removed because it was assigned via a Team. Remove the user from "
            "the team or remove the learning path from the team.")


def course_in_path(course_id: str, user_id: str) -> str:
    return (f"The course - {course_id} can't be removed from {user_id} because it is part of a learning path. Remove "
            "the user from the learning path or remove the course from the learning path.")


def _date(ms: int | None) -> WcfDate | None:
    return None if ms is None else WcfDate(ms)


def _name_key(row: Row) -> tuple[str, int]:
    return (row["Name"].casefold(), row["id"])


class LearningPathsMixin:
    """The learning path calls; `LitmosBackend` provides the lock, the clock and the other tables."""

    users: Table
    courses: Table
    enrolments: Table
    team_members: Table
    team_paths: Table
    lock: threading.RLock
    clock: Any
    add_table: Callable[[Table], Table]
    course_view: Callable[[Row], dict[str, Any]]
    assign_courses: Callable[[str, list[str]], None]
    _percentage: Callable[[str, str], float]
    _course: Callable[[str], Row]
    _user_row: Callable[[str], Row]
    _team: Callable[[str], Row]
    _path_assigned: Callable[[str, str, int], None]

    # -- tables and seed -----------------------------------------------------------------------
    def _create_path_tables(self, seed: int) -> None:
        self.path_ids = IdSource(seed, "litmos:learningpaths")
        self.learning_paths = self.add_table(Table(
            "learning_paths", unique=[Unique("Id", exact_key("Id")), Unique("Name", casefold_key("Name"))],
            orders={"Name": _name_key, "OriginalId": lambda r: r["OriginalId"]}, fields=PATH_FIELDS))
        self.path_courses = self.add_table(Table(
            "path_courses", unique=[Unique("pair", lambda r: (r["LearningPathId"], r["CourseId"]))],
            fields=PATH_COURSE_FIELDS))
        self.path_users = self.add_table(Table(
            "path_users", unique=[Unique("pair", lambda r: (r["UserId"], r["LearningPathId"]))],
            fields=PATH_USER_FIELDS))

    def _load_paths(self, seed_paths: list[dict[str, Any]], seed_assignments: list[dict[str, Any]]) -> None:
        """Paths with their courses (by code), then the seeded user assignments (by username)."""
        for seed in seed_paths:
            last = next(self.learning_paths.rows("OriginalId", reverse=True), None)
            row = self.learning_paths.insert({
                "Id": self._path_token(), "OriginalId": (last["OriginalId"] if last else PATH_ORIGINAL_BASE)
                + self.path_ids.randint(1, 9), "Name": seed["Name"], "Description": seed.get("Description", ""),
                "Active": seed.get("Active", True), "ForSale": seed.get("ForSale", False),
                "Price": float(seed.get("Price", 0)), "AccessTillDays": seed.get("AccessTillDays")})
            for position, code in enumerate(seed.get("Courses", [])):
                course = self.courses.find("Code", code.casefold())
                self.path_courses.insert({"LearningPathId": row["Id"], "CourseId": course["Id"], "Position": position})
        for seed in seed_assignments:
            if "UserName" in seed:
                path = self.learning_paths.find("Name", seed["LearningPath"].casefold())
                user = self.users.find("UserName", seed["UserName"].casefold())
                self._give_path(user["Id"], path["Id"], int(parse_user_style(seed["AssignedDate"]) * 1000))

    def _path_token(self) -> str:
        token = self.path_ids.url_token()
        while self.learning_paths.find("Id", token) is not None:
            token = self.path_ids.url_token()
        return token

    # -- lookups -------------------------------------------------------------------------------
    def _path(self, path_id: str, message: str = MSG_NO_PATH) -> Row:
        row = self.learning_paths.find("Id", path_id)
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, message)
        return row

    def _path_course_ids(self, path_id: str) -> list[str]:
        rows = self.path_courses.select(lambda r: r["LearningPathId"] == path_id)
        return [r["CourseId"] for r in sorted(rows, key=lambda r: r["Position"])]

    def _user_paths(self, user_id: str) -> list[Row]:
        return self.path_users.select(lambda r: r["UserId"] == user_id)

    def _paths_through_teams(self, user_id: str) -> set[str]:
        """Ids of the paths assigned to a team the user is a member of now."""
        teams = {m["TeamId"] for m in self.team_members.select(lambda r: r["UserId"] == user_id)}
        return {r["LearningPathId"] for r in self.team_paths.select(lambda r: r["TeamId"] in teams)}

    # -- progress ------------------------------------------------------------------------------
    def path_progress(self, user_id: str, path_id: str) -> dict[str, Any]:
        """Complete, PercentageComplete, StartDate and DateCompleted, read from the course results."""
        results = [self.enrolments.find("pair", (user_id, c)) for c in self._path_course_ids(path_id)]
        if not results:
            return {"Complete": False, "PercentageComplete": Money(0), "StartDate": None, "DateCompleted": None}
        held = [r for r in results if r is not None]
        percentages = [self._percentage(user_id, r["CourseId"]) if r is not None else 0.0 for r in results]
        complete = len(held) == len(results) and all(r["DateCompleted"] is not None for r in held)
        starts = [r["StartDate"] for r in held if r["StartDate"] is not None]
        return {"Complete": complete, "PercentageComplete": Money(sum(percentages) / len(percentages)),
                "StartDate": _date(min(starts)) if starts else None,
                "DateCompleted": _date(max(r["DateCompleted"] for r in held)) if complete else None}

    @staticmethod
    def path_view(row: Row) -> dict[str, Any]:
        view = {**row, "Price": Money(row["Price"]), "EcommerceShortDescription": "",
                "EcommerceLongDescription": "", "AccessTillDate": None}
        return {name: view[name] for name in PATH_ORDER}

    # -- paths ---------------------------------------------------------------------------------
    def list_paths(self, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.learning_paths.select(matches(search), order="Name")
            return [self.path_view(r) for r in rows[start:start + limit]]

    def get_path(self, path_id: str) -> dict[str, Any]:
        with self.lock:
            return self.path_view(self._path(path_id))

    def list_path_courses(self, path_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """The path's courses in path order; `search` over name and code."""
        with self.lock:
            self._path(path_id)
            found = matches(search, ("Name", "Code"))
            out = []
            for course_id in self._path_course_ids(path_id):
                course = self.courses.find("Id", course_id)
                if course is None or not found(course):
                    continue
                view = {**self.course_view(course), "EquivalencyId": 0, "EquivalencyGroupName": ""}
                out.append({name: view[name] for name in PATH_COURSE_ORDER})
            return out[start:start + limit]

    def list_path_users(self, path_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Users holding the path, by first name, with their progress."""
        with self.lock:
            self._path(path_id)
            holders = {r["UserId"] for r in self.path_users.select(lambda r: r["LearningPathId"] == path_id)}
            found = matches(search, USER_FIELDS)
            rows = self.users.select(lambda r: r["Id"] in holders and found(r), order="FirstName")
            out = []
            for user in rows[start:start + limit]:
                progress = self.path_progress(user["Id"], path_id)
                out.append({**{k: user[k] for k in PATH_USER_ORDER[:4]}, "Completed": progress["Complete"],
                            "PercentageComplete": progress["PercentageComplete"]})
            return out

    # -- a user's paths ------------------------------------------------------------------------
    def list_user_paths(self, user_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self.lock:
            self._user_row(user_id)
            named = matches(search)
            pairs = [(a, self.learning_paths.find("Id", a["LearningPathId"])) for a in self._user_paths(user_id)]
            pairs = [(a, p) for a, p in pairs if p is not None and named(p)]
            pairs.sort(key=lambda pair: _name_key(pair[1]))
            out = []
            for assignment, path in pairs[start:start + limit]:
                view = {**path, **self.path_progress(user_id, path["Id"]),
                        "AssignedDate": WcfDate(assignment["AssignedDate"]), "ResultId": str(assignment["ResultId"]),
                        "AccessTillDate": None}
                out.append({name: view[name] for name in USER_PATH_ORDER})
            return out

    def assign_paths(self, user_id: str, path_ids: list[str]) -> None:
        """POST /users/{id}/learningpaths: 404 when the user is unknown or no Id names a path;
        known paths the user lacks are assigned with their courses."""
        with self.lock:
            known = [p for p in path_ids if self.learning_paths.find("Id", p) is not None]
            if self.users.find("Id", user_id) is None or not known:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_VALID)
            now = int(self.clock.now() * 1000)
            for path_id in known:
                self._give_path(user_id, path_id, now)

    def _give_path(self, user_id: str, path_id: str, when_ms: int) -> None:
        """The path and any of its courses the user lacks; a path already held changes nothing."""
        if self.path_users.find("pair", (user_id, path_id)) is not None:
            return
        last = max((r["ResultId"] for r in self.path_users.rows()), default=PATH_RESULT_BASE)
        self.path_users.insert({"UserId": user_id, "LearningPathId": path_id,
                                "ResultId": last + self.path_ids.randint(1, 9), "AssignedDate": when_ms})
        missing = [c for c in self._path_course_ids(path_id) if self.enrolments.find("pair", (user_id, c)) is None]
        if missing:
            self.assign_courses(user_id, missing)
        self._path_assigned(user_id, path_id, when_ms)

    def remove_user_path(self, user_id: str, path_id: str) -> None:
        """The assignment goes (the courses and their results stay); 406 while a team gives it."""
        with self.lock:
            self._user_row(user_id)
            assignment = self.path_users.find("pair", (user_id, path_id))
            if assignment is None:
                raise MockError(ErrorKind.NOT_FOUND, path_missing(path_id))
            if path_id in self._paths_through_teams(user_id):
                raise MockError(ErrorKind.NOT_ACCEPTABLE, via_team(path_id), extra={"litmos": True})
            self.path_users.delete(assignment["id"])

    def _guard_path_course(self, user_id: str, course_id: str) -> None:
        """406 when `course_id` belongs to a path the user holds (DELETE /users/{id}/courses/{c})."""
        held = {a["LearningPathId"] for a in self._user_paths(user_id)}
        if any(self.path_courses.find("pair", (p, course_id)) is not None for p in held):
            raise MockError(ErrorKind.NOT_ACCEPTABLE, course_in_path(course_id, user_id), extra={"litmos": True})

    def _forget_paths(self, user_id: str) -> None:
        for row in self._user_paths(user_id):
            self.path_users.delete(row["id"])
