"""TeSLA CE's state as one backend: the tables, and one object per resource module built with the
state (`State`) and the sibling modules it asks. No HTTP in here.

Handlers reach a resource as `backend.<resource>.<method>(...)`. Deletes that reach other
resources' rows go through `cascades` (the real server's foreign keys), so every collaborator
below is built before the modules that ask it, and none asks one built after it.
"""

from __future__ import annotations

from typing import Any

from ....core.clock import Clock
from ...base import Backend
from ..wire import FieldOrders
from ..listing import ListRules
from ..tokens import TokenSigner
from . import seed as seed_data
from .activities import Activities, activity_tables
from .assessment import Assessments, session_table
from .attachments import Attachments
from .cascades import Cascades
from .consent import Consents, consent_tables
from .course_people import CoursePeople
from .courses import Courses, course_table
from .enrolments import Enrolments, enrolment_table
from .groups import Groups, group_table
from .institutions import Institutions, institution_table
from .instructors import Instructors
from .learners import Learners
from .list_rules import list_rules
from .logins import Logins
from .reports import Reports, report_tables
from .samples import Samples
from .sessions import Sessions, launcher_table
from .special_needs import SpecialNeeds, send_tables
from .state import State, Tables
from .storage import Storage, storage_table
from .ui_options import UiOptions, ui_table
from .user_actions import UserActions
from .users import Users, user_table
from .vle_courses import VleCourses
from .vle_enrolment import VleEnrolment
from .vle_instruments import VleInstruments
from .vle_results import VleResults
from .vles import Vles, approle_table, vle_table
from .workers import Workers, alert_table


class TeslaBackend(Backend):
    """The seeded state and the rules of every TeSLA resource."""

    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int, fields: FieldOrders,
                 quirks: bool = False) -> None:
        super().__init__(clock, seed)
        self.quirks = quirks
        self.list_rules: dict[str, ListRules] = list_rules(fields)  # by list operationId
        # Registered in this order: the order of an export.
        tables = Tables(**{table.name: self.add_table(table) for table in (
            institution_table(), user_table(), vle_table(), approle_table(), course_table(), *activity_tables(),
            *report_tables(), *consent_tables(), *send_tables(), enrolment_table(), ui_table(), launcher_table(),
            group_table(), storage_table(), session_table(), alert_table())})
        self.state = state = State(tables, clock, self.lock, seed, quirks, TokenSigner(seed), fields)

        self.storage = Storage(tables.storage, seed)
        self.cascades = cascades = Cascades(tables, self.storage)
        self.institutions = Institutions(state)
        self.users = Users(state, cascades)
        self.logins = Logins(state)
        self.vles = Vles(state, cascades)
        self.courses = Courses(state, cascades)
        self.consents = Consents(state)
        # The SEND instruments are the ones the server started with (the serializer's choices).
        self.special_needs = SpecialNeeds(state, frozenset(r["id"] for r in fixtures.get("instruments") or []))
        self.activities = Activities(state, self.courses, self.special_needs, cascades)
        self.reports = Reports(state, self.courses, self.activities)
        self.enrolments = Enrolments(state, self.activities)
        self.learners = Learners(state, self.consents, self.special_needs, self.enrolments, cascades)
        self.instructors = Instructors(state, cascades)
        self.course_people = CoursePeople(state, self.courses, self.learners, cascades)
        self.ui_options = UiOptions(state)
        self.sessions = Sessions(state, self.ui_options)
        self.user_actions = UserActions(state, self.courses, self.activities, self.special_needs)
        self.groups = Groups(state)
        # The VLE API over the same rows, its session actions, the learner API and the workers.
        self.vle_courses = VleCourses(state, self.courses, cascades)
        self.vle_instruments = VleInstruments(state, self.activities, self.vle_courses, cascades)
        self.vle_enrolment = VleEnrolment(state, self.courses, self.learners)
        self.vle_results = VleResults(state, self.reports)
        self.assessments = Assessments(state, self.storage, self.activities, self.enrolments, self.consents,
                                       self.sessions)
        self.samples = Samples(state, self.storage)
        self.attachments = Attachments(state, self.samples, self.activities)
        self.workers = Workers(state, self.storage, self.enrolments, self.reports, self.consents)
        seed_data.load(tables, fixtures, seed)
