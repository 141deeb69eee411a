"""Learners (`/api/v2/institution/{iid}/learner/`): institution users holding the learner role.

One person has one id (`people.py`): a learner is a row of the users table with `learner` set
and a few learner columns (`learner_id`, `consent`, `consent_accepted`, `consent_rejected`,
`joined_at`), so it also appears under `/user/`, and deleting it through any route deletes the
person, its SEND assignments, its instrument enrolments and its course enrolments
(`Cascades.delete_person`). Other modules nest a learner as `Learners.view` writes it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind
from ....core.store import Row, Table
from .. import wire
from ..wire import REQUIRED, FieldErrors
from ..listing import Args, Filter, ListRules, last
from .cascades import Cascades
from .consent import Consents, bare, find_consent, version_key
from .enrolments import Enrolments
from .institutions import view_institution
from .lookup import institution_pk, not_found, path_institution, upstream_crash
from .people import learner_in, learner_uuid, password_hash, validate_person
from .special_needs import SpecialNeeds
from .state import State

LEARNER_FLAGS = ("inst_admin", "legal_admin", "send_admin", "data_admin")
LEARNER_TEXT = ("email", "first_name", "last_name", "locale", "uid")
LEARNER_WRITABLE = (*LEARNER_TEXT, *LEARNER_FLAGS)
# The serializer's input fields in its order: the order of its field errors.
LEARNER_INPUT_ORDER = ("email", "first_name", "last_name", "locale", "uid", *LEARNER_FLAGS)
LEARNER_FILTERS = ("id", "uid", "email", "first_name", "last_name", "username")
# A learner's username is its email: an address may be nobody else's email nor username.
EMAIL_INDEXES = ("email", "username")
USERNAME_MAX = 150  # Django's User.username

CANNOT_DOWNGRADE = "Cannot downgrade consent"
CONSENT_NOT_FOUND = "Informed Consent not found"
NOTHING_TO_REJECT = "No Informed Consent to reject"
BIGINT_MAX = 2**63 - 1


@dataclass(frozen=True)
class NumberFilter(Filter):
    """django-filter's NumberFilter (and DRF's IntegerField): a value that is not a number is 400."""

    message: str = "Enter a number."
    bounded: bool = False  # a 64-bit integer (the value is echoed back: JSON writers stop there)

    def _value(self, args: Args) -> str:
        """The form field's text, stripped first (django-filter and DRF do): blank is no filter."""
        return (last(args, self.name) or "").strip()

    def error(self, args: Args) -> list[str] | None:
        value = self._value(args)
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            return [self.message]
        if self.bounded and number > BIGINT_MAX:
            return [f"Ensure this value is less than or equal to {BIGINT_MAX}."]
        if self.bounded and number < -BIGINT_MAX - 1:
            return [f"Ensure this value is greater than or equal to {-BIGINT_MAX - 1}."]
        return None

    def predicate(self, args: Args) -> Callable[[Row], bool] | None:
        value = self._value(args)
        return (lambda row: row.get(self.name) == int(value)) if value else None


# `learner/{id}/enrolment/?activity_id=`: only its error matters (a query Connexion refused).
ENROLMENT_RULES = ListRules(filters=(NumberFilter("activity_id", "number", message="A valid integer is required.",
                                                  bounded=True),),
                            search_fields=(), ordering_fields=frozenset(), default_ordering=("id",))
LEARNER_LIST_RULES = {
    "list_learners": ListRules(
        filters=(NumberFilter("id", "number"), *(Filter(name, "exact") for name in LEARNER_FILTERS[1:])),
        search_fields=LEARNER_FILTERS[1:],
        ordering_fields=frozenset(("id", "username", "consent_accepted", "consent_rejected", "learner_id",
                                   "last_login", "email", "login_allowed", "first_name", "last_name", "locale",
                                   "created_at", "updated_at", "uid", *LEARNER_FLAGS, "joined_at")),
        default_ordering=("id",),
    ),
    "get_learner_enrolment": ENROLMENT_RULES,
}


def seeded_learner(row: Row, record: dict[str, Any], consents: Table, seed: int) -> Row:
    """The changes that give a seeded user the learner role; `consent` names a version of its
    institution's ICs (seeded before the learners)."""
    joined_at = str(record.get("joined_at") or wire.iso(row["created_at"]))  # the user's creation by default
    changes: Row = {"learner": True, "learner_id": record.get("learner_id") or learner_uuid(seed, row["id"]),
                    "consent": None, "consent_accepted": None, "consent_rejected": None,
                    "joined_at": wire.to_micros(joined_at)}
    if record.get("consent"):
        consent = find_consent(consents, row["institution"], record["consent"])
        changes["consent"] = consent["id"] if consent else None
    if record.get("password"):
        changes["password_hash"] = password_hash(record["password"])
    for name in ("consent_accepted", "consent_rejected"):
        if record.get(name):
            changes[name] = wire.to_micros(record[name])
    return changes


