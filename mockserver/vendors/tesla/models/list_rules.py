"""How each list operation filters, searches and orders (its viewset's filter configuration), by
operationId: each resource module's rules in one table for the list handlers and for the error
renderer (which words a query value Connexion refused as django-filter would). Where a view
orders by any of its serializer's fields, they are read from the spec (`FieldOrders`)."""

from __future__ import annotations

from ..wire import FieldOrders
from ..listing import ListRules
from .activities import ACTIVITY_LIST_RULES
from .consent import CONSENT_LIST_RULES
from .course_people import course_people_list_rules
from .courses import COURSE_LIST_RULES
from .groups import GROUP_LIST_RULES
from .institutions import institution_list_rules
from .instructors import INSTRUCTOR_LIST_RULES
from .learners import LEARNER_LIST_RULES
from .reports import REPORT_LISTS
from .special_needs import SEND_LIST_RULES
from .ui_options import UI_LIST_RULES
from .user_actions import USER_ACTION_LIST_RULES
from .users import user_list_rules
from .vle_lists import VLE_LIST_RULES
from .vles import VLE_LIST_RULES as INSTITUTION_VLE_LIST_RULES


def list_rules(fields: FieldOrders) -> dict[str, ListRules]:
    return {
        **institution_list_rules(fields), **user_list_rules(fields), **INSTITUTION_VLE_LIST_RULES,
        **INSTRUCTOR_LIST_RULES, **COURSE_LIST_RULES, **ACTIVITY_LIST_RULES, **REPORT_LISTS,
        **course_people_list_rules(fields), **LEARNER_LIST_RULES, **CONSENT_LIST_RULES, **SEND_LIST_RULES,
        **UI_LIST_RULES, **USER_ACTION_LIST_RULES, **GROUP_LIST_RULES, **VLE_LIST_RULES,
    }
