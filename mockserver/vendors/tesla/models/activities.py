"""Instruments (`/api/v2/institution/{iid}/instrument/`), a course's activities
(`.../course/{cid}/activity/`) and the instruments an activity uses (`.../activity/{aid}/instrument/`).

Instruments are global and read-only: every institution sees the enabled ones. Activities come
from the VLE API (POST is a 500 on the real server, 400 here unless `quirks`); only `enabled`
and `conf` change through this API. An activity instrument may be an alternative to another
instrument of the same activity; deleting a primary instrument deletes its alternatives.
"""

from __future__ import annotations

import copy
import json
from typing import Any, NoReturn

from ....core.errors import MockError
from ....core.store import Row, Table, Unique
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors, FieldOrders
from ..listing import ListRules
from .cascades import Cascades
from .courses import Courses
from .lookup import not_found, parse_pk, upstream_crash
from .people import in_order
from .special_needs import SpecialNeeds
from .state import State

INSTRUMENT_COLUMNS = ("id", "options_schema", "name", "acronym", "queue", "enabled", "requires_enrolment",
                      "description", "identity", "originality", "authorship", "integrity", "created_at", "updated_at")
# `vle` is the activity's own VLE (the VLE API stores the path's; seeded ones take their course's).
ACTIVITY_COLUMNS = ("id", "course", "vle", "vle_activity_type", "vle_activity_id", "name", "start", "end",
                    "description", "enabled", "conf", "created_at", "updated_at")
ACTIVITY_WRITABLE = ("enabled", "conf")
ACTIVITY_INSTRUMENT_COLUMNS = ("id", "activity", "instrument_id", "options", "active", "alternative_to",
                               "created_at", "updated_at")
ACTIVITY_INSTRUMENT_INPUT_ORDER = ("options", "instrument_id", "active", "alternative_to")
DATETIMES = ("start", "end", "created_at", "updated_at")
ACTIVITY_INSTRUMENT_UNIQUE = "The fields activity_id, instrument_id must make a unique set."
CREATED_BY_VLE = "Activities are created through the VLE API."
_PLAIN = ListRules(filters=(), search_fields=(), ordering_fields=frozenset(), default_ordering=("id",))
# The instrument, activity and activity-instrument views have no filter or search backends.
ACTIVITY_LIST_RULES = {
    "list_instruments": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                  default_ordering=("acronym",)),
    "list_activities": _PLAIN,
    "list_activity_instruments": _PLAIN,
}


def invalid_pk(value: Any) -> str:
    return f'Invalid pk "{value}" - object does not exist.'


def _activity_instrument_key(row: Row) -> tuple[int, int]:
    return (row["activity"], row["instrument_id"])


def activity_tables() -> list[Table]:
    return [
        Table("instruments", unique=[Unique("acronym", lambda row: row["acronym"])], fields=INSTRUMENT_COLUMNS),
        Table("activities", fields=ACTIVITY_COLUMNS),
        Table("activity_instruments", unique=[Unique("activity_instrument", _activity_instrument_key)],
              fields=ACTIVITY_INSTRUMENT_COLUMNS),
    ]


def _with_micros(record: dict[str, Any], defaults: dict[str, Any]) -> Row:
    row: Row = {**defaults, **copy.deepcopy(record)}
    row.setdefault("updated_at", row["created_at"])
    for name in DATETIMES:
        if isinstance(row.get(name), str):
            row[name] = wire.to_micros(row[name])
    return row


def seed_instrument(record: dict[str, Any]) -> Row:
    return _with_micros(record, {"options_schema": None, "queue": None, "enabled": True, "requires_enrolment": False,
                                 "description": None, "identity": False, "originality": False, "authorship": False,
                                 "integrity": False})


def seed_activity(record: dict[str, Any]) -> Row:
    return _with_micros(record, {"start": None, "end": None, "description": None, "enabled": False, "conf": None})


def seed_activity_instrument(record: dict[str, Any]) -> Row:
    return _with_micros(record, {"options": None, "alternative_to": None})