class Learners:
    """The learner routes' rules, the informed consent flow, and the learner as other modules show it."""

    def __init__(self, state: State, consents: Consents, special_needs: SpecialNeeds, enrolments: Enrolments,
                 cascades: Cascades) -> None:
        self._state = state
        self._users = state.tables.users
        self._consents = consents
        self._special_needs = special_needs
        self._enrolments = enrolments
        self._cascades = cascades

    def rows(self, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self._state.lock:
            return [row for row in self._users.rows() if row["institution"] == iid and row.get("learner")]

    def get(self, segment: str, id_segment: str) -> Row:
        row = learner_in(self._users, institution_pk(segment), id_segment)
        if row is None:
            raise not_found()
        return row

    # -- writes --------------------------------------------------------------------------------
    def create(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        state = self._state
        with state.lock:
            institution = path_institution(state.tables.institutions, segment)
            iid = institution["id"]
            data = wire.trimmed(data, LEARNER_TEXT)
            validate_person(self._users, data, errors, institution, None, LEARNER_INPUT_ORDER, EMAIL_INDEXES)
            self._fits_username(data)
            now = state.now()
            row: Row = {"id": None, "username": data["email"], "first_name": "", "last_name": "", "locale": None,
                        "last_login": None, "login_allowed": False, **{flag: False for flag in LEARNER_FLAGS}}
            row.update({name: data[name] for name in LEARNER_WRITABLE if name in data})
            row.update({"is_staff": False, "institution": iid, "instructor": False, "learner": True,
                        "password_hash": None, "created_at": now, "updated_at": now, "learner_id": None,
                        "consent": None, "consent_accepted": None, "consent_rejected": None, "joined_at": now})
            row = self._users.insert(row)
            return self._users.update(row["id"], {"learner_id": learner_uuid(state.seed, row["id"])})

    def update(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors,
               partial: bool) -> Row:
        """PATCH needs `email` too: the real update reads it unconditionally (a 500 without it)."""
        state = self._state
        with state.lock:
            row = self.get(segment, id_segment)
            crashes = state.quirks and partial and "email" not in data
            if crashes:
                errors = wire.errors_passed_to_save(errors, ("email",), (REQUIRED,))
            data = wire.trimmed(data, LEARNER_TEXT)
            validate_person(self._users, data, errors, state.tables.institutions.get(row["institution"]), row,
                            LEARNER_INPUT_ORDER, EMAIL_INDEXES)
            if crashes:
                raise upstream_crash("learner update without email")
            self._fits_username(data)
            changes = {name: data[name] for name in LEARNER_WRITABLE if name in data}
            changes["username"] = changes.get("email", row["username"])
            return self._users.update(row["id"], {**changes, "updated_at": state.now()})

    def _fits_username(self, data: dict[str, Any]) -> None:
        """A learner's email is also its username, a 150-character column: longer is a 500
        upstream (the database refuses it), a field error here."""
        email = data.get("email")
        if isinstance(email, str) and len(email) > USERNAME_MAX:
            if self._state.quirks:
                raise upstream_crash("a learner email too long to be its username")
            raise wire.invalid({"email": [f"Ensure this field has no more than {USERNAME_MAX} characters."]})

    def delete(self, segment: str, id_segment: str) -> None:
        with self._state.lock:
            self._cascades.delete_person(self.get(segment, id_segment)["id"])

    # -- the informed consent flow (the learner's `ic` action) ----------------------------------
    def accept_consent(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.get(segment, id_segment)
            if errors:
                raise wire.invalid(errors)
            consent = self._consents.find(row["institution"], data["version"].strip())
            if consent is None:
                raise bare(ErrorKind.NOT_FOUND, CONSENT_NOT_FOUND)
            held = self._consents.row(row["consent"])
            if held is not None and row["consent_rejected"] is None:
                if version_key(consent["version"]) <= version_key(held["version"]):
                    raise bare(ErrorKind.BAD_REQUEST, CANNOT_DOWNGRADE)
            return self._users.update(row["id"], {"consent": consent["id"], "consent_accepted": self._state.now(),
                                                  "consent_rejected": None})

    def reject_consent(self, segment: str, id_segment: str) -> Row:
        with self._state.lock:
            row = self.get(segment, id_segment)
            if self._consents.row(row["consent"]) is None:
                raise bare(ErrorKind.NOT_FOUND, NOTHING_TO_REJECT)
            return self._users.update(row["id"], {"consent_rejected": self._state.now()})

    # -- views ---------------------------------------------------------------------------------
    def view(self, row: Row, detail: bool = False) -> dict[str, Any]:
        institution = self._state.tables.institutions.get(row["institution"])
        view: dict[str, Any] = {
            "id": row["id"],
            "institution": view_institution(self._state.fields, institution) if institution else None,
            "username": row["username"],
            "consent": self._consents.summary(row["consent"]),
            "consent_accepted": wire.iso(row["consent_accepted"]),
            "consent_rejected": wire.iso(row["consent_rejected"]),
            "learner_id": row["learner_id"],
            "last_login": wire.iso(row["last_login"]),
            "send": self._special_needs.summary(row["id"]),
            "email": row["email"],
            "ic_status": self._consents.ic_status(row),
            "login_allowed": row["login_allowed"],
        }
        if detail:
            view["enrolment_status"] = self._enrolments.summaries(row["id"])
        view.update({name: copy.deepcopy(row[name]) for name in ("first_name", "last_name", "locale")})
        view.update({"created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"]),
                     "uid": row["uid"], **{flag: row[flag] for flag in LEARNER_FLAGS},
                     "joined_at": wire.iso(row["joined_at"])})
        return view
