"""Every Litmos operationId, by name (the resolver, mockserver/core/resolver.py, checks this list
against the spec both ways at startup).

The handlers live in one module per resource, as the models do; this one only gathers them.
"""

from .achievements import list_achievements
from .bulk_imports import (
    create_bulk_import, create_course_bulk_import, get_bulk_import, list_bulk_import_user_errors, list_bulk_imports,
)
from .course_details import get_course_details
from .courses import get_course, list_course_modules, list_course_users, list_courses
from .gamification import (
    get_gamification_summary, list_team_gamification, list_user_badges, list_user_gamification, reset_user_gamification,
)
from .ilt import (
    create_module_session, delete_module_session, get_module_session, get_roll_call, list_future_sessions,
    list_instructor_sessions, list_instructors, list_module_sessions, list_past_sessions, post_roll_call,
    register_session_user, update_module_session,
)
from .learning_paths import (
    assign_user_learning_paths, get_learning_path, list_learning_path_courses, list_learning_path_users,
    list_learning_paths, list_user_learning_paths, remove_user_learning_path,
)
from .results import (
    assign_user_courses, get_user_course, list_courses_of_users, list_results_details, list_user_courses,
    mark_module_complete, remove_user_course, reset_user_course,
)
from .sso import login_page
from .team_assignments import (
    assign_team_courses, assign_team_learning_paths, list_team_courses, list_team_learning_paths,
    remove_team_courses, remove_team_learning_paths,
)
from .teams import (
    add_team_users, create_sub_team, create_team, delete_team, demote_team_admin, demote_team_leader, get_team,
    list_sub_teams, list_team_admins, list_team_leaders, list_team_users, list_teams, list_user_teams,
    promote_team_admin, promote_team_leader, remove_team_user, remove_user_from_all_teams, update_team,
)
from .users import (
    create_user, delete_user, get_user, list_users, list_users_details, list_users_paginated, update_user,
)

__all__ = [
    "list_achievements",
    "create_bulk_import", "create_course_bulk_import", "get_bulk_import", "list_bulk_import_user_errors",
    "list_bulk_imports",
    "get_course_details",
    "get_course", "list_course_modules", "list_course_users", "list_courses",
    "get_gamification_summary", "list_team_gamification", "list_user_badges", "list_user_gamification",
    "reset_user_gamification",
    "create_module_session", "delete_module_session", "get_module_session", "get_roll_call", "list_future_sessions",
    "list_instructor_sessions", "list_instructors", "list_module_sessions", "list_past_sessions", "post_roll_call",
    "register_session_user", "update_module_session",
    "assign_user_learning_paths", "get_learning_path", "list_learning_path_courses", "list_learning_path_users",
    "list_learning_paths", "list_user_learning_paths", "remove_user_learning_path",
    "assign_user_courses", "get_user_course", "list_courses_of_users", "list_results_details", "list_user_courses",
    "mark_module_complete", "remove_user_course", "reset_user_course",
    "login_page",
    "assign_team_courses", "assign_team_learning_paths", "list_team_courses", "list_team_learning_paths",
    "remove_team_courses", "remove_team_learning_paths",
    "add_team_users", "create_sub_team", "create_team", "delete_team", "demote_team_admin", "demote_team_leader",
    "get_team", "list_sub_teams", "list_team_admins", "list_team_leaders", "list_team_users", "list_teams",
    "list_user_teams", "promote_team_admin", "promote_team_leader", "remove_team_user", "remove_user_from_all_teams",
    "update_team",
    "create_user", "delete_user", "get_user", "list_users", "list_users_details", "list_users_paginated",
    "update_user",
]
