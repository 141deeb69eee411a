"""Institution users (`/api/v2/institution/{iid}/user/[{id}/]`) and the users table they live in.

Users share one id sequence, as Django's `auth_user` does: global admins (`is_staff`, no
institution) and institution users live in one table (`people.py`). Validation follows DRF's
order: field errors (with uniqueness) first, then unique-together, then the serializer's own
`validate`. Deleting a user deletes the person with what hangs from it (`Cascades.delete_person`).
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, exact_key
from .. import wire
from ..wire import NON_FIELD_ERRORS, NULL, REQUIRED, UNIQUE, FieldErrors, FieldOrders
from ..listing import Filter, ListRules
from ..permissions import Principal
from .cascades import Cascades
from .lookup import UNIQUE_TOGETHER, institution_pk, not_found, parse_pk, path_institution, upstream_crash
from .people import in_order, password_hash
from .state import State

USER_FLAGS = ("login_allowed", "inst_admin", "legal_admin", "send_admin", "data_admin")
USER_TEXT = ("username", "first_name", "last_name", "uid", "email", "locale")
USER_WRITABLE = (*USER_TEXT, *USER_FLAGS)
# The user serializer's input fields in its order: the order of its field errors.
USER_INPUT_ORDER = ("username", "password", "password2", "first_name", "last_name", "uid", "email", *USER_FLAGS, "locale")
DATETIMES = frozenset({"created_at", "updated_at", "last_login"})
# Input the real server accepts but cannot store (NOT NULL columns): 500 there, 400 here by
# default, the 500 again with the `quirks` setting.
CREATE_CRASH_FIELDS = ("password", "first_name", "last_name", "email")
UPDATE_CRASH_FIELDS = ("first_name", "last_name", "email")
PASSWORDS_DIFFER = "Passwords does not match"
CANNOT_DELETE_SELF = "Cannot delete yourself"

# Role filter values of the user list, as predicates on a user row.
ROLES = {
    "ADMIN": lambda row: row["inst_admin"],
    "SEND": lambda row: row["send_admin"],
    "LEGAL": lambda row: row["legal_admin"],
    "DATA": lambda row: row["data_admin"],
    "INSTRUCTOR": lambda row: row["instructor"],
    "LEARNER": lambda row: row["learner"],
}
USER_TEXT_FILTERS = ("username", "first_name", "last_name", "email", "uid")
# Every person's stored columns: the user's own, who it is, and its roles.
USER_COLUMNS = ("id", "username", "last_login", "first_name", "last_name", "uid", "email", *USER_FLAGS, "locale",
                "created_at", "updated_at", "is_staff", "institution", "password_hash", "instructor", "learner")


def user_list_rules(fields: FieldOrders) -> dict[str, ListRules]:
    """The list orders by any of its serializer's fields."""
    return {"list_users": ListRules(
        filters=(*(Filter(name, "icontains") for name in USER_TEXT_FILTERS), Filter("roles", "choice", ROLES)),
        search_fields=USER_TEXT_FILTERS,
        ordering_fields=frozenset(fields["InstitutionUser"]),
        default_ordering=("id",),
    )}


def _institution_uid(row: Row) -> tuple[int, str] | None:
    return (row["institution"], row["uid"]) if row.get("institution") is not None and row.get("uid") else None


def user_table() -> Table:
    """Every person: `is_staff` and `institution` say who it is, `instructor` and `learner` its roles."""
    return Table("users", unique=[
        Unique("username", exact_key("username")),
        Unique("email", exact_key("email")),
        Unique("institution_uid", _institution_uid),
    ], fields=USER_COLUMNS)


def seed_user(record: dict[str, Any]) -> Row:
    row: Row = {flag: False for flag in USER_FLAGS}
    row.update({"is_staff": False, "institution": None, "uid": None, "locale": None, "last_login": None,
                "instructor": False, "learner": False})
    row.update(copy.deepcopy({k: v for k, v in record.items() if k != "password"}))
    row["password_hash"] = password_hash(record["password"]) if record.get("password") else None
    for name in DATETIMES:
        if isinstance(row.get(name), str):
            row[name] = wire.to_micros(row[name])
    row.setdefault("updated_at", row["created_at"])
    return row


def view_user(fields: FieldOrders, row: Row) -> dict[str, Any]:
    return {name: wire.iso(row[name]) if name in DATETIMES else row[name] for name in fields["InstitutionUser"]}


