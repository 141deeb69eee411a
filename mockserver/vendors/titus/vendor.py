"""Titus Connect as a mountable vendor."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.clock import Clock
from ...core.cors import CorsPolicy
from ...core.errors import MockError
from ...core.fixtures import Collection, FixtureError
from ...core.schema import error_field, iter_errors
from ...core.progress import StartupProgress
from ..base import Vendor, WireResponse
from . import auth, errors
from .field_order import FieldOrders
from .models import TitusBackend
from .policy import Policy

if TYPE_CHECKING:
    from ...config import Settings


class TitusVendor(Vendor):
    name = "titus"
    title = "Titus Connect"
    mount_prefix = "/titus/api/v1"
    real_prefix = "/api/v1"
    strict_integers = True  # Moodle refuses a PARAM_INT value that cleaning would change (" 9")
    spec_file = "titus/openapi.yaml"
    handlers_module = "mockserver.vendors.titus.handlers"
    secret_fields = frozenset({"token"})
    state_references = {
        "courses": {"categoryid": "categories"},
        "enrolments": {"userid": "users", "courseid": "courses", "roleid": "roles"},
        "groups": {"courseid": "courses"},
        "group_members": {"groupid": "groups", "userid": "users", "courseid": "courses"},
        "cohort_members": {"cohortid": "cohorts", "userid": "users"},
        "job_assignments": {"userid": "users", "positionid": "positions", "organisationid": "departments",
                            "managerjaid": "job_assignments", "tempmanagerjaid": "job_assignments",
                            "appraiserid": "users"},
        "departments": {"frameworkid": "org_frameworks", "parentid": "departments"},
        "positions": {"frameworkid": "org_frameworks", "parentid": "positions"},
        "program_users": {"programid": "programs", "userid": "users"},
        "course_modules": {"courseid": "courses"},
        "activity_completions": {"cmid": "course_modules", "userid": "users", "courseid": "courses"},
        "course_completions": {"courseid": "courses", "userid": "users"},
        "users": {"tenantid": "tenants"},
    }
    fixture_file = "titus.yaml"
    # The REST transport (webservice_restful) sends `Access-Control-Allow-Origin: *` on every
    # answer, Origin or not; its newer version allows `POST, GET, OPTIONS` (docs/titus.md, "Choices
    # made where the design is silent": CORS). The rest is the mock's documented default: preflight
    # 200, the requested headers allowed.
    cors_policy = CorsPolicy(allow_methods=("POST", "GET", "OPTIONS"), allow_origin_without_origin=True)
    fixture_collections = [
        Collection("users", "SeedUser"),
        Collection("tokens", "SeedToken"),
        Collection("tenants", "SeedTenant", required=False),
        Collection("cohorts", "SeedCohort", required=False),
        Collection("cohort_memberships", "SeedCohortMembership", required=False),
        Collection("user_profile_fields", "SeedProfileField", required=False),
        Collection("categories", "SeedCategory", required=False),
        Collection("courses", "SeedCourse", required=False),
        Collection("roles", "SeedRole", required=False),
        Collection("course_enrolments", "SeedCourseEnrolment", required=False),
        Collection("groups", "SeedGroup", required=False),
        Collection("group_memberships", "SeedGroupMembership", required=False),
        Collection("course_modules", "SeedCourseModule", required=False),
        Collection("activity_completions", "SeedActivityCompletion", required=False),
        Collection("generated_users", "SeedUser", required=False),
        Collection("course_custom_fields", "SeedCourseField", required=False),
        Collection("organisation_frameworks", "SeedOrgFramework", required=False),
        Collection("organisation_departments", "SeedOrgItem", required=False),
        Collection("organisation_positions", "SeedOrgItem", required=False),
        Collection("job_assignments", "SeedJobAssignment", required=False),
        Collection("programs", "SeedProgram", required=False),
        Collection("program_enrolments", "SeedProgramEnrolment", required=False),
    ]

    def __init__(self, settings: Settings, specs_dir: Path) -> None:
        super().__init__(settings, specs_dir)
        # The handlers are checked against the spec first (core/resolver.py), so an operation that
        # has no handler is refused as that before its policy is read.
        self.handlers
        self.policy = Policy.from_spec(self.spec.raw)  # who may call what: each operation's x-capability
        self.orders = FieldOrders.from_spec(self.spec.raw)  # each record's fields in its schema's order

    def load_fixtures(self, fixtures_dir: Path, progress: StartupProgress | None = None) -> dict[str, Any]:
        data = super().load_fixtures(fixtures_dir, progress)
        for error in iter_errors(self.spec.record_validator("SeedSite"), data.get("site")):
            raise FixtureError(self.fixture_path(fixtures_dir), "site", error_field(error) or "-", error.message)
        return data

    def build_backend(self, fixtures: dict[str, Any], clock: Clock, seed: int) -> TitusBackend:
        return TitusBackend(fixtures, clock, seed, self.policy, self.orders)

    def render_error(self, error: MockError, scope: dict[str, Any]) -> WireResponse:
        return errors.render(error, scope)

    def authenticate(self, request: Any) -> dict[str, Any]:
        return auth.authenticate(request, self.backend(request.scope))

    def demo_credentials(self) -> list[str]:
        return [
            "Authorization: Bearer titus-admin-token     (site admin)",
            "Authorization: Bearer titus-readonly-token  (reads only; writes -> 403 nopermissions)",
            "Authorization: Bearer titus-expired-token   (-> 401 invalidtimedtoken)",
        ]
