"""Courses of an institution's VLEs (§4.3) and their enrolments: the root of the course tree.

Public shape for the other TeSLA modules (groups, learners, user activities):
- `backend.courses` is a Table of rows `{id, vle, vle_course_id, code, description, start, end,
  instructors, learners, created_at, updated_at}`: `vle` is the VLE id (the institution is the
  VLE's), `start`/`end`/`created_at`/`updated_at` are DRF microseconds (`drf.iso` renders them),
  and `instructors`/`learners` are sorted lists of user ids (the enrolments).
- `backend.course_institution(row)` is the course's institution id; `backend.courses_of(user_id)`
  the ids of the courses a person teaches or follows; `backend.unenrol(user_id)` drops a person
  from every course (call it when a person is deleted).
- `backend.view_course(row, principal)` is the course as the real serializer writes it (for that caller).

Courses come from the VLE API on the real server: POST and a write that changes the id cannot
be stored there (a 500); the mock answers 400 unless `quirks` asks for that 500. Deleting a
course (or its VLE) deletes its activities and everything under them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NoReturn

from ....core.store import Row, Table, Unique
from .. import drf
from .lookup import institution_pk, not_found, parse_pk, path_institution, upstream_crash
from ..drf import NON_FIELD_ERRORS, FieldErrors
from ..permissions import Principal
from .vles import VLE_TYPES

COURSE_FIELDS = ("id", "vle", "vle_course_id", "code", "description", "start", "end", "user_roles", "enabled",
                 "created_at", "updated_at")
COURSE_DATETIMES = ("start", "end", "created_at", "updated_at")
COURSE_TABLE_FIELDS = ("id", "vle", "vle_course_id", "code", "description", "start", "end", "instructors",
                       "learners", "created_at", "updated_at")
VLE_COURSE_UNIQUE = "The fields vle, vle_course_id must make a unique set."
CREATED_BY_VLE = "Courses are created through the VLE API."


def _vle_course_key(row: Row) -> tuple[int, str]:
    return (row["vle"], row["vle_course_id"])


def course_table() -> Table:
    return Table("courses", unique=[Unique("vle_course", _vle_course_key)], fields=COURSE_TABLE_FIELDS)


def seed_course(record: dict[str, Any]) -> Row:
    row: Row = {"description": None, "start": None, "end": None, "instructors": [], "learners": [],
                **copy.deepcopy(record)}
    row.setdefault("updated_at", row["created_at"])
    for name in COURSE_DATETIMES:
        if isinstance(row.get(name), str):
            row[name] = drf.to_micros(row[name])
    row["instructors"], row["learners"] = sorted(row["instructors"]), sorted(row["learners"])
    return row


class CourseRules:
    """The course routes' rules, mixed into the backend (which owns the tables, the seed and the lock)."""

    courses: Table
    vles: Table
    institutions: Table
    quirks: bool
    lock: Any
    view_institution: Callable[[Row], dict[str, Any]]
    _now: Callable[[], int]
    course_enabled: Callable[[int], bool]  # any enabled activity (the activity rules)
    delete_course_activities: Callable[[int], None]

    # -- shared lookups ------------------------------------------------------------------------
    def course_institution(self, row: Row) -> int | None:
        vle = self.vles.get(row["vle"])
        return vle["institution"] if vle else None

    def courses_of(self, user_id: int | None) -> list[int]:
        return [row["id"] for row in self.courses.rows()
                if user_id in row["instructors"] or user_id in row["learners"]]

    def unenrol(self, user_id: int) -> None:
        for row in list(self.courses.rows()):
            if user_id in row["instructors"] or user_id in row["learners"]:
                self.courses.update(row["id"], {
                    "instructors": [i for i in row["instructors"] if i != user_id],
                    "learners": [i for i in row["learners"] if i != user_id]})

    def course_roles(self, principal: Principal, course_segment: str) -> frozenset[str]:
        """INSTRUCTOR/LEARNER when the caller is enrolled in the path's course of its own institution."""
        row = self.courses.get(parse_pk(course_segment))
        if row is None or principal.kind != "member" or self.course_institution(row) != principal.institution_id:
            return frozenset()
        return user_roles(row, principal.user_id)

    @staticmethod
    def _sees_all_courses(principal: Principal) -> bool:
        return principal.is_global_admin or principal.inst_admin or principal.data_admin

    def _visible_courses(self, principal: Principal, iid: int) -> list[Row]:
        rows = [row for row in self.courses.rows() if self.course_institution(row) == iid]
        if self._sees_all_courses(principal):
            return rows
        return [row for row in rows if user_roles(row, principal.user_id)]

    # -- routes --------------------------------------------------------------------------------
    def list_courses(self, principal: Principal, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self.lock:
            return self._visible_courses(principal, iid)

    def course(self, principal: Principal, segment: str | int, id_segment: str | int) -> Row:
        """A course of the institution the caller may see (404 otherwise)."""
        iid = institution_pk(segment)
        row = self.courses.get(parse_pk(id_segment))
        if row is None or self.course_institution(row) != iid:
            raise not_found()
        if not self._sees_all_courses(principal) and not user_roles(row, principal.user_id):
            raise not_found()
        return row

    def course_in(self, segment: str | int, course_segment: str | int) -> Row | None:
        """The path's course when it belongs to the path's institution (no visibility rule)."""
        iid = institution_pk(segment)
        row = self.courses.get(parse_pk(course_segment))
        return row if row is not None and self.course_institution(row) == iid else None

    def create_course(self, segment: str, errors: FieldErrors) -> NoReturn:
        with self.lock:
            path_institution(self.institutions, segment)
            if errors:
                raise drf.invalid(errors)
            if self.quirks:
                raise upstream_crash("a course without a VLE (NOT NULL column)")
            raise drf.invalid({NON_FIELD_ERRORS: [CREATED_BY_VLE]})

    def update_course(self, principal: Principal, segment: str, id_segment: str, data: dict[str, Any],
                      errors: FieldErrors) -> Row:
        """Only `id` is writable: the same id saves the course as it is; another one would copy it."""
        with self.lock:
            row = self.course(principal, segment, id_segment)
            if errors:
                raise drf.invalid(errors)
            if "id" in data and data["id"] != row["id"]:
                if self.quirks:
                    raise upstream_crash("a course saved under another id (duplicate vle, vle_course_id)")
                raise drf.invalid({NON_FIELD_ERRORS: [VLE_COURSE_UNIQUE]})
            return self.courses.update(row["id"], {"updated_at": self._now()})

    def delete_course(self, principal: Principal, segment: str, id_segment: str) -> None:
        with self.lock:
            self.delete_course_row(self.course(principal, segment, id_segment)["id"])

    def delete_course_row(self, course_id: int) -> None:
        """The course and everything under it (its activities, their instruments and reports)."""
        self.delete_course_activities(course_id)
        self.courses.delete(course_id)

    def delete_vle_courses(self, vle_id: int) -> None:
        for row in [r for r in self.courses.rows() if r["vle"] == vle_id]:
            self.delete_course_row(row["id"])

    # -- views ---------------------------------------------------------------------------------
    def view_course_vle(self, vle_id: int) -> dict[str, Any]:
        """A VLE as the course (and VLE API) serializers nest it: its type's name, the full institution."""
        vle = self.vles.get(vle_id) or {}
        institution = self.institutions.get(vle.get("institution"))
        return {"id": vle.get("id"), "type": VLE_TYPES.get(vle.get("type"), "MOODLE"),
                "institution": self.view_institution(institution) if institution else None,
                "name": vle.get("name"), "url": vle.get("url"), "client_id": vle.get("client_id")}

    def view_course(self, row: Row, principal: Principal) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": row["id"],
            "vle": self.view_course_vle(row["vle"]),
            "vle_course_id": row["vle_course_id"], "code": row["code"], "description": row["description"],
            "start": drf.iso(row["start"]), "end": drf.iso(row["end"]),
            "user_roles": sorted(user_roles(row, principal.user_id), key=("LEARNER", "INSTRUCTOR").index),
            "enabled": self.course_enabled(row["id"]),
            "created_at": drf.iso(row["created_at"]), "updated_at": drf.iso(row["updated_at"]),
        }
        return view


def user_roles(row: Row, user_id: int | None) -> frozenset[str]:
    roles = set()
    if user_id in row["learners"]:
        roles.add("LEARNER")
    if user_id in row["instructors"]:
        roles.add("INSTRUCTOR")
    return frozenset(roles)
