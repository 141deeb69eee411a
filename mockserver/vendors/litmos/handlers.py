"""Every Litmos operationId, by name (Connexion resolves them in this module).

The handlers live in one module per resource; this one only gathers them.
"""

from .handlers_courses import (
    assign_user_courses, get_course, list_achievements, get_user_course, list_course_modules, list_course_users, list_courses,
    list_courses_of_users, list_results_details, list_user_courses, mark_module_complete, remove_user_course, reset_user_course,
)
from .handlers_teams import (
    add_team_users, create_sub_team, create_team, delete_team, demote_team_admin, demote_team_leader, get_team,
    list_sub_teams, list_team_admins, list_team_leaders, list_team_users, list_teams, list_user_teams,
    promote_team_admin, promote_team_leader, remove_team_user, remove_user_from_all_teams, update_team,
)
from .handlers_users import (
    create_user, delete_user, get_user, list_users, list_users_details, list_users_paginated, update_user,
)

__all__ = [
    "assign_user_courses", "get_course", "list_achievements", "get_user_course", "list_course_modules", "list_course_users",
    "list_courses", "list_courses_of_users", "list_results_details", "list_user_courses", "mark_module_complete", "remove_user_course", "reset_user_course",
    "add_team_users", "create_sub_team", "create_team", "create_user", "delete_team", "delete_user",
    "demote_team_admin", "demote_team_leader", "get_team", "get_user", "list_sub_teams", "list_team_admins",
    "list_team_leaders", "list_team_users", "list_teams", "list_user_teams", "list_users", "list_users_details",
    "list_users_paginated", "promote_team_admin", "promote_team_leader", "remove_team_user",
    "remove_user_from_all_teams", "update_team", "update_user",
]
