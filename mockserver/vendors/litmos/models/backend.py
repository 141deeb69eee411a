"""The Litmos backend: the tables, one part per resource built on them, the seed and the rate limiter.

No HTTP in here. Handlers call a part (`backend.users.get_user(...)`); every call takes the
backend's lock and raises `MockError` before writing anything, so a refused request changes
nothing. A part gets the tables it reads and writes and the sibling parts its cascades call, so
the order of construction below is the order of dependence.
"""

from __future__ import annotations

from typing import Any

from ....core.clock import Clock
from ....core.ids import IdSource
from ....core.ratelimit import Limit, RateLimiter
from ...base import Backend
from .achievements import Achievements, achievements_table
from .api_keys import ApiKeys, api_keys_table
from .bulk_imports import BulkImportJobs, bulk_imports_table
from .course_details import CourseDetails, course_settings_table
from .course_imports import CourseImports
from .courses import Courses, course_tables
from .gamification import Gamification, gamification_tables
from .ilt import Ilt, ilt_tables
from .learning_paths import LearningPaths, path_tables
from .progress import Progress
from .results import Results, result_tables
from .sso import SingleSignOn, sso_keys_table
from .state import Shared
from .team_assignments import TeamAssignments, team_assignment_tables
from .teams import Teams, team_tables
from .user_imports import UserImports
from .users import Users, users_table


class LitmosBackend(Backend):
    """One namespace's Litmos state, composed of its parts (see the module docstring)."""

    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int, limit: Limit) -> None:
        super().__init__(clock, seed)
        self.rate_limiter = RateLimiter(limit, clock)
        shared = Shared(self.lock, clock, IdSource(seed, "litmos:ids"))
        # Streams of their own, so reading users (new LoginKeys) or seeding paths never shifts other ids.
        guids = IdSource(seed, "litmos:loginkeys")
        path_ids = IdSource(seed, "litmos:learningpaths")

        # The tables, in the order an export lists them.
        users = self.add_table(users_table())
        keys = self.add_table(api_keys_table())
        teams, members = (self.add_table(t) for t in team_tables())
        courses, modules = course_tables()
        self.add_table(courses)
        settings = self.add_table(course_settings_table())
        self.add_table(modules)
        enrolments, module_results = (self.add_table(t) for t in result_tables())
        achievements = self.add_table(achievements_table())
        instructors, sessions, session_users = (self.add_table(t) for t in ilt_tables())
        sso_keys = self.add_table(sso_keys_table())
        jobs = self.add_table(bulk_imports_table())
        paths, path_courses, path_users = (self.add_table(t) for t in path_tables())
        team_courses, team_paths = (self.add_table(t) for t in team_assignment_tables())
        org_settings, badges, rewards, earned = (self.add_table(t) for t in gamification_tables())

        # The parts, each after the parts it calls.
        progress = Progress(modules=modules, enrolments=enrolments, module_results=module_results,
                            path_courses=path_courses)
        self.sso = SingleSignOn(shared, guids, sso_keys, users=users, courses=courses)
        self.achievements = Achievements(shared, achievements, users=users, progress=progress)
        self.gamification = Gamification(
            shared, path_ids, settings=org_settings, badges=badges, rewards=rewards, earned=earned, users=users,
            teams=teams, members=members, courses=courses, enrolments=enrolments, learning_paths=paths,
            path_users=path_users, progress=progress)
        self.results = Results(
            shared, enrolments=enrolments, module_results=module_results, users=users, courses=courses,
            modules=modules, path_users=path_users, path_courses=path_courses, progress=progress,
            achievements=self.achievements, gamification=self.gamification, sso=self.sso)
        self.courses = Courses(shared, courses=courses, modules=modules, users=users, enrolments=enrolments,
                               progress=progress)
        self.course_details = CourseDetails(shared, settings, courses=courses, users=users)
        self.learning_paths = LearningPaths(
            shared, path_ids, paths=paths, path_courses=path_courses, path_users=path_users, users=users,
            courses=courses, members=members, team_paths=team_paths, results=self.results, progress=progress,
            gamification=self.gamification)
        self.team_assignments = TeamAssignments(
            shared, team_courses=team_courses, team_paths=team_paths, teams=teams, members=members, courses=courses,
            learning_paths=paths, results=self.results, paths=self.learning_paths, progress=progress)
        self.teams = Teams(shared, teams=teams, members=members, users=users, followers=self.team_assignments)
        self.ilt = Ilt(shared, instructors=instructors, sessions=sessions, session_users=session_users, users=users,
                       courses=courses, modules=modules, enrolments=enrolments, results=self.results)
        self.users = Users(shared, users, self.sso, dependents=(
            self.teams, self.results, self.achievements, self.learning_paths, self.gamification, self.ilt, self.sso))
        self.api_keys = ApiKeys(shared, keys, users)
        self.bulk_imports = BulkImportJobs(shared, jobs)
        self.user_imports = UserImports(shared, users=self.users, teams=self.teams, results=self.results,
                                        jobs=self.bulk_imports, courses=courses)
        self.course_imports = CourseImports(shared, courses=courses, users=users, learning_paths=paths,
                                            details=self.course_details, jobs=self.bulk_imports)
        self._load(fixtures)

    def _load(self, fixtures: dict[str, Any]) -> None:
        """The seed, part by part in this order: later parts name the records of earlier ones, and
        the seeded id streams are drawn in it (so the same fixtures give the same ids)."""
        self.users.load(fixtures.get("users", []))
        self.api_keys.load(fixtures.get("api_keys", []))
        self.teams.load(fixtures.get("teams", []))
        self.courses.load(fixtures.get("courses", []))
        self.results.load(fixtures.get("enrolments", []))
        self.learning_paths.load(fixtures.get("learning_paths", []), fixtures.get("learning_path_assignments", []))
        self.team_assignments.load(fixtures.get("team_courses", []), fixtures.get("learning_path_assignments", []))
        self.gamification.load(fixtures.get("org_settings", []), fixtures.get("gamification_badges", []),
                               fixtures.get("gamification_rewards", []))
        self.ilt.load(fixtures.get("instructors", []), fixtures.get("ilt_sessions", []))

    def import_state(self, state: dict[str, Any], *, owned: bool = False) -> None:
        """Every table from an export (each row must carry its table's `fields`; see core/store.py)."""
        super().import_state(state, owned=owned)
        self.results.tables_replaced()
