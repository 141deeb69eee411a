"""The Titus backend: every table, the seed, tokens; rules live in the per-resource mixins."""

from __future__ import annotations

import copy
from typing import Any

from ....core.clock import Clock
from ....core.errors import ErrorKind, MockError
from ....core.store import Table
from ...base import Backend
from .account import AccountMixin
from .caller import Principal
from .cohorts import CohortsMixin, cohort_member_table
from .completions import CompletionsMixin, completion_tables
from .courses import CoursesMixin, course_tables
from .customfields import CustomFieldsMixin, custom_field_tables
from .enrolments import EnrolmentsMixin, enrolment_tables
from .groups import GroupsMixin, group_tables
from .jobs import JobsMixin, job_table
from .org import OrgMixin, org_tables
from .programs import ProgramsMixin, program_tables
from .references import LookupMixin
from .roles import ReferenceMixin, reference_tables
from .tenants import TenantsMixin, tenant_tables
from .users import UsersMixin, users_table


class TitusBackend(UsersMixin, AccountMixin, CoursesMixin, EnrolmentsMixin, GroupsMixin, CompletionsMixin, TenantsMixin,
                   CohortsMixin, ReferenceMixin, OrgMixin, JobsMixin, ProgramsMixin, CustomFieldsMixin, LookupMixin,
                   Backend):
    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int) -> None:
        super().__init__(clock, seed)
        self.users = self.add_table(users_table())
        # Deleted users leave the live table (so paging stays O(page)) but are kept for audit.
        self.deleted_users = self.add_table(Table("deleted_users"))
        self.tenants, self.cohorts = (self.add_table(t) for t in tenant_tables())
        self.cohort_members = self.add_table(cohort_member_table())
        self.profile_fields, self.course_fields = (self.add_table(t) for t in custom_field_tables())
        self.job_assignments = self.add_table(job_table())
        self.org_frameworks, self.departments, self.positions = (self.add_table(t) for t in org_tables())
        self.programs, self.program_users = (self.add_table(t) for t in program_tables())
        # What a user's deletion takes out of the live tables (job assignments, program enrolments), kept for audit.
        self.deleted_records = self.add_table(Table("deleted_records"))
        self.categories, self.courses = (self.add_table(t) for t in course_tables())
        (self.roles,) = (self.add_table(t) for t in reference_tables())
        (self.enrolments,) = (self.add_table(t) for t in enrolment_tables())
        self.groups, self.group_members = (self.add_table(t) for t in group_tables())
        self.course_modules, self.activity_completions, self.course_completions = (
            self.add_table(t) for t in completion_tables())
        self.tokens: dict[str, dict[str, Any]] = {}
        self.site: dict[str, Any] = dict(fixtures.get("site") or {})
        self._load(copy.deepcopy(fixtures))

    def _load(self, fixtures: dict[str, Any]) -> None:
        self.seed_tenants(fixtures.get("tenants", []), fixtures.get("cohorts", []),
                          int(fixtures.get("seeded_at", 1700000000)))
        self.seed_custom_fields(fixtures.get("user_profile_fields", []), fixtures.get("course_custom_fields", []))
        seeded_at = int(fixtures.get("seeded_at", 1700000000))
        self.seed_users(fixtures.get("users", []) + fixtures.get("generated_users", []), seeded_at)
        self.seed_courses(fixtures.get("categories", []), fixtures.get("courses", []), seeded_at)
        self.seed_org(fixtures.get("organisation_frameworks", []), fixtures.get("organisation_departments", []),
                      fixtures.get("organisation_positions", []), seeded_at)
        self.seed_jobs(fixtures.get("job_assignments", []), seeded_at)
        self.seed_programs(fixtures.get("programs", []), fixtures.get("program_enrolments", []), seeded_at)
        self.seed_roles(fixtures.get("roles", []))
        self.seed_enrolments(fixtures.get("course_enrolments", []), seeded_at)
        self.seed_groups(fixtures.get("groups", []), fixtures.get("group_memberships", []), seeded_at)
        self.seed_cohort_members(fixtures.get("cohort_memberships", []), seeded_at)
        self.seed_completions(fixtures.get("course_modules", []), fixtures.get("activity_completions", []), seeded_at)
        for token in fixtures.get("tokens", []):
            self.tokens[token["token"]] = {"validuntil": 0, "tenantid": None, **token}

    def export_state(self) -> dict[str, Any]:
        state = super().export_state()
        state["tokens"] = copy.deepcopy(list(self.tokens.values()))
        return state

    def import_state(self, state: dict[str, Any]) -> None:
        tokens = state.get("tokens")
        super().import_state({"tables": state.get("tables")})
        if isinstance(tokens, list):
            self.tokens = {t["token"]: dict(t) for t in tokens if isinstance(t, dict) and "token" in t}

    def principal_for(self, token: str) -> Principal:
        record = self.tokens.get(token)
        if record is None:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token - token not found", code="invalidtoken")
        if record["validuntil"] and record["validuntil"] < self.clock.now():
            raise MockError(
                ErrorKind.UNAUTHORIZED,
                "Invalid token - token expired - check validuntil time for the token",
                code="invalidtimedtoken",
            )
        user = self.users.get(record["userid"])
        if user is None:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token - token not found", code="invalidtoken")
        if user["suspended"] or self.tenant_suspended(user["tenantid"]):
            raise MockError(ErrorKind.FORBIDDEN, "Access control exception (User suspended)", code="accessexception")
        return Principal(token, user["id"], record["profile"], record.get("tenantid"))

    def archive_record(self, source: str, row: dict[str, Any]) -> None:
        """Keep a row a cascade took out of a live table (soft delete: no read answers it any more)."""
        self.deleted_records.insert({"source": source, "record": dict(row), "timedeleted": int(self.clock.now())})

    def version_info(self) -> dict[str, Any]:
        return dict(self.site)
