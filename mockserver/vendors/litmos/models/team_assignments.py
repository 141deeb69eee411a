"""Courses and learning paths assigned to a team (docs/litmos.md, "Learning paths, team assignments
and gamification").

A team assignment reaches the team's members: each member (now, and whoever joins later) gets the
course or path as if it had been assigned to them. Courses sent with `CourseTeamLibrary=true` only
go into the team's course library and reach nobody. Taking an assignment off a team leaves the
members' own assignments and results alone. Unknown ids in a body are skipped, as Litmos skips them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.store import Table, Unique
from ..dates import parse_user_style
from .courses import course_view
from .learning_paths import LearningPaths, path_view
from .progress import Progress
from .results import Results
from .search import matches
from .state import Shared, seed_names
from .teams import team_row

TEAM_COURSE_FIELDS = ("id", "TeamId", "CourseId", "Library", "AssignedDate")
TEAM_PATH_FIELDS = ("id", "TeamId", "LearningPathId", "AssignedDate")
MSG_NO_COURSES = "No team with this teamId exists in your organization, or you did not send any courses in your request"
MSG_NO_PATHS = ("No team with this teamId exists in your organization, or you did not send any learning paths in "
                "your request")
MSG_COURSE_IN_PATH = ("Course is assigned via Learning Path. Remove the team from the Learning Path to unassign "
                      "from team")


def team_assignment_tables() -> tuple[Table, Table]:
    """The team's courses (one row per course and library) and its learning paths."""
    team_courses = Table("team_courses", unique=[Unique("key", lambda r: (r["TeamId"], r["CourseId"], r["Library"]))],
                         fields=TEAM_COURSE_FIELDS)
    team_paths = Table("team_paths", unique=[Unique("pair", lambda r: (r["TeamId"], r["LearningPathId"]))],
                       fields=TEAM_PATH_FIELDS)
    return team_courses, team_paths


def _known(table: Table, ids: list[str], message: str) -> list[str]:
    """The ids that name a row of `table`; 404 `message` when none does (the text says "or you did
    not send any courses in your request")."""
    known = [i for i in ids if table.find("Id", i) is not None]
    if not known:
        raise MockError(ErrorKind.NOT_FOUND, message)
    return known


