"""Courses and activities through the VLE API (`/api/v2/vle/{vle_id}/course/`, `.../activity/`): a
second view over the course tree's rows, so a course a VLE creates is at once
`/api/v2/institution/{iid}/course/{id}/`.

What the real viewsets do, kept here:
- the course list and detail ignore the path's VLE (every VLE's courses; a single-VLE installation
  never notices), while a write stores the path's VLE (so a PUT through another VLE moves it);
- activities are scoped to the path's VLE and course (another course's activity is 404);
- uniqueness is per VLE: `(vle, vle_course_id)` and `(vle, vle_activity_type, vle_activity_id)`,
  broken with DRF's 400 `non_field_errors`, never 409;
- deleting a course takes its activities and everything under them; people stay.
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.store import Row
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors
from .cascades import Cascades
from .consent import datetime_errors, parse_datetime
from .courses import Courses
from .lookup import not_found, parse_pk, upstream_crash
from .people import in_order
from .state import State

COURSE_INPUT_ORDER = ("code", "vle_course_id", "description", "start", "end")
ACTIVITY_INPUT_ORDER = ("vle_activity_type", "vle_activity_id", "description", "name", "enabled", "start", "end",
                        "conf")
COURSE_TEXT = ("code", "vle_course_id", "description")
ACTIVITY_TEXT = ("vle_activity_type", "vle_activity_id", "description", "name", "conf")
# Text fields a client may send as a JSON number (DRF's CharField writes it as text): Moodle sends its ids so.
NUMBER_AS_TEXT = ("vle_course_id", "vle_activity_id")
COURSE_UNIQUE = "The fields vle_id, vle_course_id must make a unique set."
ACTIVITY_UNIQUE = "The fields vle_id, vle_activity_type, vle_activity_id must make a unique set."
DATETIMES = ("start", "end")


def numbers_as_text(data: dict[str, Any], names: tuple[str, ...] = NUMBER_AS_TEXT) -> dict[str, Any]:
    """DRF's CharField takes an int or a float and stores its text (a bool stays refused)."""
    result = dict(data)
    for name in names:
        value = result.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            result[name] = str(value)
    return result


def _checked_fields(data: dict[str, Any], errors: FieldErrors, order: tuple[str, ...]) -> None:
    """The field stage: schema errors, then DRF's datetime parser; 400 when anything fails."""
    errors = datetime_errors(data, errors, DATETIMES)
    if errors:
        raise wire.invalid(in_order(errors, order))


