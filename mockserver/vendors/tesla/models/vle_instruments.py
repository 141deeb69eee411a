"""The installation's instruments and an activity's instruments through the VLE API
(`/api/v2/vle/{vle_id}/instrument/`, `.../activity/{aid}/instrument/`): the rows the institution
API serves, in the VLE serializers' shapes.

The activity-instrument routes filter by the activity alone (the path's VLE and course are not
checked, as upstream). `options` takes any JSON; a string is read as JSON text, as the real field
reads what it stored, so a string that is not JSON is refused here (stored, then a 500 on every
read, upstream). `alternative_to` must be another instrument of the same activity, as on the
institution routes over the same rows.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ....core.store import Row
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors
from .activities import Activities, invalid_pk
from .cascades import Cascades
from .lookup import not_found, parse_pk, upstream_crash
from .people import in_order
from .state import State
from .vle_courses import VleCourses

INPUT_ORDER = ("options", "active", "instrument", "alternative_to")
UNIQUE = "The fields activity_id, instrument must make a unique set."
NOT_JSON = "Value must be valid JSON."
RELATED = ("instrument", "alternative_to")


def decoded_options(value: Any) -> tuple[bool, Any]:
    """(readable, value): a string is JSON text (with the real reader's Python-literal fallback)."""
    if not isinstance(value, str):
        return True, copy.deepcopy(value)
    if not value:
        return True, None
    try:
        return True, json.loads(value)
    except ValueError:
        pass
    fallback = value.replace("'", '"').replace("False", "false").replace("True", "true").replace("None", "null")
    try:
        return True, json.loads(fallback)
    except ValueError:
        return False, None


def _pk_type_errors(data: dict[str, Any], errors: FieldErrors) -> FieldErrors:
    """A related field's own words for a value that is no pk (DRF's PrimaryKeyRelatedField)."""
    errors = dict(errors)
    for name in RELATED:
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            errors[name] = [f"Incorrect type. Expected pk value, received {type(value).__name__}."]
    return errors


class VleInstruments:
    """Instrument and activity-instrument routes of one VLE module's API."""

    def __init__(self, state: State, activities: Activities, vle_courses: VleCourses, cascades: Cascades) -> None:
        self._state = state
        self._tables = state.tables
        self._activities = activities
        self._vle_courses = vle_courses
        self._cascades = cascades

    # -- the installation's instruments (enabled ones, whatever the VLE) --------------------------
    def instruments(self) -> list[Row]:
        return self._activities.instruments()

    def instrument(self, id_segment: Any) -> Row:
        return self._activities.instrument(id_segment)

    def view_instrument(self, row: Row) -> dict[str, Any]:
        """`options_schema` is the raw JSON text the column holds."""
        view = {name: wire.iso(row[name]) if name in ("created_at", "updated_at") else copy.deepcopy(row[name])
                for name in self._state.fields["VleInstrument"]}
        if view["options_schema"] is not None:
            view["options_schema"] = json.dumps(view["options_schema"])
        return view

    # -- an activity's instruments ---------------------------------------------------------------
    def activity_instruments(self, activity_segment: Any) -> list[Row]:
        """Rows with their instrument id as text too (what `?search=` compares)."""
        activity_id = parse_pk(activity_segment)
        with self._state.lock:
            return [{**row, "_instrument_text": str(row["instrument_id"])}
                    for row in self._tables.activity_instruments.rows() if row["activity"] == activity_id]

    def activity_instrument(self, activity_segment: Any, id_segment: Any) -> Row:
        row = self._tables.activity_instruments.get(parse_pk(id_segment))
        if row is None or row["activity"] != parse_pk(activity_segment):
            raise not_found()
        return row

    def create_activity_instrument(self, activity_segment: Any, data: dict[str, Any], errors: FieldErrors) -> Row:
        """Field checks, then (activity, instrument); an unknown activity then fails the save (500 upstream)."""
        state, tables = self._state, self._tables
        with state.lock:
            activity_id = parse_pk(activity_segment)
            options = self._validated(activity_id, data, errors, None)
            if activity_id not in tables.activities:
                if state.quirks:
                    raise upstream_crash("an activity instrument under an unknown activity (foreign key)")
                raise not_found()
            moment = state.now()
            return tables.activity_instruments.insert({
                "id": None, "activity": activity_id, "instrument_id": data["instrument"], "options": options,
                "active": data["active"], "alternative_to": data.get("alternative_to"),
                "created_at": moment, "updated_at": moment})

    def update_activity_instrument(self, activity_segment: Any, id_segment: Any, data: dict[str, Any],
                                   errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.activity_instrument(activity_segment, id_segment)
            options = self._validated(row["activity"], data, errors, row)
            changes: Row = {"updated_at": self._state.now()}
            for name, column in (("instrument", "instrument_id"), ("active", "active"),
                                 ("alternative_to", "alternative_to")):
                if name in data:
                    changes[column] = data[name]
            if "options" in data:
                changes["options"] = options
            return self._tables.activity_instruments.update(row["id"], changes)

    def delete_activity_instrument(self, activity_segment: Any, id_segment: Any) -> None:
        with self._state.lock:
            self._cascades.delete_activity_instrument(self.activity_instrument(activity_segment, id_segment)["id"])

    def _validated(self, activity_id: int | None, data: dict[str, Any], errors: FieldErrors,
                   current: Row | None) -> Any:
        """The checks in DRF's order: fields (related pks and options included), then the pair;
        the decoded `options` when they pass."""
        tables = self._tables
        errors = {k: list(v) for k, v in _pk_type_errors(data, errors).items()}
        instrument = data.get("instrument")
        if "instrument" not in errors and instrument is not None and instrument not in tables.instruments:
            errors["instrument"] = [invalid_pk(instrument)]
        alternative = data.get("alternative_to")
        if "alternative_to" not in errors and alternative is not None:
            target = tables.activity_instruments.get(alternative)
            if target is None or target["activity"] != activity_id or (current and alternative == current["id"]):
                errors["alternative_to"] = [invalid_pk(alternative)]
        readable, options = decoded_options(data.get("options"))
        if "options" not in errors and not readable:
            if self._state.quirks:
                raise upstream_crash("activity instrument options that are not JSON (stored, then unreadable)")
            errors["options"] = [NOT_JSON]
        if errors:
            raise wire.invalid(in_order(errors, INPUT_ORDER))
        pair = (activity_id, instrument if instrument is not None else (current or {}).get("instrument_id"))
        holder = tables.activity_instruments.find("activity_instrument", pair)
        if holder is not None and (current is None or holder["id"] != current["id"]):
            raise wire.invalid({NON_FIELD_ERRORS: [UNIQUE]})
        return options

    def view_activity_instrument(self, row: Row) -> dict[str, Any]:
        activity = self._tables.activities.get(row["activity"])
        return {"id": row["id"], "activity": self._vle_courses.view_activity(activity) if activity else None,
                "options": copy.deepcopy(row["options"]), "active": row["active"],
                "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"]),
                "instrument": row["instrument_id"], "alternative_to": row["alternative_to"]}
