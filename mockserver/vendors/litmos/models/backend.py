"""Litmos state: the tables, the seed, API keys; the calls live in one part per resource.

No HTTP in here. Every call takes `self.lock` and raises `MockError` before writing anything,
so a refused request changes nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.clock import Clock
from ....core.ids import IdSource
from ....core.ratelimit import Limit, RateLimiter
from ....core.store import Row, Table, Unique, casefold_key, exact_key
from ...base import Backend
from ..dates import parse_user_style
from .achievements import AchievementsMixin
from .bulk_imports import JOB_FIELDS, BulkImportJobs
from .course_details import SETTING_FIELDS, CourseDetails
from .course_imports import CourseImportsMixin
from .courses import RESULT_ID_BASE, CoursesMixin
from .gamification import GamificationMixin
from .ilt import IltMixin
from .learning_paths import LearningPathsMixin
from .sso import SsoMixin
from .team_assignments import TeamAssignmentsMixin
from .teams import TOP, TeamsMixin, member_key
from .user_imports import UserImportsMixin
from .users import SORTS, STORED, USER_DEFAULTS, UsersMixin, _sort_key

ORIGINAL_ID_BASE = 10152000
TEAM_FIELDS = ("id", "Id", "OriginalId", "Name", "Description", "ParentTeamId")
MEMBER_FIELDS = ("id", "TeamId", "UserId", "Leader", "Admin")
COURSE_FIELDS = ("id", "Id", "OriginalId", "Code", "Name", "Active", "ForSale", "Description",
                 "EcommerceShortDescription", "EcommerceLongDescription", "Price", "AccessTillDays", "CreatedDate",
                 "CreatedBy")
MODULE_FIELDS = ("id", "Id", "OriginalId", "CourseId", "Code", "Name", "Description", "Passmark", "Position")
ENROLMENT_FIELDS = ("id", "UserId", "CourseId", "ResultId", "AssignedDate", "StartDate", "DateCompleted")
ACHIEVEMENT_FIELDS = ("id", "UserId", "CourseId", "Title", "Description", "AchievementDate", "Score", "Result",
                      "Type", "AchievementId", "CertificateId")
MODULE_RESULT_FIELDS = ("id", "UserId", "CourseId", "ModuleId", "Score", "Completed", "LastUpdated", "Attempt",
                        "ResultId")


SESSION_FIELDS = ("id", "Id", "OriginalId", "CourseId", "ModuleId", "Name", "InstructorUserId", "Days", "Slots")
SESSION_USER_FIELDS = ("id", "SessionId", "UserId", "EventStatus", "Score", "Completed")
SSO_KEY_FIELDS = ("id", "Key", "UserId", "IssuedAt")


class LitmosBackend(UsersMixin, TeamsMixin, CoursesMixin, AchievementsMixin, IltMixin, SsoMixin,
                    LearningPathsMixin, TeamAssignmentsMixin, GamificationMixin, UserImportsMixin, CourseImportsMixin,
                    Backend):
    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int, limit: Limit) -> None:
        super().__init__(clock, seed)
        # Separate streams, so reading users (new LoginKeys) never shifts the ids of new users.
        self.ids = IdSource(seed, "litmos:ids")
        self.login_keys = IdSource(seed, "litmos:loginkeys")
        self.rate_limiter = RateLimiter(limit, clock)
        self.users = self.add_table(Table(
            "users",
            unique=[Unique("Id", exact_key("Id")), Unique("UserName", casefold_key("UserName"))],
            orders={name: _sort_key(name) for name in (*SORTS, "OriginalId")},
        ))
        self.api_keys = self.add_table(Table("api_keys", unique=[Unique("Key", exact_key("Key"))]))
        self.teams = self.add_table(Table(
            "teams",
            unique=[Unique("Id", exact_key("Id")), Unique("Name", casefold_key("Name"))],
            orders={"Name": _sort_key("Name"), "OriginalId": _sort_key("OriginalId")},
            fields=TEAM_FIELDS,
        ))
        self.team_members = self.add_table(Table("team_members", unique=[Unique("pair", member_key)],
                                                 fields=MEMBER_FIELDS))
        self.courses = self.add_table(Table(
            "courses", unique=[Unique("Id", exact_key("Id")), Unique("Code", casefold_key("Code"))],
            orders={"Name": _sort_key("Name"), "OriginalId": _sort_key("OriginalId")}, fields=COURSE_FIELDS))
        self.course_details = CourseDetails(self.add_table(CourseDetails.new_table()), self.courses, self.users,
                                            self.lock)
        self.modules = self.add_table(Table(
            "modules", unique=[Unique("Id", exact_key("Id"))], orders={"OriginalId": _sort_key("OriginalId")},
            fields=MODULE_FIELDS))
        self.enrolments = self.add_table(Table(
            "enrolments", unique=[Unique("pair", lambda r: (r["UserId"], r["CourseId"]))], fields=ENROLMENT_FIELDS))
        self.module_results = self.add_table(Table(
            "module_results", unique=[Unique("pair", lambda r: (r["UserId"], r["ModuleId"]))],
            fields=MODULE_RESULT_FIELDS))
        self.achievements = self.add_table(Table(
            "achievements", orders={"AchievementDate": _sort_key("AchievementDate"),
                                    "AchievementId": _sort_key("AchievementId")}, fields=ACHIEVEMENT_FIELDS))
        self.instructors = self.add_table(Table("instructors", unique=[Unique("UserId", exact_key("UserId"))],
                                                fields=("id", "UserId")))
        self.sessions = self.add_table(Table(
            "sessions", unique=[Unique("Id", exact_key("Id"))], orders={"OriginalId": _sort_key("OriginalId")},
            fields=SESSION_FIELDS))
        self.session_users = self.add_table(Table(
            "session_users", unique=[Unique("pair", lambda r: (r["SessionId"], r["UserId"]))],
            fields=SESSION_USER_FIELDS))
        self.sso_keys = self.add_table(Table(
            "sso_keys", unique=[Unique("Key", exact_key("Key")), Unique("UserId", exact_key("UserId"))],
            fields=SSO_KEY_FIELDS))
        self.bulk_imports = BulkImportJobs(self.add_table(BulkImportJobs.new_table()), self.ids, self.clock, self.lock)
        self._create_path_tables(seed)
        self._create_team_assignment_tables()
        self._create_gamification_tables()
        self._result_id_high: int | None = None
        self._load(fixtures)

    # -- seed ----------------------------------------------------------------------------------
    def _load(self, fixtures: dict[str, Any]) -> None:
        managers: list[tuple[Row, str]] = []
        for seed_user in fixtures.get("users", []):
            record = copy.deepcopy(seed_user)
            manager = record.pop("ManagerUserName", None)
            row = self._new_row({**USER_DEFAULTS, **record})
            self.users.insert(row)
            if manager:
                managers.append((row, manager))
        for row, manager in managers:
            row["ManagerId"] = self.users.find("UserName", manager.casefold())["Id"]
        for key in fixtures.get("api_keys", []):
            owner = self.users.find("UserName", key["UserName"].casefold())
            self.api_keys.insert({"Key": key["Key"], "UserId": owner["Id"], "Note": key.get("Note", "")})
        self._load_teams(fixtures.get("teams", []))
        self._load_courses(fixtures.get("courses", []), fixtures.get("enrolments", []))
        self._load_paths(fixtures.get("learning_paths", []), fixtures.get("learning_path_assignments", []))
        self._load_team_assignments(fixtures.get("team_courses", []), fixtures.get("learning_path_assignments", []))
        self._load_gamification(fixtures.get("org_settings", []), fixtures.get("gamification_badges", []),
                                fixtures.get("gamification_rewards", []))
        self._load_ilt(fixtures.get("instructors", []), fixtures.get("ilt_sessions", []), parse_user_style)

    def _next_result_id(self) -> int:
        """Result ids: increasing integers over assignments and module results together (the
        highest is remembered, so a seed of thousands of results is not rescanned per result)."""
        if self._result_id_high is None:
            used = [row["ResultId"] for table in (self.enrolments, self.module_results) for row in table.rows()]
            self._result_id_high = max([RESULT_ID_BASE, *used])
        self._result_id_high += self.ids.randint(1, 9)
        return self._result_id_high

    def _load_courses(self, seed_courses: list[dict[str, Any]], seed_enrolments: list[dict[str, Any]]) -> None:
        for seed in seed_courses:
            token, original = self._new_ids(self.courses)
            self.courses.insert({
                "Id": token, "OriginalId": original, "Code": seed["Code"], "Name": seed["Name"],
                "Active": seed.get("Active", True), "ForSale": seed.get("ForSale", False),
                "Description": seed.get("Description", ""), "EcommerceShortDescription": "",
                "EcommerceLongDescription": "", "Price": float(seed.get("Price", 0)), "AccessTillDays": None,
                "CreatedDate": int(parse_user_style(seed["CreatedDate"]) * 1000),
                "CreatedBy": seed.get("CreatedBy", ""),
            })
            for position, module in enumerate(seed.get("Modules", [])):
                module_token, module_original = self._new_ids(self.modules)
                self.modules.insert({
                    "Id": module_token, "OriginalId": module_original, "CourseId": token, "Code": module["Code"],
                    "Name": module["Name"], "Description": module.get("Description", ""),
                    "Passmark": module.get("Passmark", 0), "Position": position, "ILT": module.get("ILT", False),
                })
        for seed in seed_enrolments:
            user = self.users.find("UserName", seed["UserName"].casefold())
            course = self.courses.find("Code", seed["CourseCode"].casefold())
            assigned = int(parse_user_style(seed["AssignedDate"]) * 1000)
            enrolment = self.enrolments.insert({
                "UserId": user["Id"], "CourseId": course["Id"], "ResultId": self._next_result_id(),
                "AssignedDate": assigned, "StartDate": None, "DateCompleted": None})
            modules = {m["Code"]: m for m in self._course_modules(course["Id"])}
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
                    self._award(user["Id"], course, done_at)

    def _load_teams(self, seed_teams: list[dict[str, Any]]) -> None:
        """Teams in file order (a parent comes before its sub-teams), then their people."""
        def user_id(name: str) -> str:
            return self.users.find("UserName", name.casefold())["Id"]

        for seed in seed_teams:
            parent = seed.get("ParentName")
            token, original = self._new_ids(self.teams)
            self.teams.insert({
                "Id": token, "OriginalId": original, "Name": seed["Name"],
                "Description": seed.get("Description", ""),
                "ParentTeamId": self.teams.find("Name", parent.casefold())["Id"] if parent else TOP,
            })
            leaders = {n.casefold() for n in seed.get("Leaders", [])}
            admins = {n.casefold() for n in seed.get("Admins", [])}
            for name in seed.get("Members", []):
                self.team_members.insert({"TeamId": token, "UserId": user_id(name),
                                          "Leader": name.casefold() in leaders, "Admin": name.casefold() in admins})

    def _new_ids(self, table: Table) -> tuple[str, int]:
        """A fresh Id token and the next OriginalId of `table` (both from the seeded stream)."""
        token = self.ids.url_token()
        while table.find("Id", token) is not None:
            token = self.ids.url_token()
        last = next(table.rows("OriginalId", reverse=True), None)
        original = max(ORIGINAL_ID_BASE, last["OriginalId"] if last else 0) + self.ids.randint(1, 97)
        return token, original

    def _new_row(self, values: dict[str, Any]) -> Row:
        """A user row with new ids."""
        token, original = self._new_ids(self.users)
        values.setdefault("password_hash", None)
        return {**values, "Id": token, "OriginalId": original}

    def import_state(self, state: dict[str, Any]) -> None:
        """Refuse rows the views could not render, before anything is replaced."""
        tables = state.get("tables") if isinstance(state, dict) else None
        if isinstance(tables, dict):
            needed = {"users": STORED, "api_keys": ("Key", "UserId"), "teams": TEAM_FIELDS,
                      "team_members": MEMBER_FIELDS, "courses": COURSE_FIELDS, "achievements": ACHIEVEMENT_FIELDS, "modules": MODULE_FIELDS,
                      "enrolments": ENROLMENT_FIELDS, "module_results": MODULE_RESULT_FIELDS,
                      "instructors": ("UserId",), "sessions": SESSION_FIELDS, "session_users": SESSION_USER_FIELDS,
                      "sso_keys": SSO_KEY_FIELDS, "course_settings": SETTING_FIELDS,
                      "bulk_imports": JOB_FIELDS}
            for name, fields in needed.items():
                table = tables.get(name, {"rows": []})
                rows = table.get("rows", []) if isinstance(table, dict) else None
                if not isinstance(rows, list) or not all(isinstance(r, dict) and all(f in r for f in fields) for r in rows):
                    raise ValueError(f"every {name} row needs {', '.join(fields)}")
        super().import_state(state)
        self._result_id_high = None

    # -- auth ----------------------------------------------------------------------------------
    def key_owner(self, key: str) -> Row | None:
        """The active user an API key acts as, or None (unknown key, deleted or inactive user)."""
        with self.lock:
            record = self.api_keys.find("Key", key)
            if record is None:
                return None
            owner = self.users.find("Id", record["UserId"])
            return owner if owner is not None and owner["Active"] else None

    # -- across resources ----------------------------------------------------------------------
    def delete_user(self, user_id: str) -> None:
        """The user (see UsersMixin) and, in the same step, every team membership it had."""
        with self.lock:
            super().delete_user(user_id)
            self._forget_memberships(user_id)
            self._forget_results(user_id)
            self._forget_achievements(user_id)
            self._forget_paths(user_id)
            self._forget_gamification(user_id)
            self._forget_registrations(user_id)
            self._forget_login_keys(user_id)

    def _award(self, user_id: str, course: Row, when_ms: int) -> None:
        """A course completion: its achievement (AchievementsMixin), then its gamification rewards."""
        super()._award(user_id, course, when_ms)
        self._course_completed(user_id, course["Id"], when_ms)

    def add_team_users(self, team_id: str, user_ids: list[str]) -> None:
        """New members (see TeamsMixin) also receive the team's courses and learning paths.

        Memberships are looked up by their unique (team, user) index, so adding a few users costs
        O(users sent), not O(every membership): a bulk import adds one user per row."""
        with self.lock:
            before = {user_id for user_id in user_ids if self._membership(team_id, user_id) is not None}
            super().add_team_users(team_id, user_ids)
            joined = list(dict.fromkeys(user_id for user_id in user_ids
                                        if user_id not in before and self._membership(team_id, user_id) is not None))
            self._joined_team(team_id, joined)

    def delete_team(self, team_id: str) -> None:
        """The team (see TeamsMixin) and its course and learning path assignments."""
        with self.lock:
            super().delete_team(team_id)
            self._forget_team_assignments(team_id)