def _timed(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The written values as stored: text trimmed, datetimes in microseconds."""
    changes = {name: data[name] for name in names if name in data}
    for name in DATETIMES:
        if changes.get(name) is not None:
            changes[name] = parse_datetime(changes[name])
    return changes


class VleCourses:
    """The course and activity routes of one VLE module's API, over the course tree's rows."""

    def __init__(self, state: State, courses: Courses, cascades: Cascades) -> None:
        self._state = state
        self._tables = state.tables
        self._courses = courses
        self._cascades = cascades

    # -- the VLE itself --------------------------------------------------------------------------
    def view_vle(self, vle_id: int) -> dict[str, Any]:
        return self._courses.view_vle(vle_id)

    # -- courses ---------------------------------------------------------------------------------
    def courses(self) -> list[Row]:
        """Every VLE's courses: the real queryset's VLE filter never applies."""
        with self._state.lock:
            return list(self._tables.courses.rows())

    def course(self, id_segment: Any) -> Row:
        row = self._tables.courses.get(parse_pk(id_segment))
        if row is None:
            raise not_found()
        return row

    def create_course(self, vle_id: int, data: dict[str, Any], errors: FieldErrors) -> Row:
        state = self._state
        with state.lock:
            _checked_fields(data, errors, COURSE_INPUT_ORDER)
            data = wire.trimmed(data, COURSE_TEXT)
            self._unique_course(vle_id, data["vle_course_id"], None)
            moment = state.now()
            row: Row = {"id": None, "vle": vle_id, "vle_course_id": data["vle_course_id"], "code": data["code"],
                        "description": None, "start": None, "end": None, "instructors": [], "learners": [],
                        "created_at": moment, "updated_at": moment}
            row.update(_timed(data, ("description", "start", "end")))
            return self._tables.courses.insert(row)

    def update_course(self, vle_id: int, id_segment: Any, data: dict[str, Any], errors: FieldErrors) -> Row:
        """PUT and PATCH: the course is saved under the path's VLE, whichever VLE it had."""
        with self._state.lock:
            row = self.course(id_segment)
            _checked_fields(data, errors, COURSE_INPUT_ORDER)
            data = wire.trimmed(data, COURSE_TEXT)
            self._unique_course(vle_id, data.get("vle_course_id", row["vle_course_id"]), row["id"])
            changes = _timed(data, COURSE_INPUT_ORDER)
            return self._tables.courses.update(row["id"], {**changes, "vle": vle_id, "updated_at": self._state.now()})

    def delete_course(self, id_segment: Any) -> None:
        with self._state.lock:
            self._cascades.delete_course(self.course(id_segment)["id"])

    def _unique_course(self, vle_id: int, vle_course_id: Any, own_id: int | None) -> None:
        holder = self._tables.courses.find("vle_course", (vle_id, vle_course_id))
        if holder is not None and holder["id"] != own_id:
            raise wire.invalid({NON_FIELD_ERRORS: [COURSE_UNIQUE]})

    def view_course(self, row: Row) -> dict[str, Any]:
        return {"id": row["id"], "vle": self.view_vle(row["vle"]), "enabled": self._courses.enabled(row["id"]),
                "code": row["code"], "vle_course_id": str(row["vle_course_id"]), "description": row["description"],
                "start": wire.iso(row["start"]), "end": wire.iso(row["end"]),
                "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"])}

    # -- activities (scoped to the path's VLE and course) ----------------------------------------
    def activities(self, vle_id: int, course_segment: Any) -> list[Row]:
        """An unknown course is an empty list, as upstream."""
        course_id = parse_pk(course_segment)
        with self._state.lock:
            return [row for row in self._tables.activities.rows() if row["vle"] == vle_id and row["course"] == course_id]

    def activity(self, vle_id: int, course_segment: Any, id_segment: Any) -> Row:
        row = self._tables.activities.get(parse_pk(id_segment))
        if row is None or row["vle"] != vle_id or row["course"] != parse_pk(course_segment):
            raise not_found()
        return row

    def create_activity(self, vle_id: int, course_segment: Any, data: dict[str, Any], errors: FieldErrors) -> Row:
        """Field checks and uniqueness first; an unknown course then fails the save (a 500 upstream)."""
        state = self._state
        with state.lock:
            _checked_fields(data, errors, ACTIVITY_INPUT_ORDER)
            data = wire.trimmed(data, ACTIVITY_TEXT)
            self._unique_activity(vle_id, data["vle_activity_type"], data["vle_activity_id"], None)
            course = self._tables.courses.get(parse_pk(course_segment))
            if course is None:
                if state.quirks:
                    raise upstream_crash("an activity under an unknown course (foreign key)")
                raise not_found()
            moment = state.now()
            row: Row = {"id": None, "course": course["id"], "vle": vle_id, "name": None, "description": None,
                        "enabled": False, "start": None, "end": None, "conf": None, "created_at": moment,
                        "updated_at": moment}
            row.update(_timed(data, ACTIVITY_INPUT_ORDER))
            return self._tables.activities.insert(row)

    def update_activity(self, vle_id: int, course_segment: Any, id_segment: Any, data: dict[str, Any],
                        errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.activity(vle_id, course_segment, id_segment)
            _checked_fields(data, errors, ACTIVITY_INPUT_ORDER)
            data = wire.trimmed(data, ACTIVITY_TEXT)
            self._unique_activity(vle_id, data.get("vle_activity_type", row["vle_activity_type"]),
                                  data.get("vle_activity_id", row["vle_activity_id"]), row["id"])
            changes = _timed(data, ACTIVITY_INPUT_ORDER)
            return self._tables.activities.update(row["id"], {**changes, "updated_at": self._state.now()})

    def delete_activity(self, vle_id: int, course_segment: Any, id_segment: Any) -> None:
        with self._state.lock:
            self._cascades.delete_activity(self.activity(vle_id, course_segment, id_segment)["id"])

    def _unique_activity(self, vle_id: int, kind: Any, external_id: Any, own_id: int | None) -> None:
        """Unique across every course of the VLE."""
        for other in self._tables.activities.rows():
            if (other["vle"], other["vle_activity_type"], other["vle_activity_id"]) == (vle_id, kind, external_id) \
                    and other["id"] != own_id:
                raise wire.invalid({NON_FIELD_ERRORS: [ACTIVITY_UNIQUE]})

    def view_activity(self, row: Row) -> dict[str, Any]:
        course = self._tables.courses.get(row["course"])
        return {"id": row["id"], "course": self.view_course(course) if course else None,
                "vle_activity_type": row["vle_activity_type"], "vle_activity_id": row["vle_activity_id"],
                "description": row["description"], "name": row["name"], "enabled": row["enabled"],
                "start": wire.iso(row["start"]), "end": wire.iso(row["end"]), "conf": copy.deepcopy(row["conf"]),
                "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"])}
