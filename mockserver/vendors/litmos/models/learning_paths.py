"""Learning paths: ordered sets of courses assigned to users (docs/litmos.md, "Learning paths, team
assignments and gamification").

Assigning a path to a user assigns its courses too (those the user lacks), so the path's progress
is read from those course results (progress.py). A path the user holds through a team cannot be
taken away from the user (406).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.ids import IdSource
from ....core.store import Row, Table, Unique, casefold_key, exact_key
from ..dates import WcfDate, parse_user_style
from ..money import Money
from .courses import course_view
from .gamification import Gamification
from .progress import Progress
from .results import Results
from .search import USER_FIELDS, matches
from .state import Shared, seed_names
from .users import user_row

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


def _name_key(row: Row) -> tuple[str, int]:
    return (row["Name"].casefold(), row["id"])


def path_tables() -> tuple[Table, Table, Table]:
    """The paths (names unique in any letter case), their courses in order, and their users."""
    paths = Table("learning_paths", unique=[Unique("Id", exact_key("Id")), Unique("Name", casefold_key("Name"))],
                  orders={"Name": _name_key, "OriginalId": lambda r: r["OriginalId"]}, fields=PATH_FIELDS)
    path_courses = Table("path_courses", unique=[Unique("pair", lambda r: (r["LearningPathId"], r["CourseId"]))],
                         fields=PATH_COURSE_FIELDS)
    path_users = Table("path_users", unique=[Unique("pair", lambda r: (r["UserId"], r["LearningPathId"]))],
                       fields=PATH_USER_FIELDS)
    return paths, path_courses, path_users


def path_view(row: Row) -> dict[str, Any]:
    """A path's members as the path lists show them."""
    return {**row, "Price": Money(row["Price"]), "EcommerceShortDescription": "", "EcommerceLongDescription": "",
            "AccessTillDate": None}