def learner_instruments(configuration: list[Row], disabled: set[int]) -> list[Row]:
    """`Activity.get_learner_instruments`: the activity's active primary instruments that the
    learner's SEND categories leave on, then the active alternatives of those they switch off."""
    primaries = [row for row in configuration if row["active"] and row["alternative_to"] is None]
    kept = [row for row in primaries if row["instrument_id"] not in disabled]
    dropped = {row["id"] for row in primaries if row["instrument_id"] in disabled}
    alternatives = [row for row in configuration if row["active"] and row["alternative_to"] in dropped]
    return kept + alternatives


def view_instrument(fields: FieldOrders, row: Row, raw_schema: bool = False) -> dict[str, Any]:
    """`options_schema` is decoded JSON, except inside an activity instrument (a raw string there)."""
    view = {name: wire.iso(row[name]) if name in DATETIMES else copy.deepcopy(row[name])
            for name in fields["Instrument"]}
    if raw_schema and view["options_schema"] is not None:
        view["options_schema"] = json.dumps(view["options_schema"])
    return view


class Activities:
    """Instrument, activity and activity-instrument routes' rules."""

    def __init__(self, state: State, courses: Courses, special_needs: SpecialNeeds, cascades: Cascades) -> None:
        self._state = state
        self._tables = state.tables
        self._courses = courses
        self._special_needs = special_needs
        self._cascades = cascades

    # -- instruments (the institution id is ignored, as upstream) ------------------------------
    def instruments(self) -> list[Row]:
        with self._state.lock:
            return [row for row in self._tables.instruments.rows() if row["enabled"]]

    def instrument(self, id_segment: str | int) -> Row:
        row = self._tables.instruments.get(parse_pk(id_segment))
        if row is None or not row["enabled"]:
            raise not_found()
        return row

    def instrument_ids(self) -> set[int]:
        """Every instrument's id, enabled or not (the choices of a request's `instruments` filter)."""
        return {row["id"] for row in self._tables.instruments.rows()}

    # -- activities ----------------------------------------------------------------------------
    def rows(self, segment: str | int, course_segment: str | int) -> list[Row]:
        """An unknown course (or another institution's) is an empty list, as upstream."""
        with self._state.lock:
            course = self._courses.course_in(segment, course_segment)
            if course is None:
                return []
            return [row for row in self._tables.activities.rows() if row["course"] == course["id"]]

    def get(self, segment: str | int, course_segment: str | int, id_segment: str | int) -> Row:
        course = self._courses.course_in(segment, course_segment)
        row = self._tables.activities.get(parse_pk(id_segment))
        if course is None or row is None or row["course"] != course["id"]:
            raise not_found()
        return row

    def create(self, segment: str | int, course_segment: str | int, errors: FieldErrors) -> NoReturn:
        with self._state.lock:
            if self._courses.course_in(segment, course_segment) is None:
                raise not_found()
            if errors:
                raise wire.invalid(errors)
            if self._state.quirks:
                raise upstream_crash("an activity without its VLE fields (NOT NULL columns)")
            raise wire.invalid({NON_FIELD_ERRORS: [CREATED_BY_VLE]})

    def update(self, segment: str | int, course_segment: str | int, id_segment: str | int,
               data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.get(segment, course_segment, id_segment)
            if errors:
                raise wire.invalid(errors)
            changes = {name: data[name] for name in ACTIVITY_WRITABLE if name in data}
            return self._tables.activities.update(row["id"], {**changes, "updated_at": self._state.now()})

    def delete(self, segment: str | int, course_segment: str | int, id_segment: str | int) -> None:
        with self._state.lock:
            self._cascades.delete_activity(self.get(segment, course_segment, id_segment)["id"])

    def learner_instruments(self, activity_id: int, learner_id: int) -> list[Row]:
        """The activity instruments that apply to a learner (SEND alternatives in place)."""
        configuration = [row for row in self._tables.activity_instruments.rows() if row["activity"] == activity_id]
        send = self._special_needs.summary(learner_id)
        disabled = set(send["send"].get("disabled_instruments") or []) if send["is_send"] else set()
        return learner_instruments(configuration, disabled)

    def view(self, row: Row) -> dict[str, Any]:
        source = {**row, "course_id": row["course"], "vle_id": row["vle"]}
        return {name: wire.iso(source[name]) if name in DATETIMES else copy.deepcopy(source[name])
                for name in self._state.fields["Activity"]}

    def view_instrument(self, row: Row) -> dict[str, Any]:
        return view_instrument(self._state.fields, row)

    # -- activity instruments ------------------------------------------------------------------
    def _activity_or_none(self, segment: Any, course_segment: Any, activity_segment: Any) -> Row | None:
        try:
            return self.get(segment, course_segment, activity_segment)
        except MockError:  # a missing parent is "no rows" for lists
            return None

    def activity_instruments(self, segment: Any, course_segment: Any, activity_segment: Any) -> list[Row]:
        """An unknown activity is an empty list, as upstream."""
        with self._state.lock:
            activity = self._activity_or_none(segment, course_segment, activity_segment)
            if activity is None:
                return []
            return [row for row in self._tables.activity_instruments.rows() if row["activity"] == activity["id"]]

    def activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any, id_segment: Any) -> Row:
        activity = self.get(segment, course_segment, activity_segment)
        row = self._tables.activity_instruments.get(parse_pk(id_segment))
        if row is None or row["activity"] != activity["id"]:
            raise not_found()
        return row

    def create_activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any,
                                   data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            activity = self.get(segment, course_segment, activity_segment)
            self._validate_activity_instrument(activity["id"], data, errors, None)
            now = self._state.now()
            row: Row = {"id": None, "activity": activity["id"], "instrument_id": data["instrument_id"],
                        "options": copy.deepcopy(data.get("options")), "active": data["active"],
                        "alternative_to": data.get("alternative_to"), "created_at": now, "updated_at": now}
            return self._tables.activity_instruments.insert(row)

    def update_activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any, id_segment: Any,
                                   data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.activity_instrument(segment, course_segment, activity_segment, id_segment)
            self._validate_activity_instrument(row["activity"], data, errors, row)
            changes = {name: copy.deepcopy(data[name]) for name in ACTIVITY_INSTRUMENT_INPUT_ORDER if name in data}
            return self._tables.activity_instruments.update(row["id"], {**changes, "updated_at": self._state.now()})

    def delete_activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any,
                                   id_segment: Any) -> None:
        """A primary instrument takes its alternatives with it."""
        with self._state.lock:
            row = self.activity_instrument(segment, course_segment, activity_segment, id_segment)
            self._cascades.delete_activity_instrument(row["id"])

    def _validate_activity_instrument(self, activity_id: int, data: dict[str, Any], errors: FieldErrors,
                                      current: Row | None) -> None:
        """Field errors (related pks included), then the (activity, instrument) pair."""
        tables = self._tables
        errors = {k: list(v) for k, v in errors.items()}
        instrument_id = data.get("instrument_id")
        if "instrument_id" not in errors and instrument_id is not None and instrument_id not in tables.instruments:
            if self._state.quirks:
                raise upstream_crash("an activity instrument with an unknown instrument_id")
            errors["instrument_id"] = [invalid_pk(instrument_id)]
        alternative = data.get("alternative_to")
        if "alternative_to" not in errors and alternative is not None:
            target = tables.activity_instruments.get(alternative)
            if target is None or target["activity"] != activity_id or (current and alternative == current["id"]):
                errors["alternative_to"] = [invalid_pk(alternative)]
        if errors:
            raise wire.invalid(in_order(errors, ACTIVITY_INSTRUMENT_INPUT_ORDER))
        pair = (activity_id, instrument_id if instrument_id is not None else (current or {}).get("instrument_id"))
        holder = tables.activity_instruments.find("activity_instrument", pair)
        if holder is not None and (current is None or holder["id"] != current["id"]):
            raise wire.invalid({NON_FIELD_ERRORS: [ACTIVITY_INSTRUMENT_UNIQUE]})

    def view_activity_instrument(self, row: Row) -> dict[str, Any]:
        instrument = self._tables.instruments.get(row["instrument_id"])
        return {"id": row["id"], "options": copy.deepcopy(row["options"]),
                "instrument": view_instrument(self._state.fields, instrument, raw_schema=True) if instrument else None,
                "active": row["active"], "created_at": wire.iso(row["created_at"]),
                "updated_at": wire.iso(row["updated_at"]), "alternative_to": row["alternative_to"]}
