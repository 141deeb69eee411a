"""Titus Connect HTTP mapping, one module per resource; operationId == function name (core/resolver.py)."""

from .account import create_suspension, delete_suspension, update_user_email
from .activity_completions import (create_activity_completion, create_activity_completions, delete_activity_completion,
                                   delete_activity_completions)
from .categories import get_category, list_categories
from .cohorts import (create_cohort_membership, create_cohort_memberships, delete_cohort_membership,
                      delete_cohort_memberships)
from .course_completions import get_course_completion, list_course_completions
from .courses import create_course, create_courses, delete_course, get_course, list_courses, update_course
from .customfields import list_course_custom_fields, list_user_profile_fields
from .enrolments import (create_course_enrolment, create_course_enrolments, delete_course_enrolment,
                         list_course_users, suspend_course_enrolment)
from .groups import (create_group, create_group_membership, create_group_memberships, create_groups, delete_group,
                     delete_group_membership, get_group, list_groups)
from .jobs import (create_job_assignment, create_job_assignments, delete_job_assignment, delete_job_assignments,
                   get_job_assignment, update_job_assignment)
from .org import (create_department, create_departments, create_position, create_positions, get_department,
                  get_position, list_departments, list_positions)
from .programs import (create_program, create_program_enrolment, create_program_suspension, get_program,
                       list_programs, update_program)
from .roles import get_role, list_roles
from .site import version_info
from .tenants import create_tenant, get_tenant, list_tenants, update_tenant
from .users import create_user, delete_user, get_user, list_users, update_user, update_users

__all__ = [
    "create_course", "create_course_enrolment", "create_course_enrolments", "create_courses", "create_user",
    "delete_course", "delete_course_enrolment", "delete_user", "get_category", "get_course", "get_role", "get_user",
    "list_categories", "list_course_users", "list_courses", "list_roles", "list_users", "suspend_course_enrolment",
    "update_course", "update_user", "version_info", "create_group", "create_group_membership",
    "create_group_memberships", "create_groups", "delete_group", "delete_group_membership", "get_group", "list_groups",
    "create_activity_completion", "create_activity_completions", "delete_activity_completion",
    "delete_activity_completions", "get_course_completion", "list_course_completions", "create_suspension",
    "delete_suspension", "update_user_email", "create_tenant", "get_tenant", "list_tenants", "update_tenant",
    "create_cohort_membership", "create_cohort_memberships", "delete_cohort_membership", "delete_cohort_memberships",
    "list_course_custom_fields", "list_user_profile_fields", "create_job_assignment", "create_job_assignments",
    "delete_job_assignment", "delete_job_assignments", "get_job_assignment", "update_job_assignment",
    "create_department", "create_departments", "create_position", "create_positions", "get_department",
    "get_position", "list_departments", "list_positions", "create_program", "create_program_enrolment",
    "create_program_suspension", "get_program", "list_programs", "update_program", "update_users",
]