class LearningPaths:
    """The learning path calls, under the backend's lock. Path ids come from their own seeded
    stream (`path_ids`)."""

    def __init__(self, shared: Shared, path_ids: IdSource, *, paths: Table, path_courses: Table, path_users: Table,
                 users: Table, courses: Table, members: Table, team_paths: Table, results: Results,
                 progress: Progress, gamification: Gamification) -> None:
        self._shared = shared
        self._path_ids = path_ids
        self.table = paths
        self.path_courses = path_courses
        self.path_users = path_users
        self._users = users
        self._courses = courses
        self._members = members
        self._team_paths = team_paths
        self._results = results
        self._progress = progress
        self._gamification = gamification

    def load(self, seed_paths: list[dict[str, Any]], seed_assignments: list[dict[str, Any]]) -> None:
        """Paths with their courses (by code), then the seeded user assignments (by username)."""
        for seed in seed_paths:
            last = next(self.table.rows("OriginalId", reverse=True), None)
            row = self.table.insert({
                "Id": self._path_token(), "OriginalId": (last["OriginalId"] if last else PATH_ORIGINAL_BASE)
                + self._path_ids.randint(1, 9), "Name": seed["Name"], "Description": seed.get("Description", ""),
                "Active": seed.get("Active", True), "ForSale": seed.get("ForSale", False),
                "Price": float(seed.get("Price", 0)), "AccessTillDays": seed.get("AccessTillDays")})
            for position, code in enumerate(seed.get("Courses", [])):
                course = self._courses.find("Code", code.casefold())
                self.path_courses.insert({"LearningPathId": row["Id"], "CourseId": course["Id"], "Position": position})
        for seed in seed_assignments:
            if "UserName" in seed:
                path = self.table.find("Name", seed["LearningPath"].casefold())
                user = self._users.find("UserName", seed["UserName"].casefold())
                self.give_path(user["Id"], path["Id"], int(parse_user_style(seed["AssignedDate"]) * 1000))

    def _path_token(self) -> str:
        token = self._path_ids.url_token()
        while self.table.find("Id", token) is not None:
            token = self._path_ids.url_token()
        return token

    # -- lookups -------------------------------------------------------------------------------
    def _path(self, path_id: str, message: str = MSG_NO_PATH) -> Row:
        row = self.table.find("Id", path_id)
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, message)
        return row

    def _user_paths(self, user_id: str) -> list[Row]:
        return self.path_users.select(lambda r: r["UserId"] == user_id)

    def _paths_through_teams(self, user_id: str) -> set[str]:
        """Ids of the paths assigned to a team the user is a member of now."""
        teams = {m["TeamId"] for m in self._members.select(lambda r: r["UserId"] == user_id)}
        return {r["LearningPathId"] for r in self._team_paths.select(lambda r: r["TeamId"] in teams)}

    # -- paths ---------------------------------------------------------------------------------
    def list_paths(self, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self._shared.lock:
            rows = self.table.select(matches(search), order="Name")
            return [path_view(r) for r in rows[start:start + limit]]

    def get_path(self, path_id: str) -> dict[str, Any]:
        with self._shared.lock:
            return path_view(self._path(path_id))

    def list_path_courses(self, path_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """The path's courses in path order; `search` over name and code."""
        with self._shared.lock:
            self._path(path_id)
            found = matches(search, ("Name", "Code"))
            out = []
            for course_id in self._progress.path_course_ids(path_id):
                course = self._courses.find("Id", course_id)
                if course is None or not found(course):
                    continue
                out.append({**course_view(course), "EquivalencyId": 0, "EquivalencyGroupName": ""})
            return out[start:start + limit]

    def list_path_users(self, path_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Users holding the path, by first name, with their progress."""
        with self._shared.lock:
            self._path(path_id)
            holders = {r["UserId"] for r in self.path_users.select(lambda r: r["LearningPathId"] == path_id)}
            found = matches(search, USER_FIELDS)
            rows = self._users.select(lambda r: r["Id"] in holders and found(r), order="FirstName")
            out = []
            for user in rows[start:start + limit]:
                progress = self._progress.path_progress(user["Id"], path_id)
                out.append({**{k: user[k] for k in ("Id", "UserName", "FirstName", "LastName")},
                            "Completed": progress["Complete"], "PercentageComplete": progress["PercentageComplete"]})
            return out

    # -- a user's paths ------------------------------------------------------------------------
    def list_user_paths(self, user_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self._shared.lock:
            user_row(self._users, user_id)
            named = matches(search)
            pairs = [(a, self.table.find("Id", a["LearningPathId"])) for a in self._user_paths(user_id)]
            found = [(a, p) for a, p in pairs if p is not None and named(p)]
            found.sort(key=lambda pair: _name_key(pair[1]))
            return [{**path, **self._progress.path_progress(user_id, path["Id"]),
                     "AssignedDate": WcfDate(assignment["AssignedDate"]), "ResultId": str(assignment["ResultId"]),
                     "AccessTillDate": None}
                    for assignment, path in found[start:start + limit]]

    def assign_paths(self, user_id: str, path_ids: list[str]) -> None:
        """POST /users/{id}/learningpaths: 404 when the user is unknown or no Id names a path;
        known paths the user lacks are assigned with their courses."""
        with self._shared.lock:
            known = [p for p in path_ids if self.table.find("Id", p) is not None]
            if self._users.find("Id", user_id) is None or not known:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_VALID)
            now = self._shared.now_ms()
            for path_id in known:
                self.give_path(user_id, path_id, now)

    def give_path(self, user_id: str, path_id: str, when_ms: int) -> None:
        """The path and any of its courses the user lacks; a path already held changes nothing."""
        if self.path_users.find("pair", (user_id, path_id)) is not None:
            return
        last = max((r["ResultId"] for r in self.path_users.rows()), default=PATH_RESULT_BASE)
        self.path_users.insert({"UserId": user_id, "LearningPathId": path_id,
                                "ResultId": last + self._path_ids.randint(1, 9), "AssignedDate": when_ms})
        missing = [c for c in self._progress.path_course_ids(path_id)
                   if self._progress.enrolment(user_id, c) is None]
        if missing:
            self._results.assign_courses(user_id, missing)
        self._gamification.path_assigned(user_id, path_id, when_ms)

    def remove_user_path(self, user_id: str, path_id: str) -> None:
        """The assignment goes (the courses and their results stay); 406 while a team gives it."""
        with self._shared.lock:
            user_row(self._users, user_id)
            assignment = self.path_users.find("pair", (user_id, path_id))
            if assignment is None:
                raise MockError(ErrorKind.NOT_FOUND, path_missing(path_id))
            if path_id in self._paths_through_teams(user_id):
                raise MockError(ErrorKind.NOT_ACCEPTABLE, via_team(path_id), extra={"litmos": True})
            self.path_users.delete(assignment["id"])

    def forget_user(self, user_id: str) -> None:
        for row in self._user_paths(user_id):
            self.path_users.delete(row["id"])


def check_seed_paths(path: Path, data: dict[str, Any], users: dict[str, int]) -> set[str]:
    """Path names unique, their courses seeded (once each), assignments naming a seeded path and a
    seeded user or team, once each: else FixtureError. Returns the path names (case-folded)."""
    courses, teams = seed_names(data, "courses", "Code"), seed_names(data, "teams", "Name")
    paths: set[str] = set()
    for index, record in enumerate(data.get("learning_paths", [])):
        label = f"learning_paths[{index}] ({record['Name']})"
        if record["Name"].casefold() in paths:
            raise FixtureError(path, label, "Name", "duplicates an earlier learning path")
        paths.add(record["Name"].casefold())
        codes = [code.casefold() for code in record.get("Courses", [])]
        if len(set(codes)) != len(codes):
            raise FixtureError(path, label, "Courses", "a course is listed twice")
        unknown = [code for code in record.get("Courses", []) if code.casefold() not in courses]
        if unknown:
            raise FixtureError(path, label, "Courses", f"no seeded course {unknown[0]!r}")
    held: set[tuple[str, str]] = set()
    for index, record in enumerate(data.get("learning_path_assignments", [])):
        label = f"learning_path_assignments[{index}] ({record['LearningPath']})"
        if record["LearningPath"].casefold() not in paths:
            raise FixtureError(path, label, "LearningPath", f"no seeded learning path {record['LearningPath']!r}")
        holder = record.get("UserName") or record.get("TeamName") or ""
        field, known = ("UserName", users) if "UserName" in record else ("TeamName", teams)
        if holder.casefold() not in known:
            raise FixtureError(path, label, field, f"no seeded {'user' if field == 'UserName' else 'team'} {holder!r}")
        key = (f"{field}:{holder.casefold()}", record["LearningPath"].casefold())
        if key in held:
            raise FixtureError(path, label, field, "assigned twice")
        held.add(key)
    return paths
