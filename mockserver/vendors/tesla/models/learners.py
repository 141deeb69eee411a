"""Learners (§4.12 of the vendor reference): institution users holding the learner role.

One person has one id (§4 "Id space"): a learner is a row of the users table with `learner`
set and a few learner columns (`learner_id`, `consent`, `consent_accepted`,
`consent_rejected`, `joined_at`), so it also appears under `/user/`, and deleting it through any
route deletes the person, its SEND assignments, its instrument enrolments and its course
enrolments (`delete_person`).

Public shape for the other TeSLA modules: `backend.learner_in(iid, segment)` (the learner or
None), `backend.view_learner(row, detail=...)` (the real serializer's keys and order) and
`backend.delete_person(user_id)`.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind
from ....core.store import Row, Table
from .. import drf
from .lookup import institution_pk, not_found, parse_pk, path_institution, upstream_crash
from .consent import bare
from ..drf import REQUIRED, FieldErrors
from .instructors import validate_person
from ..listing import Args, Filter, ListRules, last

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


def learner_uuid(seed: int, user_id: int) -> str:
    """A stable `learner_id` per (seed, person): a fixed seed gives the same UUIDs."""
    digest = hashlib.sha256(f"tesla:{seed}:learner:{user_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


class LearnerRules:
    """The learner routes' rules, mixed into the backend (which owns the tables and the lock)."""

    users: Table
    institutions: Table
    quirks: bool
    seed: int
    lock: Any
    _now: Callable[[], int]
    view_institution: Callable[[Row], dict[str, Any]]
    # From the consent and SEND rules (mixed into the same backend).
    consent_status: Callable[[Row | None], str]
    consent_view: Callable[[int | None], dict[str, Any] | None]
    consent_row: Callable[[int | None], Row | None]
    find_consent: Callable[[int, str], Row | None]
    version_key: Callable[[str], tuple[int, ...]]
    send_summary: Callable[[int], dict[str, Any]]
    delete_learner_sends: Callable[[int], None]
    delete_learner_enrolments: Callable[[int], None]
    delete_assessment_data: Callable[[str, int], None]
    enrolment_status: Callable[[int], list[dict[str, Any]]]

    # -- seed ----------------------------------------------------------------------------------
    def _load_learners(self, records: list[dict[str, Any]], password_hash: Callable[[str], str]) -> None:
        """Give seeded users the learner role; `consent` names a version of their institution's ICs."""
        for record in records:
            row = self.users.get(record["id"])
            changes: Row = {"learner": True, "learner_id": record.get("learner_id") or learner_uuid(self.seed, row["id"]),
                            "consent": None, "consent_accepted": None, "consent_rejected": None,
                            "joined_at": drf.to_micros(record.get("joined_at") or drf.iso(row["created_at"]))}
            if record.get("consent"):
                consent = self.find_consent(row["institution"], record["consent"])
                changes["consent"] = consent["id"] if consent else None
            if record.get("password"):
                changes["password_hash"] = password_hash(record["password"])
            for name in ("consent_accepted", "consent_rejected"):
                if record.get(name):
                    changes[name] = drf.to_micros(record[name])
            self.users.update(row["id"], changes)

    # -- lookups -------------------------------------------------------------------------------
    def learner_in(self, iid: int, segment: str | int | None) -> Row | None:
        row = self.users.get(parse_pk(segment))  # type: ignore[arg-type]
        return row if row is not None and row["institution"] == iid and row.get("learner") else None

    def learner_by_uuid(self, learner_id: str) -> Row | None:
        """The learner a `learners` token names (its `sub` is the learner's UUID)."""
        return next((row for row in self.users.rows() if row.get("learner") and row.get("learner_id") == learner_id), None)

    def list_learners(self, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self.lock:
            return [row for row in self.users.rows() if row["institution"] == iid and row.get("learner")]

    def learner(self, segment: str, id_segment: str) -> Row:
        row = self.learner_in(institution_pk(segment), id_segment)
        if row is None:
            raise not_found()
        return row

    # -- writes --------------------------------------------------------------------------------
    def create_learner(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            institution = path_institution(self.institutions, segment)
            iid = institution["id"]
            data = drf.trimmed(data, LEARNER_TEXT)
            validate_person(self.users, data, errors, institution, None, LEARNER_INPUT_ORDER, EMAIL_INDEXES)
            self._fits_username(data)
            now = self._now()
            row: Row = {"id": None, "username": data["email"], "first_name": "", "last_name": "", "locale": None,
                        "last_login": None, "login_allowed": False, **{flag: False for flag in LEARNER_FLAGS}}
            row.update({name: data[name] for name in LEARNER_WRITABLE if name in data})
            row.update({"is_staff": False, "institution": iid, "instructor": False, "learner": True,
                        "password_hash": None, "created_at": now, "updated_at": now, "learner_id": None,
                        "consent": None, "consent_accepted": None, "consent_rejected": None, "joined_at": now})
            row = self.users.insert(row)
            return self.users.update(row["id"], {"learner_id": learner_uuid(self.seed, row["id"])})

    def update_learner(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors,
                       partial: bool) -> Row:
        """PATCH needs `email` too: the real update reads it unconditionally (a 500 without it)."""
        with self.lock:
            row = self.learner(segment, id_segment)
            crashes = self.quirks and partial and "email" not in data
            if crashes:
                errors = drf.errors_passed_to_save(errors, ("email",), (REQUIRED,))
            data = drf.trimmed(data, LEARNER_TEXT)
            validate_person(self.users, data, errors, self.institutions.get(row["institution"]), row,
                            LEARNER_INPUT_ORDER, EMAIL_INDEXES)
            if crashes:
                raise upstream_crash("learner update without email")
            self._fits_username(data)
            changes = {name: data[name] for name in LEARNER_WRITABLE if name in data}
            changes["username"] = changes.get("email", row["username"])
            return self.users.update(row["id"], {**changes, "updated_at": self._now()})

    def _fits_username(self, data: dict[str, Any]) -> None:
        """A learner's email is also its username, a 150-character column: longer is a 500
        upstream (the database refuses it), a field error here."""
        email = data.get("email")
        if isinstance(email, str) and len(email) > USERNAME_MAX:
            if self.quirks:
                raise upstream_crash("a learner email too long to be its username")
            raise drf.invalid({"email": [f"Ensure this field has no more than {USERNAME_MAX} characters."]})

    def delete_learner(self, segment: str, id_segment: str) -> None:
        with self.lock:
            self.delete_person(self.learner(segment, id_segment)["id"])

    def delete_person(self, user_id: int) -> None:
        """A person and what hangs from it: SEND assignments, instrument enrolments, course
        enrolments, assessment sessions and alerts."""
        self.delete_learner_sends(user_id)
        self.delete_learner_enrolments(user_id)
        self.delete_assessment_data("learner", user_id)
        unenrol = getattr(self, "unenrol", None)  # the course rules, when mixed in
        if unenrol is not None:
            unenrol(user_id)
        self.users.delete(user_id)

    # -- the informed consent flow (§4.12 `ic` action) -----------------------------------------
    def accept_consent(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            row = self.learner(segment, id_segment)
            if errors:
                raise drf.invalid(errors)
            consent = self.find_consent(row["institution"], data["version"].strip())
            if consent is None:
                raise bare(ErrorKind.NOT_FOUND, CONSENT_NOT_FOUND)
            held = self.consent_row(row["consent"])
            if held is not None and row["consent_rejected"] is None:
                if self.version_key(consent["version"]) <= self.version_key(held["version"]):
                    raise bare(ErrorKind.BAD_REQUEST, CANNOT_DOWNGRADE)
            return self.users.update(row["id"], {"consent": consent["id"], "consent_accepted": self._now(),
                                                 "consent_rejected": None})

    def reject_consent(self, segment: str, id_segment: str) -> Row:
        with self.lock:
            row = self.learner(segment, id_segment)
            if self.consent_row(row["consent"]) is None:
                raise bare(ErrorKind.NOT_FOUND, NOTHING_TO_REJECT)
            return self.users.update(row["id"], {"consent_rejected": self._now()})

    def ic_status(self, row: Row) -> str:
        institution = self.institutions.get(row["institution"]) or {}
        if institution.get("external_ic"):
            return "VALID_EXTERNAL"
        if row["consent_rejected"] is not None:
            return "NOT_VALID_REJECTED"
        consent = self.consent_row(row["consent"])
        if consent is None:
            return "NOT_VALID_MISSING"
        return self.consent_status(consent)

    # -- views ---------------------------------------------------------------------------------
    def view_learner(self, row: Row, detail: bool = False) -> dict[str, Any]:
        institution = self.institutions.get(row["institution"])
        view: dict[str, Any] = {
            "id": row["id"],
            "institution": self.view_institution(institution) if institution else None,
            "username": row["username"],
            "consent": self.consent_view(row["consent"]),
            "consent_accepted": drf.iso(row["consent_accepted"]),
            "consent_rejected": drf.iso(row["consent_rejected"]),
            "learner_id": row["learner_id"],
            "last_login": drf.iso(row["last_login"]),
            "send": self.send_summary(row["id"]),
            "email": row["email"],
            "ic_status": self.ic_status(row),
            "login_allowed": row["login_allowed"],
        }
        if detail:
            view["enrolment_status"] = self.enrolment_status(row["id"])
        view.update({name: copy.deepcopy(row[name]) for name in ("first_name", "last_name", "locale")})
        view.update({"created_at": drf.iso(row["created_at"]), "updated_at": drf.iso(row["updated_at"]),
                     "uid": row["uid"], **{flag: row[flag] for flag in LEARNER_FLAGS},
                     "joined_at": drf.iso(row["joined_at"])})
        return view

