"""Instruments (§4.8), course activities (§4.17) and the instruments an activity uses (§4.18).

Instruments are global and read-only: every institution sees the enabled ones. Activities come
from the VLE API (POST is a 500 on the real server, 400 here unless `quirks`); only `enabled`
and `conf` change through this API. An activity instrument may be an alternative to another
instrument of the same activity; deleting a primary instrument deletes its alternatives.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any, NoReturn

from ....core.errors import MockError
from ....core.store import Row, Table, Unique
from .. import drf
from .lookup import delete_where, not_found, parse_pk, upstream_crash
from ..drf import NON_FIELD_ERRORS, FieldErrors

INSTRUMENT_FIELDS = ("id", "options_schema", "name", "acronym", "queue", "enabled", "requires_enrolment",
                     "description", "identity", "originality", "authorship", "integrity", "created_at", "updated_at")
ACTIVITY_FIELDS = ("id", "course_id", "vle_id", "vle_activity_type", "vle_activity_id", "name", "start", "end",
                   "description", "enabled", "conf", "created_at", "updated_at")
# `vle` is the activity's own VLE (the VLE API stores the path's; seeded ones take their course's).
ACTIVITY_TABLE_FIELDS = ("id", "course", "vle", "vle_activity_type", "vle_activity_id", "name", "start", "end",
                         "description", "enabled", "conf", "created_at", "updated_at")
ACTIVITY_WRITABLE = ("enabled", "conf")
ACTIVITY_INSTRUMENT_FIELDS = ("id", "activity", "instrument_id", "options", "active", "alternative_to",
                              "created_at", "updated_at")
ACTIVITY_INSTRUMENT_INPUT_ORDER = ("options", "instrument_id", "active", "alternative_to")
DATETIMES = ("start", "end", "created_at", "updated_at")
ACTIVITY_INSTRUMENT_UNIQUE = "The fields activity_id, instrument_id must make a unique set."
CREATED_BY_VLE = "Activities are created through the VLE API."


def invalid_pk(value: Any) -> str:
    return f'Invalid pk "{value}" - object does not exist.'


def _activity_instrument_key(row: Row) -> tuple[int, int]:
    return (row["activity"], row["instrument_id"])


def activity_tables() -> list[Table]:
    return [
        Table("instruments", unique=[Unique("acronym", lambda row: row["acronym"])], fields=INSTRUMENT_FIELDS),
        Table("activities", fields=ACTIVITY_TABLE_FIELDS),
        Table("activity_instruments", unique=[Unique("activity_instrument", _activity_instrument_key)],
              fields=ACTIVITY_INSTRUMENT_FIELDS),
    ]


def _with_micros(record: dict[str, Any], defaults: dict[str, Any]) -> Row:
    row: Row = {**defaults, **copy.deepcopy(record)}
    row.setdefault("updated_at", row["created_at"])
    for name in DATETIMES:
        if isinstance(row.get(name), str):
            row[name] = drf.to_micros(row[name])
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


def view_instrument(row: Row, raw_schema: bool = False) -> dict[str, Any]:
    """`options_schema` is decoded JSON, except inside an activity instrument (a raw string there)."""
    view = {name: drf.iso(row[name]) if name in DATETIMES else copy.deepcopy(row[name]) for name in INSTRUMENT_FIELDS}
    if raw_schema and view["options_schema"] is not None:
        view["options_schema"] = json.dumps(view["options_schema"])
    return view


class ActivityRules:
    """Instrument and activity routes' rules, mixed into the backend (tables, seed and lock are its)."""

    instruments: Table
    activities: Table
    activity_instruments: Table
    courses: Table
    quirks: bool
    lock: Any
    _now: Callable[[], int]
    course_in: Callable[[Any, Any], Row | None]
    delete_activity_reports: Callable[[int], None]
    delete_assessment_data: Callable[[str, int], None]  # its sessions (with their files) and alerts
    send_summary: Callable[[int], dict[str, Any]]

    # -- instruments (the institution id is ignored, as upstream) ------------------------------
    def list_instruments(self) -> list[Row]:
        with self.lock:
            return [row for row in self.instruments.rows() if row["enabled"]]

    def instrument(self, id_segment: str | int) -> Row:
        row = self.instruments.get(parse_pk(id_segment))
        if row is None or not row["enabled"]:
            raise not_found()
        return row

    # -- activities ----------------------------------------------------------------------------
    def course_enabled(self, course_id: int) -> bool:
        return any(row["enabled"] for row in self.activities.rows() if row["course"] == course_id)

    def list_activities(self, segment: str | int, course_segment: str | int) -> list[Row]:
        """An unknown course (or another institution's) is an empty list, as upstream."""
        with self.lock:
            course = self.course_in(segment, course_segment)
            if course is None:
                return []
            return [row for row in self.activities.rows() if row["course"] == course["id"]]

    def activity(self, segment: str | int, course_segment: str | int, id_segment: str | int) -> Row:
        course = self.course_in(segment, course_segment)
        row = self.activities.get(parse_pk(id_segment))
        if course is None or row is None or row["course"] != course["id"]:
            raise not_found()
        return row

    def create_activity(self, segment: str | int, course_segment: str | int, errors: FieldErrors) -> NoReturn:
        with self.lock:
            if self.course_in(segment, course_segment) is None:
                raise not_found()
            if errors:
                raise drf.invalid(errors)
            if self.quirks:
                raise upstream_crash("an activity without its VLE fields (NOT NULL columns)")
            raise drf.invalid({NON_FIELD_ERRORS: [CREATED_BY_VLE]})

    def update_activity(self, segment: str | int, course_segment: str | int, id_segment: str | int,
                        data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            row = self.activity(segment, course_segment, id_segment)
            if errors:
                raise drf.invalid(errors)
            changes = {name: data[name] for name in ACTIVITY_WRITABLE if name in data}
            return self.activities.update(row["id"], {**changes, "updated_at": self._now()})

    def delete_activity(self, segment: str | int, course_segment: str | int, id_segment: str | int) -> None:
        with self.lock:
            self.delete_activity_row(self.activity(segment, course_segment, id_segment)["id"])

    def delete_activity_row(self, activity_id: int) -> None:
        delete_where(self.activity_instruments, "activity", activity_id)
        self.delete_activity_reports(activity_id)
        self.delete_assessment_data("activity", activity_id)
        self.activities.delete(activity_id)

    def learner_activity_instruments(self, activity_id: int, learner_id: int) -> list[Row]:
        """The activity instruments that apply to a learner (SEND alternatives in place)."""
        configuration = [row for row in self.activity_instruments.rows() if row["activity"] == activity_id]
        send = self.send_summary(learner_id)
        disabled = set(send["send"].get("disabled_instruments") or []) if send["is_send"] else set()
        return learner_instruments(configuration, disabled)

    def delete_course_activities(self, course_id: int) -> None:
        for row in [r for r in self.activities.rows() if r["course"] == course_id]:
            self.delete_activity_row(row["id"])

    def view_activity(self, row: Row) -> dict[str, Any]:
        source = {**row, "course_id": row["course"], "vle_id": row["vle"]}
        return {name: drf.iso(source[name]) if name in DATETIMES else copy.deepcopy(source[name])
                for name in ACTIVITY_FIELDS}

    # -- activity instruments ------------------------------------------------------------------
    def _activity_or_none(self, segment: Any, course_segment: Any, activity_segment: Any) -> Row | None:
        try:
            return self.activity(segment, course_segment, activity_segment)
        except MockError:  # a missing parent is "no rows" for lists
            return None

    def list_activity_instruments(self, segment: Any, course_segment: Any, activity_segment: Any) -> list[Row]:
        """An unknown activity is an empty list, as upstream."""
        with self.lock:
            activity = self._activity_or_none(segment, course_segment, activity_segment)
            if activity is None:
                return []
            return [row for row in self.activity_instruments.rows() if row["activity"] == activity["id"]]

    def activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any, id_segment: Any) -> Row:
        activity = self.activity(segment, course_segment, activity_segment)
        row = self.activity_instruments.get(parse_pk(id_segment))
        if row is None or row["activity"] != activity["id"]:
            raise not_found()
        return row

    def create_activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any,
                                   data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            activity = self.activity(segment, course_segment, activity_segment)
            self._validate_activity_instrument(activity["id"], data, errors, None)
            now = self._now()
            row: Row = {"id": None, "activity": activity["id"], "instrument_id": data["instrument_id"],
                        "options": copy.deepcopy(data.get("options")), "active": data["active"],
                        "alternative_to": data.get("alternative_to"), "created_at": now, "updated_at": now}
            return self.activity_instruments.insert(row)

    def update_activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any, id_segment: Any,
                                   data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            row = self.activity_instrument(segment, course_segment, activity_segment, id_segment)
            self._validate_activity_instrument(row["activity"], data, errors, row)
            changes = {name: copy.deepcopy(data[name]) for name in ACTIVITY_INSTRUMENT_INPUT_ORDER if name in data}
            return self.activity_instruments.update(row["id"], {**changes, "updated_at": self._now()})

    def delete_activity_instrument(self, segment: Any, course_segment: Any, activity_segment: Any,
                                   id_segment: Any) -> None:
        with self.lock:
            self.delete_activity_instrument_row(
                self.activity_instrument(segment, course_segment, activity_segment, id_segment)["id"])

    def delete_activity_instrument_row(self, row_id: int) -> None:
        """A primary instrument takes its alternatives with it (recursively: a database cascade)."""
        with self.lock:
            doomed, frontier = {row_id}, [row_id]
            while frontier:
                current = frontier.pop()
                for other in self.activity_instruments.rows():
                    if other["alternative_to"] == current and other["id"] not in doomed:
                        doomed.add(other["id"])
                        frontier.append(other["id"])
            for row_id in sorted(doomed):
                self.activity_instruments.delete(row_id)

    def _validate_activity_instrument(self, activity_id: int, data: dict[str, Any], errors: FieldErrors,
                                      current: Row | None) -> None:
        """Field errors (related pks included), then the (activity, instrument) pair."""
        errors = {k: list(v) for k, v in errors.items()}
        instrument_id = data.get("instrument_id")
        if "instrument_id" not in errors and instrument_id is not None and instrument_id not in self.instruments:
            if self.quirks:
                raise upstream_crash("an activity instrument with an unknown instrument_id")
            errors["instrument_id"] = [invalid_pk(instrument_id)]
        alternative = data.get("alternative_to")
        if "alternative_to" not in errors and alternative is not None:
            target = self.activity_instruments.get(alternative)
            if target is None or target["activity"] != activity_id or (current and alternative == current["id"]):
                errors["alternative_to"] = [invalid_pk(alternative)]
        if errors:
            rank = {name: index for index, name in enumerate(ACTIVITY_INSTRUMENT_INPUT_ORDER)}
            raise drf.invalid(dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank)))))
        pair = (activity_id, instrument_id if instrument_id is not None else (current or {}).get("instrument_id"))
        holder = self.activity_instruments.find("activity_instrument", pair)
        if holder is not None and (current is None or holder["id"] != current["id"]):
            raise drf.invalid({NON_FIELD_ERRORS: [ACTIVITY_INSTRUMENT_UNIQUE]})

    def view_activity_instrument(self, row: Row) -> dict[str, Any]:
        instrument = self.instruments.get(row["instrument_id"])
        return {"id": row["id"], "options": copy.deepcopy(row["options"]),
                "instrument": view_instrument(instrument, raw_schema=True) if instrument else None,
                "active": row["active"], "created_at": drf.iso(row["created_at"]),
                "updated_at": drf.iso(row["updated_at"]), "alternative_to": row["alternative_to"]}
