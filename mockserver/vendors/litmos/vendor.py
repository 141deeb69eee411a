"""Litmos Developer API v1 as a mountable vendor."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.clock import Clock
from ...core.errors import MockError
from ...core.fixtures import Collection, FixtureError
from ...core.ratelimit import Limit
from ..base import Vendor, WireResponse
from . import auth, errors
from .auth import AccessPolicy
from .models import LitmosBackend
from .models.ilt_seed import check_ilt_rules
from .models.paths_seed import check_path_rules
from .models.users import culture_problem, email_problem, username_problem
from .wire import QueryNames
from .xmlcodec import XmlCodec

if TYPE_CHECKING:
    from ...config import Settings


class _QuietMultipleContentTypes(logging.Filter):
    """Connexion warns on every request to an operation with several request media types;
    every Litmos write has three (XML twice, JSON), by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("this operation accepts multiple content types")


class LitmosVendor(Vendor):
    name = "litmos"
    title = "Litmos API v1"
    mount_prefix = "/litmos/v1.svc"
    real_prefix = "/v1.svc"
    rate_limit_status = 503
    spec_file = "litmos/openapi.yaml"
    handlers_module = "mockserver.vendors.litmos.handlers"
    secret_fields = frozenset({"Key", "password_hash"})
    state_references = {
        "api_keys": {"UserId": "users.Id"},
        "teams": {"ParentTeamId": "teams.Id"},
        "team_members": {"TeamId": "teams.Id", "UserId": "users.Id"},
        "modules": {"CourseId": "courses.Id"},
        "enrolments": {"UserId": "users.Id", "CourseId": "courses.Id"},
        "module_results": {"UserId": "users.Id", "CourseId": "courses.Id", "ModuleId": "modules.Id"},
        "achievements": {"UserId": "users.Id"},
        "instructors": {"UserId": "users.Id"},
        "session_users": {"SessionId": "sessions.Id", "UserId": "users.Id"},
        "path_courses": {"LearningPathId": "learning_paths.Id", "CourseId": "courses.Id"},
        "path_users": {"UserId": "users.Id", "LearningPathId": "learning_paths.Id"},
        "team_courses": {"TeamId": "teams.Id", "CourseId": "courses.Id"},
        "team_paths": {"TeamId": "teams.Id", "LearningPathId": "learning_paths.Id"},
        "earned": {"UserId": "users.Id"},
    }
    fixture_file = "litmos.yaml"
    fixture_collections = [
        Collection("users", "SeedUser"),
        Collection("api_keys", "SeedApiKey"),
        Collection("teams", "SeedTeam"),
        Collection("courses", "SeedCourse"),
        Collection("enrolments", "SeedEnrolment"),
        Collection("learning_paths", "SeedLearningPath", required=False),
        Collection("learning_path_assignments", "SeedPathAssignment", required=False),
        Collection("team_courses", "SeedTeamCourse", required=False),
        Collection("org_settings", "SeedOrgSetting", required=False),
        Collection("gamification_badges", "SeedBadge", required=False),
        Collection("gamification_rewards", "SeedReward", required=False),
        Collection("instructors", "SeedInstructor", required=False),
        Collection("ilt_sessions", "SeedIltSession", required=False),
    ]

    def __init__(self, settings: "Settings", specs_dir: Path) -> None:
        super().__init__(settings, specs_dir)
        self.codec = XmlCodec(self.spec)
        self.query_names = QueryNames.from_spec(self.spec)
        self.access = AccessPolicy.from_paths(self.spec.paths())
        self.rate_limit = Limit.parse(settings.litmos_rate_limit)
        connexion_log = logging.getLogger("connexion.operations.openapi3")
        if not any(isinstance(f, _QuietMultipleContentTypes) for f in connexion_log.filters):
            connexion_log.addFilter(_QuietMultipleContentTypes())

    def load_fixtures(self, fixtures_dir: Path) -> dict[str, Any]:
        """Schema checks (base class), then the rules the API itself would enforce."""
        data = super().load_fixtures(fixtures_dir)
        path = self.fixture_path(fixtures_dir)
        check_seed_rules(path, data)
        return data

    def build_backend(self, fixtures: dict[str, Any], clock: Clock, seed: int) -> LitmosBackend:
        return LitmosBackend(fixtures, clock, seed, self.rate_limit)

    def render_error(self, error: MockError, scope: dict[str, Any]) -> WireResponse:
        return errors.render(error, scope, self.codec)

    def credential(self, scope: dict[str, Any]) -> str | None:
        return auth.api_key(scope)

    def authenticate(self, request: Any) -> dict[str, Any]:
        return auth.authenticate(request, self.backend(request.scope), self.query_names, self.access,
                                 self.settings.litmos_auth_status)

    def demo_credentials(self) -> list[str]:
        return [
            "apikey: litmos-demo-key      (Account Owner; add ?source=<your app> to every call)",
            "apikey: litmos-admin-key     (Administrator: what docs/litmos.md gives Administrators)",
            "apikey: litmos-teamleader-key (Team Leader: instructors and roll call)",
            "apikey: litmos-learner-key   (Learner: every users call -> 403)",
            "apikey: litmos-inactive-key  (a deactivated user: 401)",
        ]


