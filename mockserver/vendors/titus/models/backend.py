"""The Titus backend: builds the tables, one object per resource (handed the siblings it calls), the seed."""

from __future__ import annotations

from typing import Any

from ....core.clock import Clock
from ....core.store import Table
from ...base import Backend
from ..field_order import FieldOrders
from ..policy import Policy
from .account import Account
from .activity_completions import (ActivityCompletions, activity_completion_table, course_completion_table,
                                   course_module_table)
from .categories import Categories, category_table
from .cohorts import Cohorts, cohort_member_table, cohort_table
from .course_completions import CourseCompletions
from .courses import Courses, course_table
from .customfields import CustomFields, course_field_table, profile_field_table
from .enrolments import Enrolments, enrolment_table
from .groups import Groups, group_member_table, group_table
from .jobs import Jobs, job_table
from .org import DEPARTMENT, POSITION, Organisation, framework_table, item_table
from .programs import Programs, program_table, program_user_table
from .references import References
from .roles import Roles, role_table
from .site import Site
from .store import Store, Tables
from .tenants import Tenants, tenant_table
from .tokens import Tokens
from .users import Users, users_table


def new_tables(orders: FieldOrders) -> Tables:
    """Empty tables; where a record has a response schema, its stored columns are that schema's properties."""
    of = orders.of
    return Tables(
        users=users_table(of("User")), deleted_users=Table("deleted_users"), tenants=tenant_table(),
        cohorts=cohort_table(), cohort_members=cohort_member_table(of("CohortMembership")),
        profile_fields=profile_field_table(), course_fields=course_field_table(),
        job_assignments=job_table(of("JobAssignment")), org_frameworks=framework_table(),
        departments=item_table(DEPARTMENT, of("OrgItem")), positions=item_table(POSITION, of("OrgItem")),
        programs=program_table(of("Program")), program_users=program_user_table(of("ProgramEnrolment")),
        deleted_records=Table("deleted_records"), categories=category_table(of("Category")),
        courses=course_table(of("Course")), roles=role_table(of("Role")),
        enrolments=enrolment_table(of("CourseEnrolment")), groups=group_table(of("Group")),
        group_members=group_member_table(of("GroupMembership")), course_modules=course_module_table(),
        activity_completions=activity_completion_table(of("ActivityCompletion")),
        course_completions=course_completion_table(),
    )


class TitusBackend(Backend):
    """Handlers call `backend.<resource>.<method>`; every resource shares one store (tables, clock, lock)."""

    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int, policy: Policy,
                 orders: FieldOrders) -> None:
        super().__init__(clock, seed)
        tables = new_tables(orders)
        for table in tables.all():
            self.add_table(table)
        store = Store(tables, clock, self.lock)
        references = References(store)
        self.site = Site(fixtures.get("site") or {})
        self.roles = Roles(store, orders)
        self.custom_fields = CustomFields(store, orders)
        self.categories = Categories(store, orders)
        self.cohorts = Cohorts(store, orders)
        self.tenants = Tenants(store, orders, self.site, self.categories, self.cohorts)
        self.tokens = Tokens(store, self.tenants)
        self.organisation = Organisation(store, orders)
        self.jobs = Jobs(store, orders, references, self.organisation)
        self.programs = Programs(store, orders, references, self.categories, self.tenants)
        self.groups = Groups(store, orders, references, self.categories)
        self.activity_completions = ActivityCompletions(store, orders, references, self.categories)
        self.enrolments = Enrolments(store, orders, references, self.categories, self.roles, self.groups,
                                     self.activity_completions)
        self.course_completions = CourseCompletions(store, orders, self.categories, self.enrolments)
        self.courses = Courses(store, orders, self.categories, self.custom_fields,
                               contents=(self.groups, self.enrolments, self.activity_completions))
        # A user out of the token's reach is refused naming what reading a user needs, whichever
        # operation reached them.
        viewing = policy.capability("get_user")
        # Leavers in this order: a deleted user's jobs are archived before their program enrolments.
        self.users = Users(store, orders, self.tenants, self.custom_fields, self.jobs, viewing=viewing,
                           leavers=(self.jobs, self.programs, self.enrolments, self.groups, self.cohorts,
                                    self.activity_completions, self.tokens))
        self.account = Account(store, self.users)
        self._load(fixtures)

    def _load(self, fixtures: dict[str, Any]) -> None:
        """The seed, in an order that lets each collection find what it names."""
        seeded_at = int(fixtures.get("seeded_at", 1700000000))
        self.cohorts.seed_cohorts(fixtures.get("cohorts", []))
        self.tenants.seed(fixtures.get("tenants", []), seeded_at)
        self.custom_fields.seed(fixtures.get("user_profile_fields", []), fixtures.get("course_custom_fields", []))
        self.users.seed(fixtures.get("users", []) + fixtures.get("generated_users", []), seeded_at)
        self.categories.seed(fixtures.get("categories", []))
        self.courses.seed(fixtures.get("courses", []), seeded_at)
        self.organisation.seed(fixtures.get("organisation_frameworks", []),
                               fixtures.get("organisation_departments", []),
                               fixtures.get("organisation_positions", []), seeded_at)
        self.jobs.seed(fixtures.get("job_assignments", []), seeded_at)
        self.programs.seed(fixtures.get("programs", []), fixtures.get("program_enrolments", []), seeded_at)
        self.roles.seed(fixtures.get("roles", []))
        self.enrolments.seed(fixtures.get("course_enrolments", []), seeded_at)
        self.groups.seed(fixtures.get("groups", []), fixtures.get("group_memberships", []), seeded_at)
        self.cohorts.seed_members(fixtures.get("cohort_memberships", []), seeded_at)
        self.activity_completions.seed(fixtures.get("course_modules", []), fixtures.get("activity_completions", []),
                                       seeded_at)
        self.tokens.seed(fixtures.get("tokens", []))

    def export_state(self, *, copied: bool = True) -> dict[str, Any]:
        state = super().export_state(copied=copied)
        state["tokens"] = self.tokens.export()
        return state

    def import_state(self, state: dict[str, Any], *, owned: bool = False) -> None:
        tokens = state.get("tokens")
        super().import_state({"tables": state.get("tables")}, owned=owned)
        if isinstance(tokens, list):
            self.tokens.load(tokens)
