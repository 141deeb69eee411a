"""The TeSLA seed (`fixtures/tesla.yaml`): its sections, the references checked at startup, and the
rows it gives each table.

Sections load in dependency order: institutions, users, VLEs and their AppRoles, then the course
tree (instruments first; a seeded activity belongs to its course's VLE), then the learner side
(ICs before learners, who name the version they accepted; learners extend their user rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....core.fixtures import Collection
from ....core.store import Row, Table
from .activities import seed_activity, seed_activity_instrument, seed_instrument
from .consent import seed_consent, seed_document
from .courses import seed_course
from .enrolments import seed_enrolment
from .groups import seed_group
from .institutions import seed_institution
from .learners import seeded_learner
from .reports import seed_timed
from .sessions import seed_launcher
from .special_needs import seed_assignment, seed_category
from .state import Tables
from .ui_options import seed_ui_option
from .users import seed_user
from .vles import seed_approle, seed_vle

# A seed reference to check at startup: (record, field, value, the values it may take).
Reference = tuple[str, str, Any, set[Any]]

COLLECTIONS = [
    Collection("institutions", "SeedInstitution"),
    Collection("users", "SeedUser"),
    Collection("vles", "SeedVle", required=False),
    Collection("approles", "SeedAppRole", required=False),
    Collection("instruments", "SeedInstrument", required=False),
    Collection("courses", "SeedCourse", required=False),
    Collection("activities", "SeedActivity", required=False),
    Collection("activity_instruments", "SeedActivityInstrument", required=False),
    Collection("reports", "SeedReport", required=False),
    Collection("report_requests", "SeedReportRequest", required=False),
    Collection("report_audits", "SeedReportAudit", required=False),
    Collection("consents", "SeedConsent", required=False),
    Collection("consent_documents", "SeedConsentDocument", required=False),
    Collection("learners", "SeedLearner", required=False),
    Collection("send_categories", "SeedSendCategory", required=False),
    Collection("send_assignments", "SeedSendAssignment", required=False),
    Collection("enrolments", "SeedEnrolment", required=False),
    Collection("ui_options", "SeedUiOption", required=False),
    Collection("launchers", "SeedLauncher", required=False),
    Collection("course_groups", "SeedCourseGroup", required=False),
]


def _records(fixtures: dict[str, Any], section: str) -> list[dict[str, Any]]:
    return fixtures.get(section) or []


def _insert(table: Table, records: list[dict[str, Any]], seed: Callable[[dict[str, Any]], Row]) -> None:
    for record in records:
        table.insert(seed(record))


def load(tables: Tables, fixtures: dict[str, Any], seed: int) -> None:
    """Fill empty tables with the seed."""
    _insert(tables.institutions, _records(fixtures, "institutions"), seed_institution)
    _insert(tables.users, _records(fixtures, "users"), seed_user)
    _insert(tables.vles, _records(fixtures, "vles"), seed_vle)
    _insert(tables.approles, _records(fixtures, "approles"), seed_approle)
    _insert(tables.instruments, _records(fixtures, "instruments"), seed_instrument)
    _insert(tables.courses, _records(fixtures, "courses"), seed_course)
    for record in _records(fixtures, "activities"):
        row = seed_activity(record)
        course = tables.courses.get(row["course"])
        row["vle"] = course["vle"] if course else None  # a seeded activity belongs to its course's VLE
        tables.activities.insert(row)
    _insert(tables.activity_instruments, _records(fixtures, "activity_instruments"), seed_activity_instrument)
    _insert(tables.reports, _records(fixtures, "reports"), lambda r: seed_timed(r, {"data": None}))
    _insert(tables.report_requests, _records(fixtures, "report_requests"),
            lambda r: seed_timed(r, {"data": None, "error_message": None, "message_code": None, "result": []}))
    _insert(tables.report_audits, _records(fixtures, "report_audits"), lambda r: seed_timed(r, {"audit_data": None}))
    _insert(tables.consents, _records(fixtures, "consents"), seed_consent)
    _insert(tables.consent_documents, _records(fixtures, "consent_documents"), seed_document)
    for record in _records(fixtures, "learners"):
        user = tables.users.get(record["id"])
        assert user is not None, "checked at startup (learner_references)"
        tables.users.update(user["id"], seeded_learner(user, record, tables.consents, seed))
    _insert(tables.send_categories, _records(fixtures, "send_categories"), seed_category)
    _insert(tables.send_assignments, _records(fixtures, "send_assignments"), seed_assignment)
    _insert(tables.enrolments, _records(fixtures, "enrolments"), seed_enrolment)
    _insert(tables.ui_options, _records(fixtures, "ui_options"), seed_ui_option)
    _insert(tables.launchers, _records(fixtures, "launchers"), seed_launcher)
    _insert(tables.course_groups, _records(fixtures, "course_groups"), seed_group)


def seed_rows(data: dict[str, Any], section: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, record) for a seed section, which may be absent."""
    return list(enumerate(data.get(section) or []))