class Users:
    """The institution user routes' rules."""

    def __init__(self, state: State, cascades: Cascades) -> None:
        self._state = state
        self._table = state.tables.users
        self._cascades = cascades

    @staticmethod
    def _visible(principal: Principal, iid: int, row: Row | None) -> bool:
        return (row is not None and row["institution"] == iid
                and (principal.sees_all_users or row["id"] == principal.user_id))

    def rows(self, principal: Principal, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self._state.lock:
            return [row for row in self._table.rows() if self._visible(principal, iid, row)]

    def get(self, principal: Principal, segment: str, id_segment: str) -> Row:
        iid = institution_pk(segment)
        row = self._table.get(parse_pk(id_segment))
        if row is None or not self._visible(principal, iid, row):
            raise not_found()
        return row

    def create(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        state = self._state
        with state.lock:
            iid = path_institution(state.tables.institutions, segment)["id"]
            errors = self._crash_errors_kept_for_save(errors, CREATE_CRASH_FIELDS, (REQUIRED, NULL))
            data = wire.trimmed(data, USER_TEXT)
            self._validate(data, errors, iid, None)
            if state.quirks and any(data.get(name) is None for name in CREATE_CRASH_FIELDS):
                raise upstream_crash("user created without password, first_name, last_name or email")
            now = state.now()
            row: Row = {"id": None, **{flag: False for flag in USER_FLAGS}, "locale": None, "last_login": None}
            row.update({name: data[name] for name in USER_WRITABLE if name in data})
            row.update({"is_staff": False, "institution": iid, "instructor": False, "learner": False,
                        "created_at": now, "updated_at": now})
            row["password_hash"] = password_hash(data["password"]) if row["login_allowed"] else None
            return self._table.insert(row)

    def update(self, principal: Principal, segment: str, id_segment: str, data: dict[str, Any],
               errors: FieldErrors) -> Row:
        state = self._state
        with state.lock:
            row = self.get(principal, segment, id_segment)
            errors = self._crash_errors_kept_for_save(errors, UPDATE_CRASH_FIELDS, (NULL,))
            data = wire.trimmed(data, USER_TEXT)
            self._validate(data, errors, row["institution"], row)
            if state.quirks and any(name in data and data[name] is None for name in UPDATE_CRASH_FIELDS):
                raise upstream_crash("first_name, last_name or email set to null")
            changes = {name: data[name] for name in USER_WRITABLE if name in data}
            login_allowed = changes.get("login_allowed", row["login_allowed"])
            if not login_allowed and ("login_allowed" in changes or "password" in data):
                changes["password_hash"] = None  # ignored and made unusable
            elif data.get("password") is not None:
                changes["password_hash"] = password_hash(data["password"])
            return self._table.update(row["id"], {**changes, "updated_at": state.now()})

    def delete(self, principal: Principal, segment: str, id_segment: str) -> None:
        with self._state.lock:
            row = self.get(principal, segment, id_segment)
            if row["id"] == principal.user_id:
                raise MockError(ErrorKind.FORBIDDEN, CANNOT_DELETE_SELF)
            self._cascades.delete_person(row["id"])

    def view(self, row: Row) -> dict[str, Any]:
        return view_user(self._state.fields, row)

    def _crash_errors_kept_for_save(self, errors: FieldErrors, names: tuple[str, ...],
                                    messages: tuple[str, ...]) -> FieldErrors:
        """With quirks, a missing or null NOT NULL value passes validation and fails at save."""
        return wire.errors_passed_to_save(errors, names, messages) if self._state.quirks else errors

    def _validate(self, data: dict[str, Any], errors: FieldErrors, iid: int, current: Row | None) -> None:
        """Uniqueness per field, then (institution, uid), then the password rule; 400 on the first stage that fails."""
        ignore = current["id"] if current else None
        errors = {k: list(v) for k, v in errors.items()}
        for name in ("username", "email"):
            value = data.get(name)
            holder = self._table.find(name, value) if isinstance(value, str) and name not in errors else None
            if holder is not None and holder["id"] != ignore:
                errors[name] = [UNIQUE]
        if errors:
            raise wire.invalid(in_order(errors, USER_INPUT_ORDER))
        uid = data.get("uid", current["uid"] if current else None)
        holder = self._table.find("institution_uid", (iid, uid)) if uid else None
        if holder is not None and holder["id"] != ignore:
            raise wire.invalid({NON_FIELD_ERRORS: [UNIQUE_TOGETHER]})
        if data.get("login_allowed") is True and data.get("password") != data.get("password2"):
            raise wire.invalid({NON_FIELD_ERRORS: [PASSWORDS_DIFFER]})