def check_seed_rules(path: Path, data: dict[str, Any]) -> None:
    """Usernames unique and valid, managers and key owners present: else FixtureError."""
    seen: dict[str, int] = {}
    for index, user in enumerate(data["users"]):
        label = f"users[{index}] ({user['UserName']})"
        folded = user["UserName"].casefold()
        if folded in seen:
            raise FixtureError(path, label, "UserName", f"duplicates users[{seen[folded]}]")
        seen[folded] = index
        problem = username_problem(user["UserName"], user.get("IsCustomUsername", False))
        if problem:
            raise FixtureError(path, label, "UserName", problem)
        for field, check in (("Email", email_problem), ("Culture", culture_problem)):
            if field in user and (problem := check(user[field])):
                raise FixtureError(path, label, field, problem)
    for index, user in enumerate(data["users"]):
        manager = user.get("ManagerUserName")
        if manager is not None and (manager.casefold() not in seen or manager.casefold() == user["UserName"].casefold()):
            raise FixtureError(path, f"users[{index}] ({user['UserName']})", "ManagerUserName",
                               f"{manager!r} is not another seeded user")
    keys: set[str] = set()
    for index, key in enumerate(data["api_keys"]):
        label = f"api_keys[{index}] ({key['Key']})"
        if key["Key"] in keys:
            raise FixtureError(path, label, "Key", "duplicate key")
        keys.add(key["Key"])
        if key["UserName"].casefold() not in seen:
            raise FixtureError(path, label, "UserName", f"no seeded user {key['UserName']!r}")
    check_team_rules(path, data, seen)
    check_course_rules(path, data, seen)
    check_path_rules(path, data, seen)
    check_ilt_rules(path, data, seen)


def check_course_rules(path: Path, data: dict[str, Any], users: dict[str, int]) -> None:
    """Course codes unique, module codes unique per course, enrolments name seeded users,
    courses and modules, once per user and course."""
    modules: dict[str, set[str]] = {}
    for index, course in enumerate(data.get("courses", [])):
        label = f"courses[{index}] ({course['Code']})"
        if course["Code"].casefold() in modules:
            raise FixtureError(path, label, "Code", "duplicates an earlier course")
        codes = [m["Code"] for m in course.get("Modules", [])]
        if len(set(codes)) != len(codes):
            raise FixtureError(path, label, "Modules", "two modules share a code")
        modules[course["Code"].casefold()] = set(codes)
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


def check_team_rules(path: Path, data: dict[str, Any], users: dict[str, int]) -> None:
    """Team names unique, parents earlier in the file, people seeded, leaders and admins members."""
    names: set[str] = set()
    for index, team in enumerate(data.get("teams", [])):
        label = f"teams[{index}] ({team['Name']})"
        folded = team["Name"].casefold()
        if folded in names:
            raise FixtureError(path, label, "Name", "duplicates an earlier team")
        parent = team.get("ParentName")
        if parent is not None and parent.casefold() not in names:
            raise FixtureError(path, label, "ParentName", f"{parent!r} is not an earlier team")
        names.add(folded)
        members = [m.casefold() for m in team.get("Members", [])]
        for field in ("Members", "Leaders", "Admins"):
            for name in team.get(field, []):
                if name.casefold() not in users:
                    raise FixtureError(path, label, field, f"no seeded user {name!r}")
                if field != "Members" and name.casefold() not in members:
                    raise FixtureError(path, label, field, f"{name!r} is not a member")
        if len(set(members)) != len(members):
            raise FixtureError(path, label, "Members", "a user is listed twice")
