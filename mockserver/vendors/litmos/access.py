"""Which access levels may call each Litmos operation: the one table every operation registers in.

A key acts as its user, so the user's `AccessLevel` decides (litmos.md §1.1). The levels per
operation are the "Access" columns of litmos.md §2–§7; where a row names none, reads are open to
Account Owners and Administrators and writes to Account Owners (the classic docs: "access to most
API requests is limited to Account Owners"). An operation missing here answers only Account
Owners (fail closed); tests/vendors/litmos/test_access.py checks that every operation of the spec has a row.

To add an operation: one line in `ACCESS`, `operationId: LEVEL_SET`.
"""

from __future__ import annotations

from typing import Any

OWNER = frozenset({"Account_Owner"})
ADMINS = OWNER | {"Administrator"}
LEADERS = ADMINS | {"Team_Leader"}  # the docs' "Team Admin / Team Leader"; Team_Leader is the access level

ACCESS: dict[str, frozenset[str]] = {
    # users (§2.2): Account Owners; the older docs also let Administrators read users
    "list_users": ADMINS, "get_user": ADMINS, "list_users_paginated": OWNER, "list_users_details": OWNER,
    "create_user": OWNER, "update_user": OWNER, "delete_user": OWNER,
    # teams (§3, §3.1, §3.2)
    "list_teams": OWNER, "get_team": ADMINS, "create_team": ADMINS, "update_team": ADMINS, "delete_team": ADMINS,
    "list_sub_teams": ADMINS, "create_sub_team": ADMINS,
    "list_team_users": ADMINS, "add_team_users": ADMINS, "remove_team_user": ADMINS,
    "list_user_teams": ADMINS, "remove_user_from_all_teams": ADMINS,
    "list_team_leaders": OWNER, "promote_team_leader": ADMINS, "demote_team_leader": ADMINS,
    "list_team_admins": ADMINS, "promote_team_admin": ADMINS, "demote_team_admin": ADMINS,
    # courses and results (§4)
    "list_courses": OWNER, "get_course": ADMINS, "get_course_details": ADMINS, "list_course_modules": OWNER, "list_course_users": ADMINS,
    "list_user_courses": OWNER, "assign_user_courses": ADMINS, "get_user_course": ADMINS,
    "remove_user_course": OWNER, "reset_user_course": ADMINS, "list_courses_of_users": ADMINS,
    "list_results_details": ADMINS, "mark_module_complete": OWNER,
    # achievements (§5)
    "list_achievements": OWNER,
    # gamification (§5): Super Admin / Account Owner / Administrator
    "get_gamification_summary": ADMINS, "list_user_badges": ADMINS, "list_user_gamification": ADMINS,
    "list_team_gamification": ADMINS, "reset_user_gamification": ADMINS,
    # learning paths (§6): Account Owners & Administrators
    "list_learning_paths": ADMINS, "get_learning_path": ADMINS, "list_learning_path_courses": ADMINS,
    "list_learning_path_users": ADMINS, "list_user_learning_paths": ADMINS, "assign_user_learning_paths": ADMINS,
    "remove_user_learning_path": ADMINS, "list_team_learning_paths": ADMINS, "assign_team_learning_paths": ADMINS,
    "remove_team_learning_paths": ADMINS,
    # team courses (§3.3): Account Owners
    "list_team_courses": OWNER, "assign_team_courses": OWNER, "remove_team_courses": OWNER,
    # bulk imports ("Additions" A.2): user imports by Account Owners, Administrators and Team Leaders (the docs'
    # "Team Admins, Team Leaders"), their jobs read by Account Owners and Administrators (KYMA); course imports
    # name no level, so, as a write, Account Owners
    "create_bulk_import": LEADERS, "list_bulk_imports": ADMINS, "get_bulk_import": ADMINS,
    "list_bulk_import_user_errors": ADMINS, "create_course_bulk_import": OWNER,
    # instructor-led training (§7)
    "list_instructors": LEADERS, "list_instructor_sessions": ADMINS,
    "list_future_sessions": ADMINS, "list_past_sessions": ADMINS,
    "list_module_sessions": ADMINS, "create_module_session": ADMINS, "get_module_session": ADMINS,
    "update_module_session": ADMINS, "delete_module_session": ADMINS, "register_session_user": ADMINS,
    "get_roll_call": LEADERS, "post_roll_call": LEADERS,
}


def allowed_levels(operation_id: str | None) -> frozenset[str]:
    """The access levels that may call `operation_id` (Account Owners only when unlisted)."""
    return ACCESS.get(operation_id or "", OWNER)


def operation_id(scope: dict[str, Any]) -> str | None:
    """The operationId Connexion's router matched for this request, if any."""
    routing = scope.get("extensions", {}).get("connexion_routing", {})
    return routing.get("operation_id")
