"""Courses of an institution's VLEs (`/api/v2/institution/{iid}/course/`) and their enrolments:
the root of the course tree.

A course row is `{id, vle, vle_course_id, code, description, start, end, instructors, learners,
created_at, updated_at}`: `vle` is the VLE id (the institution is the VLE's), `start`/`end`/
`created_at`/`updated_at` are DRF microseconds (`wire.iso` renders them), and `instructors`/
`learners` are sorted lists of user ids (the enrolments). Other modules ask `Courses` for a
course's institution (`institution_of`), a person's courses (`courses_of`), a caller's roles in a
course (`roles`, for the permission classes) and the course as the serializer writes it (`view`).

Courses come from the VLE API on the real server: POST and a write that changes the id cannot
be stored there (a 500); the mock answers 400 unless `quirks` asks for that 500. Deleting a
course (or its VLE) deletes its activities and everything under them.
"""

from __future__ import annotations

import copy
from typing import Any, NoReturn

from ....core.store import Row, Table, Unique
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors
from ..listing import ListRules
from ..permissions import Principal
from .cascades import Cascades
from .institutions import view_institution
from .lookup import institution_pk, not_found, parse_pk, path_institution, upstream_crash
from .state import State
from .vles import VLE_TYPES

COURSE_DATETIMES = ("start", "end", "created_at", "updated_at")
COURSE_COLUMNS = ("id", "vle", "vle_course_id", "code", "description", "start", "end", "instructors",
                       "learners", "created_at", "updated_at")
VLE_COURSE_UNIQUE = "The fields vle, vle_course_id must make a unique set."
CREATED_BY_VLE = "Courses are created through the VLE API."
# The course view has no filter or search backends (order `id`).
COURSE_LIST_RULES = {"list_courses": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                               default_ordering=("id",))}


def _vle_course_key(row: Row) -> tuple[int, str]:
    return (row["vle"], row["vle_course_id"])


def course_table() -> Table:
    return Table("courses", unique=[Unique("vle_course", _vle_course_key)], fields=COURSE_COLUMNS)


def seed_course(record: dict[str, Any]) -> Row:
    row: Row = {"description": None, "start": None, "end": None, "instructors": [], "learners": [],
                **copy.deepcopy(record)}
    row.setdefault("updated_at", row["created_at"])
    for name in COURSE_DATETIMES:
        if isinstance(row.get(name), str):
            row[name] = wire.to_micros(row[name])
    row["instructors"], row["learners"] = sorted(row["instructors"]), sorted(row["learners"])
    return row


class Courses:
    """The course routes' rules, and what other modules ask about courses."""

    def __init__(self, state: State, cascades: Cascades) -> None:
        self._state = state
        self._table = state.tables.courses
        self._cascades = cascades

    # -- what other modules ask ------------------------------------------------------------------
    def institution_of(self, row: Row) -> int | None:
        vle = self._state.tables.vles.get(row["vle"])
        return vle["institution"] if vle else None

    def courses_of(self, user_id: int | None) -> list[int]:
        return [row["id"] for row in self._table.rows()
                if user_id in row["instructors"] or user_id in row["learners"]]

    def enabled(self, course_id: int) -> bool:
        """A course is enabled when any of its activities is."""
        return any(row["enabled"] for row in self._state.tables.activities.rows() if row["course"] == course_id)

    def roles(self, principal: Principal, course_segment: str) -> frozenset[str]:
        """INSTRUCTOR/LEARNER when the caller is enrolled in the path's course of its own institution."""
        row = self._table.get(parse_pk(course_segment))
        if row is None or principal.kind != "member" or self.institution_of(row) != principal.institution_id:
            return frozenset()
        return user_roles(row, principal.user_id)

    def course_in(self, segment: str | int, course_segment: str | int) -> Row | None:
        """The path's course when it belongs to the path's institution (no visibility rule)."""
        iid = institution_pk(segment)
        row = self._table.get(parse_pk(course_segment))
        return row if row is not None and self.institution_of(row) == iid else None

    @staticmethod
    def _sees_all(principal: Principal) -> bool:
        return principal.is_global_admin or principal.inst_admin or principal.data_admin

    # -- routes --------------------------------------------------------------------------------
    def rows(self, principal: Principal, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self._state.lock:
            rows = [row for row in self._table.rows() if self.institution_of(row) == iid]
            if self._sees_all(principal):
                return rows
            return [row for row in rows if user_roles(row, principal.user_id)]

    def get(self, principal: Principal, segment: str | int, id_segment: str | int) -> Row:
        """A course of the institution the caller may see (404 otherwise)."""
        iid = institution_pk(segment)
        row = self._table.get(parse_pk(id_segment))
        if row is None or self.institution_of(row) != iid:
            raise not_found()
        if not self._sees_all(principal) and not user_roles(row, principal.user_id):
            raise not_found()
        return row

    def create(self, segment: str, errors: FieldErrors) -> NoReturn:
        state = self._state
        with state.lock:
            path_institution(state.tables.institutions, segment)
            if errors:
                raise wire.invalid(errors)
            if state.quirks:
                raise upstream_crash("a course without a VLE (NOT NULL column)")
            raise wire.invalid({NON_FIELD_ERRORS: [CREATED_BY_VLE]})

    def update(self, principal: Principal, segment: str | int, id_segment: str | int, data: dict[str, Any],
               errors: FieldErrors) -> Row:
        """Only `id` is writable: the same id saves the course as it is; another one would copy it."""
        with self._state.lock:
            row = self.get(principal, segment, id_segment)
            if errors:
                raise wire.invalid(errors)
            if "id" in data and data["id"] != row["id"]:
                if self._state.quirks:
                    raise upstream_crash("a course saved under another id (duplicate vle, vle_course_id)")
                raise wire.invalid({NON_FIELD_ERRORS: [VLE_COURSE_UNIQUE]})
            return self._table.update(row["id"], {"updated_at": self._state.now()})

    def delete(self, principal: Principal, segment: str | int, id_segment: str | int) -> None:
        with self._state.lock:
            self._cascades.delete_course(self.get(principal, segment, id_segment)["id"])

    # -- views ---------------------------------------------------------------------------------
    def view_vle(self, vle_id: int) -> dict[str, Any]:
        """A VLE as the course (and VLE API) serializers nest it: its type's name, the full institution."""
        tables = self._state.tables
        vle: Row = tables.vles.get(vle_id) or {}
        institution = tables.institutions.get(vle.get("institution"))
        return {"id": vle.get("id"), "type": VLE_TYPES.get(vle.get("type", 0), "MOODLE"),
                "institution": view_institution(self._state.fields, institution) if institution else None,
                "name": vle.get("name"), "url": vle.get("url"), "client_id": vle.get("client_id")}

    def view(self, row: Row, principal: Principal) -> dict[str, Any]:
        """The course as the institution API writes it for this caller (`user_roles` are its own)."""
        return {
            "id": row["id"],
            "vle": self.view_vle(row["vle"]),
            "vle_course_id": row["vle_course_id"], "code": row["code"], "description": row["description"],
            "start": wire.iso(row["start"]), "end": wire.iso(row["end"]),
            "user_roles": sorted(user_roles(row, principal.user_id), key=("LEARNER", "INSTRUCTOR").index),
            "enabled": self.enabled(row["id"]),
            "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"]),
        }


def user_roles(row: Row, user_id: int | None) -> frozenset[str]:
    roles = set()
    if user_id in row["learners"]:
        roles.add("LEARNER")
    if user_id in row["instructors"]:
        roles.add("INSTRUCTOR")
    return frozenset(roles)
