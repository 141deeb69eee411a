"""Instructors: institution users holding the instructor role (§4.11 of the vendor reference).

One person has one id (§4 "Id space"): an instructor is a row of the users table with
`instructor` set, so it also appears under `/user/`, and deleting it through either route
deletes the person. The real API never sets an instructor's `username`: it stays `""`, and a
second such person breaks the real server's unique index (a 500 there, a 400 here by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....core.store import Row, Table
from .. import drf
from ..drf import NON_FIELD_ERRORS, REQUIRED, UNIQUE, FieldErrors
from .lookup import UNIQUE_TOGETHER, institution_pk, institution_row, not_found, path_institution, upstream_crash

INSTRUCTOR_FIELDS = ("id", "username", "last_login", "first_name", "last_name", "email", "locale",
                     "created_at", "updated_at", "uid", "inst_admin", "legal_admin", "send_admin", "data_admin")
INSTRUCTOR_FLAGS = ("inst_admin", "legal_admin", "send_admin", "data_admin")
INSTRUCTOR_TEXT = ("first_name", "last_name", "email", "locale", "uid")
INSTRUCTOR_WRITABLE = (*INSTRUCTOR_TEXT, *INSTRUCTOR_FLAGS)
# The serializer's input fields in its order: the order of its field errors.
INSTRUCTOR_INPUT_ORDER = INSTRUCTOR_WRITABLE
# NOT NULL columns the real create leaves null when omitted (a 500 there).
CREATE_CRASH_FIELDS = ("first_name", "last_name", "email")
OUTSIDE_DOMAIN = "Provided email does not belong to institution domain"
DATETIMES = frozenset({"created_at", "updated_at", "last_login"})


def view_instructor(row: Row) -> dict[str, Any]:
    return {name: drf.iso(row[name]) if name in DATETIMES else row[name] for name in INSTRUCTOR_FIELDS}


def outside_domain(email: Any, mail_domain: str | None) -> bool:
    """The institution's `mail_domain`, when set, must be the address's domain (case-insensitive)."""
    if not mail_domain or not isinstance(email, str) or "@" not in email:
        return False
    return email.rsplit("@", 1)[1].casefold() != mail_domain.casefold()


def validate_person(users: Table, data: dict[str, Any], errors: FieldErrors, institution: Row | None,
                    current: Row | None, order: tuple[str, ...], email_indexes: tuple[str, ...] = ("email",)) -> None:
    """An instructor's or learner's checks: field errors (the email held by nobody else under any of
    `email_indexes`, then in the institution's domain), then (institution, uid); 400 on the first stage."""
    ignore = current["id"] if current else None
    errors = {k: list(v) for k, v in errors.items()}
    email = data.get("email")
    if isinstance(email, str) and "email" not in errors:
        holders = [users.find(index, email) for index in email_indexes]
        if any(holder is not None and holder["id"] != ignore for holder in holders):
            errors["email"] = [UNIQUE]
        elif outside_domain(email, institution["mail_domain"] if institution else None):
            errors["email"] = [OUTSIDE_DOMAIN]
    if errors:
        rank = {name: index for index, name in enumerate(order)}
        raise drf.invalid(dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank)))))
    iid = current["institution"] if current else (institution or {}).get("id")
    uid = data.get("uid", current["uid"] if current else None)
    holder = users.find("institution_uid", (iid, uid)) if uid else None
    if holder is not None and holder["id"] != ignore:
        raise drf.invalid({NON_FIELD_ERRORS: [UNIQUE_TOGETHER]})


class InstructorRules:
    """The instructor routes' rules, mixed into the backend (which owns the tables and the lock)."""

    users: Table
    institutions: Table
    quirks: bool
    lock: Any

    _now: Callable[[], int]  # the backend's clock, in DRF's microseconds (provided by the backend)
    delete_person: Callable[[int], None]  # the learner rules: a person with everything hanging from it

    def list_instructors(self, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self.lock:
            return [row for row in self.users.rows() if row["institution"] == iid and row.get("instructor")]

    def instructor(self, segment: str, id_segment: str) -> Row:
        row = institution_row(self.users, segment, id_segment)
        if not row.get("instructor"):
            raise not_found()
        return row

    def create_instructor(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            institution = path_institution(self.institutions, segment)
            iid = institution["id"]
            if self.quirks:  # omitted NOT NULL values pass validation and fail at save
                errors = drf.errors_passed_to_save(errors, CREATE_CRASH_FIELDS, (REQUIRED,))
            data = drf.trimmed(data, INSTRUCTOR_TEXT)
            validate_person(self.users, data, errors, institution, None, INSTRUCTOR_INPUT_ORDER)
            if self.quirks and any(name not in data for name in CREATE_CRASH_FIELDS):
                raise upstream_crash("instructor created without first_name, last_name or email")
            if any(row["username"] == "" for row in self.users.rows()):
                if self.quirks:
                    raise upstream_crash("a second user with the empty username")
                raise drf.invalid({"username": [UNIQUE]})
            now = self._now()
            row: Row = {"id": None, "username": "", "login_allowed": False, "locale": None, "last_login": None,
                        **{flag: False for flag in INSTRUCTOR_FLAGS}}
            row.update({name: data[name] for name in INSTRUCTOR_WRITABLE if name in data})
            row.update({"is_staff": False, "institution": iid, "instructor": True, "learner": False,
                        "password_hash": None, "created_at": now, "updated_at": now})
            return self.users.insert(row)

    def update_instructor(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            row = self.instructor(segment, id_segment)
            data = drf.trimmed(data, INSTRUCTOR_TEXT)
            validate_person(self.users, data, errors, self.institutions.get(row["institution"]), row,
                            INSTRUCTOR_INPUT_ORDER)
            changes = {name: data[name] for name in INSTRUCTOR_WRITABLE if name in data}
            return self.users.update(row["id"], {**changes, "updated_at": self._now()})

    def delete_instructor(self, segment: str, id_segment: str) -> None:
        with self.lock:
            self.delete_person(self.instructor(segment, id_segment)["id"])  # the whole person, enrolments too
