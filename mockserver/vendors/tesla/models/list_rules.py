"""How each list operation filters, searches and orders (its viewset's filter configuration), by
operationId: each resource module's rules in one table for the list handlers and for the error
renderer (which words a query value Connexion refused as django-filter would)."""

from __future__ import annotations

from ..listing import ListRules
from .activities import ACTIVITY_LIST_RULES
from .consent import CONSENT_LIST_RULES
from .course_people import COURSE_PEOPLE_LIST_RULES
from .courses import COURSE_LIST_RULES
from .groups import GROUP_LIST_RULES
from .institutions import INSTITUTION_LIST_RULES
from .instructors import INSTRUCTOR_LIST_RULES
from .learners import LEARNER_LIST_RULES
from .reports import REPORT_LISTS
from .special_needs import SEND_LIST_RULES
from .ui_options import UI_LIST_RULES
from .user_actions import USER_ACTION_LIST_RULES
from .users import USER_LIST_RULES
from .vle_lists import VLE_LIST_RULES
from .vles import VLE_LIST_RULES as INSTITUTION_VLE_LIST_RULES

LIST_RULES: dict[str, ListRules] = {
    **INSTITUTION_LIST_RULES, **USER_LIST_RULES, **INSTITUTION_VLE_LIST_RULES, **INSTRUCTOR_LIST_RULES,
    **COURSE_LIST_RULES, **ACTIVITY_LIST_RULES, **REPORT_LISTS, **COURSE_PEOPLE_LIST_RULES,
    **LEARNER_LIST_RULES, **CONSENT_LIST_RULES, **SEND_LIST_RULES, **UI_LIST_RULES, **USER_ACTION_LIST_RULES,
    **GROUP_LIST_RULES, **VLE_LIST_RULES,
}
