"""SEND categories (`/api/v2/institution/{iid}/send/`) and their assignment to learners
(`.../learner/{lid}/send/`).

SEND (special educational needs and disabilities) categories say which accessibility options
a learner gets and which instruments are switched off for them. A learner's `send` summary
joins the data of its unexpired assignments. Deleting a category deletes its assignments.
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.store import Row, Table, Unique
from .. import wire
from ..wire import NON_FIELD_ERRORS, REQUIRED, FieldErrors
from ..listing import Filter, ListRules, search_terms
from .consent import datetime_errors, parse_datetime
from .institutions import view_institution
from .lookup import delete_where, institution_pk, institution_row, not_found, parse_pk, path_institution, upstream_crash
from .people import learner_in
from .state import State

SEND_OPTIONS = ("big_fonts", "high_contrast", "text_to_speech")
SEND_DATA_KEYS = ("enabled_options", "disabled_instruments")
CATEGORY_INPUT_ORDER = ("data", "description")
ASSIGNMENT_INPUT_ORDER = ("expires_at", "category")
ASSIGNMENT_UNIQUE = "The fields learner_id, category must make a unique set."
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."
PK_TYPE = "Incorrect type. Expected pk value, received {type}."

SEND_LIST_RULES = {
    "list_send_categories": ListRules(
        filters=(Filter("description", "exact"),),  # `institution` is checked by `SpecialNeeds.categories`
        search_fields=("description",),
        ordering_fields=frozenset(("id", "data", "description", "created_at", "updated_at")),
        default_ordering=("id",),
    ),
    "list_learner_sends": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(), default_ordering=("id",)),
}


def invalid_pk(value: Any) -> str:
    return f'Invalid pk "{value}" - object does not exist.'


def send_tables() -> tuple[Table, Table]:
    categories = Table("send_categories", fields=("id", "institution", "data", "description", "created_at",
                                                  "updated_at"))
    assignments = Table("send_assignments", unique=[Unique("learner_category", lambda r: (r["learner"], r["category"]))],
                        fields=("id", "learner", "category", "expires_at"))
    return categories, assignments


def seed_category(record: dict[str, Any]) -> Row:
    row: Row = {"data": {}, **copy.deepcopy(record)}
    row["created_at"] = wire.to_micros(record["created_at"])
    row["updated_at"] = wire.to_micros(record.get("updated_at", record["created_at"]))
    return row


def seed_assignment(record: dict[str, Any]) -> Row:
    row: Row = {"expires_at": None, **copy.deepcopy(record)}
    if row["expires_at"] is not None:
        row["expires_at"] = wire.to_micros(row["expires_at"])
    return row


class SpecialNeeds:
    """The SEND routes' rules, and a learner's SEND summary.

    `instruments` are the instrument ids the server started with: the choices of a category's
    `disabled_instruments` (the real serializer's choices are read once, at startup).
    """

    def __init__(self, state: State, instruments: frozenset[int]) -> None:
        self._state = state
        self._tables = state.tables
        self._instruments = instruments

    # -- the learner summary -------------------------------------------------------------------
    def summary(self, learner_id: int) -> dict[str, Any]:
        """`{is_send, send: {enabled_options, disabled_instruments}}` over unexpired assignments."""
        now = self._state.now()
        options: set[str] = set()
        instruments: set[int] = set()
        active = False
        for row in self._tables.send_assignments.rows():
            if row["learner"] != learner_id or (row["expires_at"] is not None and row["expires_at"] <= now):
                continue
            category = self._tables.send_categories.get(row["category"])
            if category is None:
                continue
            active = True
            options.update(category["data"].get("enabled_options") or [])
            instruments.update(category["data"].get("disabled_instruments") or [])
        return {"is_send": active, "send": {"enabled_options": sorted(options, key=SEND_OPTIONS.index),
                                            "disabled_instruments": sorted(instruments)}}

    # -- categories ----------------------------------------------------------------------------
    def categories(self, segment: str, institution: str | None, search: str | None) -> list[Row]:
        """`?institution=` is a choice of institution ids; `?search=` has no working field upstream
        (an inferred 500), so here it searches `description`."""
        iid = institution_pk(segment)
        if institution and parse_pk(institution) not in self._tables.institutions:
            raise wire.invalid({"institution": [INVALID_CHOICE]})
        if self._state.quirks and search_terms(search or ""):
            raise upstream_crash("a SEND category search (no search fields)")
        with self._state.lock:
            return [row for row in self._tables.send_categories.rows()
                    if row["institution"] == iid and (not institution or row["institution"] == parse_pk(institution))]

    def category(self, segment: str, id_segment: str) -> Row:
        return institution_row(self._tables.send_categories, segment, id_segment)

    def create_category(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            iid = path_institution(self._tables.institutions, segment)["id"]
            self._validate_category(data, errors)
            now = self._state.now()
            return self._tables.send_categories.insert({"id": None, "institution": iid,
                                                        "data": _stored(data.get("data")),
                                                        "description": data["description"].strip(),
                                                        "created_at": now, "updated_at": now})

    def update_category(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors,
                        partial: bool) -> Row:
        """PUT without `data` resets it to `{}` (the real serializer's default); PATCH keeps it."""
        with self._state.lock:
            row = self.category(segment, id_segment)
            self._validate_category(data, errors)
            changes: Row = {"updated_at": self._state.now()}
            if "data" in data or not partial:
                changes["data"] = _stored(data.get("data"))
            if "description" in data:
                changes["description"] = data["description"].strip()
            return self._tables.send_categories.update(row["id"], changes)

    def delete_category(self, segment: str, id_segment: str) -> None:
        """The category and its assignments."""
        with self._state.lock:
            row = self.category(segment, id_segment)
            delete_where(self._tables.send_assignments, "category", row["id"])
            self._tables.send_categories.delete(row["id"])

    def _validate_category(self, data: dict[str, Any], errors: FieldErrors) -> None:
        """`data` is checked here (nested errors, as DRF's nested serializer writes them)."""
        found: dict[str, Any] = {k: v for k, v in errors.items() if k != "data" or not isinstance(data.get("data"), dict)}
        value = data.get("data")
        if isinstance(value, dict):
            nested = self._data_errors(value)
            if nested:
                found["data"] = nested
        if found:
            raise wire.invalid(dict(sorted(found.items(), key=lambda item: _rank(CATEGORY_INPUT_ORDER, item[0]))))

    def _data_errors(self, value: dict[str, Any]) -> dict[str, list[str]]:
        """Each key a multiple choice; both keys needed (the real server fails without them)."""
        choices: dict[str, Any] = {"enabled_options": SEND_OPTIONS, "disabled_instruments": self._instruments}
        nested: dict[str, list[str]] = {}
        for key, allowed in choices.items():
            if key not in value:
                continue
            items = value[key]
            if not isinstance(items, list):
                nested[key] = [f'Expected a list of items but got type "{type(items).__name__}".']
                continue
            wrong = [item for item in items if not _choice(item, allowed)]
            if wrong:
                nested[key] = [f'"{wrong[0]}" is not a valid choice.']
        if not nested:
            missing = [key for key in SEND_DATA_KEYS if key not in value]
            if missing and self._state.quirks:
                raise upstream_crash("SEND data without enabled_options or disabled_instruments (KeyError)")
            nested = {key: [REQUIRED] for key in missing}
        return nested

    # -- learner assignments -------------------------------------------------------------------
    def assignments(self, segment: str, learner_segment: str) -> list[Row]:
        """An unknown learner has no assignments: an empty page, as upstream."""
        iid = institution_pk(segment)
        with self._state.lock:
            learner = learner_in(self._tables.users, iid, learner_segment)
            if learner is None:
                return []
            return [row for row in self._tables.send_assignments.rows() if row["learner"] == learner["id"]]

    def assignment(self, segment: str, learner_segment: str, id_segment: str) -> Row:
        learner = learner_in(self._tables.users, institution_pk(segment), learner_segment)
        row = self._tables.send_assignments.get(parse_pk(id_segment))
        if learner is None or row is None or row["learner"] != learner["id"]:
            raise not_found()
        return row

    def create_assignment(self, segment: str, learner_segment: str, data: dict[str, Any],
                          errors: FieldErrors) -> Row:
        iid = institution_pk(segment)
        with self._state.lock:
            learner = learner_in(self._tables.users, iid, learner_segment)
            self._validate_assignment(learner, data, errors, None)
            if learner is None:
                if self._state.quirks:
                    raise upstream_crash("a SEND assignment for an unknown learner (foreign key)")
                raise not_found()
            return self._tables.send_assignments.insert({"id": None, "learner": learner["id"],
                                                         "category": data["category"],
                                                         "expires_at": _expiry(data.get("expires_at"))})

    def update_assignment(self, segment: str, learner_segment: str, id_segment: str, data: dict[str, Any],
                          errors: FieldErrors, partial: bool) -> Row:
        with self._state.lock:
            row = self.assignment(segment, learner_segment, id_segment)
            self._validate_assignment(self._tables.users.get(row["learner"]), data, errors, row)
            changes: Row = {}
            if "category" in data:
                changes["category"] = data["category"]
            if "expires_at" in data or not partial:
                changes["expires_at"] = _expiry(data.get("expires_at"))
            return self._tables.send_assignments.update(row["id"], changes)

    def delete_assignment(self, segment: str, learner_segment: str, id_segment: str) -> None:
        with self._state.lock:
            self._tables.send_assignments.delete(self.assignment(segment, learner_segment, id_segment)["id"])

    def _validate_assignment(self, learner: Row | None, data: dict[str, Any], errors: FieldErrors,
                             current: Row | None) -> None:
        errors = datetime_errors(data, errors, ("expires_at",))
        category = data.get("category")
        if "category" in errors and category is not None and not isinstance(category, int):
            errors["category"] = [PK_TYPE.format(type=type(category).__name__)]
        elif isinstance(category, int) and not isinstance(category, bool) and category not in self._tables.send_categories:
            errors["category"] = [invalid_pk(category)]
        if errors:
            raise wire.invalid(dict(sorted(errors.items(), key=lambda item: _rank(ASSIGNMENT_INPUT_ORDER, item[0]))))
        category_id = data.get("category", current["category"] if current else None)
        holder = self._tables.send_assignments.find("learner_category", (learner["id"], category_id)) if learner else None
        if holder is not None and (current is None or holder["id"] != current["id"]):
            raise wire.invalid({NON_FIELD_ERRORS: [ASSIGNMENT_UNIQUE]})

    # -- views ---------------------------------------------------------------------------------
    def view_category(self, row: Row) -> dict[str, Any]:
        institution = self._tables.institutions.get(row["institution"])
        fields = self._state.fields
        return {"id": row["id"], "institution": view_institution(fields, institution) if institution else None,
                "data": copy.deepcopy(row["data"]), "description": row["description"],
                "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"])}

    def view_assignment(self, row: Row) -> dict[str, Any]:
        category = self._tables.send_categories.get(row["category"])
        return {"id": row["id"], "expires_at": wire.iso(row["expires_at"]), "category": row["category"],
                "info": self.view_category(category) if category else None}


def _choice(item: Any, allowed: Any) -> bool:
    """A hashable str or int (not a bool) among the choices."""
    return isinstance(item, (str, int)) and not isinstance(item, bool) and item in allowed


def _stored(value: Any) -> dict[str, Any]:
    """The two keys the nested serializer declares (other keys are dropped, as DRF drops them)."""
    if not isinstance(value, dict):
        return {}
    return {key: list(value[key]) for key in SEND_DATA_KEYS if key in value}


def _expiry(value: Any) -> int | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _rank(order: tuple[str, ...], name: str) -> int:
    return order.index(name) if name in order else len(order)
