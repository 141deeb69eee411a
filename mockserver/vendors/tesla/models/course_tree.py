"""The course tree's tables, seed and list rules in one mixin: courses, their people, activities,
activity instruments, reports, requests and audits (one `TeslaBackend` holds them all).

Cascades run downwards: VLE → courses → activities → activity instruments and reports → audits
(and the learner's requests in that activity).
"""

from __future__ import annotations

from typing import Any

from ....core.fixtures import Collection
from .activities import ActivityRules, activity_tables, seed_activity, seed_activity_instrument, seed_instrument
from .lookup import Reference, seed_ids, seed_rows
from .course_people import COURSE_PEOPLE_LIST_RULES, CoursePeopleRules
from .courses import CourseRules, course_table, seed_course
from ..listing import ListRules
from .reports import NO_LIST_RULES, REPORT_LIST_RULES, InstrumentsFilter, ReportRules, report_tables, seed_timed

# Course, activity and activity-instrument views have no filter or search backends (order `id`).
COURSE_TREE_LIST_RULES: dict[str, ListRules] = {
    "list_courses": NO_LIST_RULES,
    "list_instruments": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                  default_ordering=("acronym",)),
    "list_activities": NO_LIST_RULES,
    "list_activity_instruments": NO_LIST_RULES,
    "list_reports": REPORT_LIST_RULES,
    # The handler checks `instruments` against the instruments that exist at the time; this entry
    # words the values Connexion refuses first (not numbers: no instrument has such an id).
    "list_report_requests": ListRules(filters=(InstrumentsFilter("instruments", frozenset),), search_fields=(),
                                      ordering_fields=frozenset(), default_ordering=()),
    "list_report_audits": NO_LIST_RULES,
    **COURSE_PEOPLE_LIST_RULES,
}

_SEEDS = (
    ("instruments", "instruments", seed_instrument),
    ("courses", "courses", seed_course),
    ("activities", "activities", seed_activity),
    ("activity_instruments", "activity_instruments", seed_activity_instrument),
    ("reports", "reports", lambda r: seed_timed(r, {"data": None})),
    ("report_requests", "report_requests",
     lambda r: seed_timed(r, {"data": None, "error_message": None, "message_code": None, "result": []})),
    ("report_audits", "report_audits", lambda r: seed_timed(r, {"audit_data": None})),
)


class CourseTreeRules(CoursePeopleRules, ReportRules, ActivityRules, CourseRules):
    """Everything under `/course/` and `/instrument/`, mixed into the backend."""

    add_table: Any

    def add_course_tree_tables(self) -> None:
        for table in (course_table(), *activity_tables(), *report_tables()):
            setattr(self, table.name, self.add_table(table))

    def unenrol(self, user_id: int) -> None:
        """A person leaves: out of every course, and their reports, requests and audits go too."""
        super().unenrol(user_id)
        self.delete_learner_reports(user_id)

    def load_course_tree(self, fixtures: dict[str, Any]) -> None:
        for section, table, seed in _SEEDS:
            for record in fixtures.get(section) or []:
                row = seed(record)
                if section == "activities":  # a seeded activity belongs to its course's VLE
                    course = self.courses.get(row["course"])
                    row["vle"] = course["vle"] if course else None
                getattr(self, table).insert(row)


COURSE_TREE_COLLECTIONS = [
    Collection("instruments", "SeedInstrument", required=False),
    Collection("courses", "SeedCourse", required=False),
    Collection("activities", "SeedActivity", required=False),
    Collection("activity_instruments", "SeedActivityInstrument", required=False),
    Collection("reports", "SeedReport", required=False),
    Collection("report_requests", "SeedReportRequest", required=False),
    Collection("report_audits", "SeedReportAudit", required=False),
]


def course_tree_references(data: dict[str, Any]) -> list[Reference]:
    """(record, field, value, known ids) for every reference of the course tree's seed.

    Enrolled people must be users of the course's institution; instructors must hold the role.
    """
    users = {record["id"]: record for record in data.get("users") or []}
    vle_institution = {record["id"]: record["institution"] for record in data.get("vles") or []}
    found: list[Reference] = []
    for i, course in seed_rows(data, "courses"):
        found.append((f"courses[{i}]", "vle", course["vle"], set(vle_institution)))
        members = {uid for uid, user in users.items() if user.get("institution") == vle_institution.get(course["vle"])}
        teachers = {uid for uid in members if users[uid].get("instructor")}
        found.extend((f"courses[{i}]", "instructors", uid, teachers) for uid in course.get("instructors") or [])
        found.extend((f"courses[{i}]", "learners", uid, members) for uid in course.get("learners") or [])
    activities, instruments = seed_ids(data, "activities"), seed_ids(data, "instruments")
    found.extend((f"activities[{i}]", "course", r["course"], seed_ids(data, "courses"))
                 for i, r in seed_rows(data, "activities"))
    for i, r in seed_rows(data, "activity_instruments"):
        found.append((f"activity_instruments[{i}]", "activity", r["activity"], activities))
        found.append((f"activity_instruments[{i}]", "instrument_id", r["instrument_id"], instruments))
        found.append((f"activity_instruments[{i}]", "alternative_to", r.get("alternative_to"),
                      seed_ids(data, "activity_instruments")))
    for section in ("reports", "report_requests"):
        for i, r in seed_rows(data, section):
            found.append((f"{section}[{i}]", "activity", r["activity"], activities))
            found.append((f"{section}[{i}]", "learner", r["learner"], set(users)))
    for i, r in seed_rows(data, "report_audits"):
        found.append((f"report_audits[{i}]", "report", r["report"], seed_ids(data, "reports")))
        found.append((f"report_audits[{i}]", "instrument", r["instrument"], instruments))
    return found
