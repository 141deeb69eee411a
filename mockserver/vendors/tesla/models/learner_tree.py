"""The learner side of an institution as one mixin: learners, informed consent, SEND data.

`TeslaBackend` mixes `LearnerTreeRules` in; `add_learner_tree_tables` declares the tables and
`load_learner_tree` seeds them (after the users, whose rows learners extend). Cascades: deleting
a person deletes its SEND assignments and enrolments; deleting an IC version deletes its
documents and clears learners' consent; deleting a SEND category deletes its assignments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....core.fixtures import Collection
from .lookup import Reference, seed_ids, seed_rows
from .consent import CONSENT_LIST_RULES, ConsentRules, consent_tables
from .enrolments import EnrolmentRules, enrolment_table
from .groups import GROUP_LIST_RULES, GroupRules, group_table
from .learners import LEARNER_LIST_RULES, LearnerRules
from ..listing import ListRules
from .special_needs import SEND_LIST_RULES, SendRules, send_tables
from .sessions import SessionRules, launcher_table
from .ui_options import UI_LIST_RULES, UiRules, ui_table
from .user_actions import UserActionRules

LEARNER_TREE_LIST_RULES = {**LEARNER_LIST_RULES, **CONSENT_LIST_RULES, **SEND_LIST_RULES, **UI_LIST_RULES,
                           "list_user_activities": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                                             default_ordering=("id",)),
                           **GROUP_LIST_RULES}
LEARNER_TREE_COLLECTIONS = [
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


def learner_tree_references(data: dict[str, Any]) -> list[Reference]:
    """(record, field, value, known values) for every reference of the learner side's seed.

    Learners must be institution users without the instructor role; a learner's consent must be
    a version of its own institution; SEND instruments must be seeded instruments.
    """
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


class LearnerTreeRules(LearnerRules, ConsentRules, SendRules, EnrolmentRules, UiRules, SessionRules,
                       UserActionRules, GroupRules):
    """Everything TeSLA keeps about learners beyond the user row."""

    add_table: Any  # the backend's table registry

    def add_learner_tree_tables(self) -> None:
        self.consents, self.consent_documents = (self.add_table(table) for table in consent_tables())
        self.send_categories, self.send_assignments = (self.add_table(table) for table in send_tables())
        self.enrolments = self.add_table(enrolment_table())
        self.ui_options = self.add_table(ui_table())
        self.launchers = self.add_table(launcher_table())
        self.course_groups = self.add_table(group_table())
        self.send_instruments = frozenset()

    def load_learner_tree(self, fixtures: dict[str, Any], password_hash: Callable[[str], str]) -> None:
        """ICs first (learners name the version they accepted), then learners, then SEND data."""
        self.send_instruments = frozenset(record["id"] for record in fixtures.get("instruments") or [])
        self._load_consents(fixtures.get("consents") or [], fixtures.get("consent_documents") or [])
        self._load_learners(fixtures.get("learners") or [], password_hash)
        self._load_send(fixtures.get("send_categories") or [], fixtures.get("send_assignments") or [])
        self._load_enrolments(fixtures.get("enrolments") or [])
        self._load_ui(fixtures.get("ui_options") or [])
        self._load_launchers(fixtures.get("launchers") or [])
        self._load_groups(fixtures.get("course_groups") or [])

    def enrolment_status(self, learner_id: int) -> list[dict[str, Any]]:
        """The learner detail's `enrolment_status`: its per-instrument enrolment summaries."""
        return self.enrolment_summaries(learner_id)