class TeamAssignments:
    """Team courses and team learning paths; a member's own assignments go through `results` and `paths`."""

    def __init__(self, shared: Shared, *, team_courses: Table, team_paths: Table, teams: Table, members: Table,
                 courses: Table, learning_paths: Table, results: Results, paths: LearningPaths,
                 progress: Progress) -> None:
        self._shared = shared
        self.team_courses = team_courses
        self.team_paths = team_paths
        self._teams = teams
        self._members = members
        self._courses = courses
        self._learning_paths = learning_paths
        self._results = results
        self._paths = paths
        self._progress = progress

    def load(self, seed_courses: list[dict[str, Any]], seed_paths: list[dict[str, Any]]) -> None:
        """The seeded team courses, then the path assignments that name a team (by name)."""
        for seed in seed_courses:
            team = self._teams.find("Name", seed["TeamName"].casefold())
            course = self._courses.find("Code", seed["CourseCode"].casefold())
            self._team_course(team["Id"], course["Id"], seed.get("CourseTeamLibrary", False),
                              int(parse_user_style(seed["AssignedDate"]) * 1000))
        for seed in seed_paths:
            if "TeamName" in seed:
                team = self._teams.find("Name", seed["TeamName"].casefold())
                path = self._learning_paths.find("Name", seed["LearningPath"].casefold())
                self._team_path(team["Id"], path["Id"], int(parse_user_style(seed["AssignedDate"]) * 1000))

    # -- what reaches the members --------------------------------------------------------------
    def _member_ids(self, team_id: str) -> list[str]:
        return [m["UserId"] for m in self._members.select(lambda r: r["TeamId"] == team_id)]

    def _subtree(self, team_id: str) -> list[str]:
        """The team and every team below it, parents first."""
        found, cursor = [team_id], 0
        while cursor < len(found):
            parent = found[cursor]
            found += [t["Id"] for t in self._teams.select(lambda r: r["ParentTeamId"] == parent, order="Name")]
            cursor += 1
        return found

    def _team_course(self, team_id: str, course_id: str, library: bool, when_ms: int) -> None:
        if self.team_courses.find("key", (team_id, course_id, library)) is None:
            self.team_courses.insert({"TeamId": team_id, "CourseId": course_id, "Library": library,
                                      "AssignedDate": when_ms})
        if not library:
            for user_id in self._member_ids(team_id):
                self._results.assign_courses(user_id, [course_id])

    def _team_path(self, team_id: str, path_id: str, when_ms: int) -> None:
        if self.team_paths.find("pair", (team_id, path_id)) is None:
            self.team_paths.insert({"TeamId": team_id, "LearningPathId": path_id, "AssignedDate": when_ms})
        for user_id in self._member_ids(team_id):
            self._paths.give_path(user_id, path_id, when_ms)

    def joined_team(self, team_id: str, user_ids: list[str]) -> None:
        """New members receive the team's learning paths and its (non-library) courses."""
        now = self._shared.now_ms()
        courses = [r["CourseId"] for r in self.team_courses.select(
            lambda r: r["TeamId"] == team_id and not r["Library"])]
        paths = [r["LearningPathId"] for r in self.team_paths.select(lambda r: r["TeamId"] == team_id)]
        for user_id in user_ids:
            if courses:
                self._results.assign_courses(user_id, courses)
            for path_id in paths:
                self._paths.give_path(user_id, path_id, now)

    def forget_team(self, team_id: str) -> None:
        for table in (self.team_courses, self.team_paths):
            for row in table.select(lambda r: r["TeamId"] == team_id):
                table.delete(row["id"])

    # -- team courses --------------------------------------------------------------------------
    def list_team_courses(self, team_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Courses of the team (both libraries), by name; `CourseTeamLibrary` says which."""
        with self._shared.lock:
            team_row(self._teams, team_id)
            found = matches(search, ("Name", "Code"))
            out = []
            for row in self.team_courses.select(lambda r: r["TeamId"] == team_id):
                course = self._courses.find("Id", row["CourseId"])
                if course is not None and found(course):
                    out.append((course["Name"].casefold(), row["Library"], row["id"],
                                {**course_view(course), "CourseTeamLibrary": row["Library"]}))
            out.sort(key=lambda item: item[:3])
            return [item[3] for item in out[start:start + limit]]

    def assign_team_courses(self, team_id: str, items: list[tuple[str, bool]], include_sub_teams: bool) -> None:
        """(course Id, CourseTeamLibrary) pairs; unknown courses are skipped."""
        with self._shared.lock:
            team_row(self._teams, team_id)
            known = _known(self._courses, [course_id for course_id, _ in items], MSG_NO_COURSES)
            now = self._shared.now_ms()
            targets = self._subtree(team_id) if include_sub_teams else [team_id]
            for course_id, library in items:
                if course_id not in known:
                    continue
                for target in targets:
                    self._team_course(target, course_id, library, now)

    def remove_team_courses(self, team_id: str, items: list[tuple[str, bool]]) -> None:
        """Off the named library; 403 (nothing changes) for a course a team learning path brings."""
        with self._shared.lock:
            team_row(self._teams, team_id)
            _known(self._courses, [course_id for course_id, _ in items], MSG_NO_COURSES)
            paths = [r["LearningPathId"] for r in self.team_paths.select(lambda r: r["TeamId"] == team_id)]
            from_paths = {c for p in paths for c in self._progress.path_course_ids(p)}
            if any(course_id in from_paths for course_id, _ in items):
                raise MockError(ErrorKind.FORBIDDEN, MSG_COURSE_IN_PATH)
            for course_id, library in items:
                row = self.team_courses.find("key", (team_id, course_id, library))
                if row is not None:
                    self.team_courses.delete(row["id"])

    # -- team learning paths -------------------------------------------------------------------
    def list_team_paths(self, team_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self._shared.lock:
            team_row(self._teams, team_id)
            named = matches(search)
            held = {r["LearningPathId"] for r in self.team_paths.select(lambda r: r["TeamId"] == team_id)}
            rows = self._learning_paths.select(lambda r: r["Id"] in held and named(r), order="Name")
            return [path_view(r) for r in rows[start:start + limit]]

    def assign_team_paths(self, team_id: str, path_ids: list[str]) -> None:
        with self._shared.lock:
            team_row(self._teams, team_id)
            now = self._shared.now_ms()
            for path_id in _known(self._learning_paths, path_ids, MSG_NO_PATHS):
                self._team_path(team_id, path_id, now)

    def remove_team_paths(self, team_id: str, path_ids: list[str]) -> None:
        with self._shared.lock:
            team_row(self._teams, team_id)
            for path_id in _known(self._learning_paths, path_ids, MSG_NO_PATHS):
                row = self.team_paths.find("pair", (team_id, path_id))
                if row is not None:
                    self.team_paths.delete(row["id"])


def check_seed_team_courses(path: Path, data: dict[str, Any]) -> None:
    """Team courses name a seeded team and a seeded course: else FixtureError."""
    courses, teams = seed_names(data, "courses", "Code"), seed_names(data, "teams", "Name")
    for index, record in enumerate(data.get("team_courses", [])):
        label = f"team_courses[{index}] ({record['TeamName']}, {record['CourseCode']})"
        if record["TeamName"].casefold() not in teams:
            raise FixtureError(path, label, "TeamName", f"no seeded team {record['TeamName']!r}")
        if record["CourseCode"].casefold() not in courses:
            raise FixtureError(path, label, "CourseCode", f"no seeded course {record['CourseCode']!r}")