def seed_ids(data: dict[str, Any], section: str) -> set[Any]:
    """The ids a seed section holds (none when it is absent)."""
    return {record["id"] for record in data.get(section) or []}


def references(data: dict[str, Any]) -> list[Reference]:
    """Every reference of the seed: institutions, VLEs, the course tree and the learner side."""
    institutions = seed_ids(data, "institutions")
    found: list[Reference] = [
        *((f"users[{i}]", "institution", r.get("institution"), institutions) for i, r in seed_rows(data, "users")),
        *((f"vles[{i}]", "institution", r["institution"], institutions) for i, r in seed_rows(data, "vles")),
        *((f"approles[{i}]", "vle_id", r["vle_id"], seed_ids(data, "vles")) for i, r in seed_rows(data, "approles")),
    ]
    return [*found, *course_tree_references(data), *learner_references(data)]


def course_tree_references(data: dict[str, Any]) -> list[Reference]:
    """The course tree's references. Enrolled people must be users of the course's institution;
    instructors must hold the role."""
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


def learner_references(data: dict[str, Any]) -> list[Reference]:
    """The learner side's references. Learners must be institution users without the instructor
    role; a learner's consent must be a version of its own institution; SEND instruments must be
    seeded instruments."""
    users = {record["id"]: record for record in data.get("users") or []}
    people = {uid for uid, user in users.items() if user.get("institution") is not None and not user.get("instructor")}
    learners, institutions = seed_ids(data, "learners"), {x["id"] for x in data["institutions"]}
    versions: dict[Any, set[str]] = {}
    for record in data.get("consents") or []:
        versions.setdefault(record["institution"], set()).add(record["version"])
    found: list[Reference] = []
    found.extend((f"consents[{i}]", "institution", r["institution"], institutions)
                 for i, r in seed_rows(data, "consents"))
    found.extend((f"consent_documents[{i}]", "consent", r["consent"], seed_ids(data, "consents"))
                 for i, r in seed_rows(data, "consent_documents"))
    for i, r in seed_rows(data, "learners"):
        found.append((f"learners[{i}]", "id", r["id"], people))
        institution = (users.get(r["id"]) or {}).get("institution")
        found.append((f"learners[{i}]", "consent", r.get("consent"), versions.get(institution, set())))
    instruments = seed_ids(data, "instruments")
    for i, r in seed_rows(data, "send_categories"):
        found.append((f"send_categories[{i}]", "institution", r["institution"], institutions))
        found.extend((f"send_categories[{i}]", "data", instrument, instruments)
                     for instrument in (r.get("data") or {}).get("disabled_instruments") or [])
    for i, r in seed_rows(data, "send_assignments"):
        found.append((f"send_assignments[{i}]", "learner", r["learner"], learners))
        found.append((f"send_assignments[{i}]", "category", r["category"], seed_ids(data, "send_categories")))
    for i, r in seed_rows(data, "enrolments"):
        found.append((f"enrolments[{i}]", "learner", r["learner"], learners))
        found.append((f"enrolments[{i}]", "instrument_id", r["instrument_id"], instruments))
    found.extend((f"ui_options[{i}]", "user", r.get("user"), set(users)) for i, r in seed_rows(data, "ui_options"))
    found.extend((f"ui_options[{i}]", "institution", r.get("institution"), institutions)
                 for i, r in seed_rows(data, "ui_options"))
    members = {uid for uid, user in users.items() if user.get("institution") is not None}
    found.extend((f"launchers[{i}]", "user", r["user"], members) for i, r in seed_rows(data, "launchers"))
    groups = {r["id"]: r for r in data.get("course_groups") or []}
    for i, r in seed_rows(data, "course_groups"):
        found.append((f"course_groups[{i}]", "institution", r["institution"], institutions))
        same = {gid for gid, g in groups.items() if g["institution"] == r["institution"] and gid != r["id"]}
        found.append((f"course_groups[{i}]", "parent", r.get("parent"), same))
        found.extend((f"course_groups[{i}]", "courses", c, seed_ids(data, "courses"))
                     for c in r.get("courses") or [])
    return found
