"""Litmos Developer API v1 as a mountable vendor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.clock import Clock
from ...core.errors import ErrorKind, MockError
from ...core.fixtures import Collection
from ...core.ratelimit import Limit
from ...core.progress import StartupProgress
from ..base import Vendor, WireResponse
from . import auth, errors
from .dates import seed_timestamp
from .auth import AccessPolicy
from .models import LitmosBackend
from .models.api_keys import check_seed_keys
from .models.courses import check_seed_courses
from .models.gamification import check_seed_gamification
from .models.ilt import check_seed_ilt
from .models.learning_paths import check_seed_paths
from .models.results import check_seed_enrolments
from .models.team_assignments import check_seed_team_courses
from .models.teams import check_seed_teams
from .models.users import check_seed_users
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

    def load_fixtures(self, fixtures_dir: Path, progress: StartupProgress | None = None) -> dict[str, Any]:
        """Schema checks (base class), then the rules the API itself would enforce."""
        data = super().load_fixtures(fixtures_dir, progress)
        path = self.fixture_path(fixtures_dir)
        check_seed_rules(path, data)
        return data

    def seed_conversions(self) -> dict[str, Callable[[Any], Any]]:
        return {"timestamp": seed_timestamp}

    def read_answer(self, schema: dict[str, Any], content_type: str, body: str) -> Any:
        """JSON as any vendor's; XML (Litmos's default) through the codec, by the schema's name."""
        if "xml" not in content_type.lower():
            return super().read_answer(schema, content_type, body)
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            raise ValueError("an XML answer is read by its named schema")
        return self.codec.decode(ref.rsplit("/", 1)[-1], body.encode("utf-8"))

    def backend_options(self) -> tuple[Any, ...]:
        return (self.rate_limit,)

    def build_backend(self, fixtures: dict[str, Any], clock: Clock, seed: int) -> LitmosBackend:
        return LitmosBackend(fixtures, clock, seed, self.rate_limit)

    def render_error(self, error: MockError, scope: dict[str, Any]) -> WireResponse:
        return errors.render(error, scope, self.codec)

    def credential(self, scope: dict[str, Any]) -> str | None:
        return auth.api_key(scope)

    def rate_limited_credential(self, scope: dict[str, Any], backend: Any) -> str | None:
        """A known API key: an unknown one is refused (401) before the limit is asked."""
        key = auth.api_key(scope)
        return key if key and backend.api_keys.owner(key) is not None else None

    def rate_limit_error(self) -> MockError:
        return MockError(ErrorKind.RATE_LIMITED, auth.MSG_RATE)

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
    """The rules the API itself would enforce, resource by resource (each model module holds its
    own); the first record that breaks one stops the server with a FixtureError naming it."""
    users = check_seed_users(path, data)
    check_seed_keys(path, data, users)
    check_seed_teams(path, data, users)
    modules = check_seed_courses(path, data)
    check_seed_enrolments(path, data, users, modules)
    paths = check_seed_paths(path, data, users)
    check_seed_team_courses(path, data)
    check_seed_gamification(path, data, paths)
    check_seed_ilt(path, data, users)
