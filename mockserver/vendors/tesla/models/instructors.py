"""Instructors (`/api/v2/institution/{iid}/instructor/`): institution users holding the instructor role.

One person has one id (`people.py`): an instructor is a row of the users table with
`instructor` set, so it also appears under `/user/`, and deleting it through either route
deletes the person. The real API never sets an instructor's `username`: it stays `""`, and a
second such person breaks the real server's unique index (a 500 there, a 400 here by default).
"""

from __future__ import annotations

from typing import Any

from ....core.store import Row
from .. import wire
from ..wire import REQUIRED, UNIQUE, FieldErrors, FieldOrders
from ..listing import ListRules
from .cascades import Cascades
from .lookup import institution_pk, institution_row, not_found, path_institution, upstream_crash
from .people import validate_person
from .state import State

INSTRUCTOR_FLAGS = ("inst_admin", "legal_admin", "send_admin", "data_admin")
INSTRUCTOR_TEXT = ("first_name", "last_name", "email", "locale", "uid")
INSTRUCTOR_WRITABLE = (*INSTRUCTOR_TEXT, *INSTRUCTOR_FLAGS)
# The serializer's input fields in its order: the order of its field errors.
INSTRUCTOR_INPUT_ORDER = INSTRUCTOR_WRITABLE
# NOT NULL columns the real create leaves null when omitted (a 500 there).
CREATE_CRASH_FIELDS = ("first_name", "last_name", "email")
DATETIMES = frozenset({"created_at", "updated_at", "last_login"})
# No filter, search or ordering backends on the instructor view.
INSTRUCTOR_LIST_RULES = {"list_instructors": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                                       default_ordering=("id",))}


def view_instructor(fields: FieldOrders, row: Row) -> dict[str, Any]:
    return {name: wire.iso(row[name]) if name in DATETIMES else row[name] for name in fields["Instructor"]}


class Instructors:
    """The instructor routes' rules."""

    def __init__(self, state: State, cascades: Cascades) -> None:
        self._state = state
        self._users = state.tables.users
        self._cascades = cascades

    def rows(self, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self._state.lock:
            return [row for row in self._users.rows() if row["institution"] == iid and row.get("instructor")]

    def get(self, segment: str, id_segment: str) -> Row:
        row = institution_row(self._users, segment, id_segment)
        if not row.get("instructor"):
            raise not_found()
        return row

    def create(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        state = self._state
        with state.lock:
            institution = path_institution(state.tables.institutions, segment)
            iid = institution["id"]
            if state.quirks:  # omitted NOT NULL values pass validation and fail at save
                errors = wire.errors_passed_to_save(errors, CREATE_CRASH_FIELDS, (REQUIRED,))
            data = wire.trimmed(data, INSTRUCTOR_TEXT)
            validate_person(self._users, data, errors, institution, None, INSTRUCTOR_INPUT_ORDER)
            if state.quirks and any(name not in data for name in CREATE_CRASH_FIELDS):
                raise upstream_crash("instructor created without first_name, last_name or email")
            if any(row["username"] == "" for row in self._users.rows()):
                if state.quirks:
                    raise upstream_crash("a second user with the empty username")
                raise wire.invalid({"username": [UNIQUE]})
            now = state.now()
            row: Row = {"id": None, "username": "", "login_allowed": False, "locale": None, "last_login": None,
                        **{flag: False for flag in INSTRUCTOR_FLAGS}}
            row.update({name: data[name] for name in INSTRUCTOR_WRITABLE if name in data})
            row.update({"is_staff": False, "institution": iid, "instructor": True, "learner": False,
                        "password_hash": None, "created_at": now, "updated_at": now})
            return self._users.insert(row)

    def update(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.get(segment, id_segment)
            data = wire.trimmed(data, INSTRUCTOR_TEXT)
            validate_person(self._users, data, errors, self._state.tables.institutions.get(row["institution"]), row,
                            INSTRUCTOR_INPUT_ORDER)
            changes = {name: data[name] for name in INSTRUCTOR_WRITABLE if name in data}
            return self._users.update(row["id"], {**changes, "updated_at": self._state.now()})

    def delete(self, segment: str, id_segment: str) -> None:
        with self._state.lock:
            self._cascades.delete_person(self.get(segment, id_segment)["id"])  # the whole person, enrolments too

    def view(self, row: Row) -> dict[str, Any]:
        return view_instructor(self._state.fields, row)
