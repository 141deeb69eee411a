"""Institutions (`/api/v2/institution/[{id}/]`): listed by global admins, updated by their admins.

`acronym`, `name` and the timestamps are read-only through the API; an update may change the
flags, `mail_domain` and `allowed_domains`.
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.store import Row, Table, Unique, exact_key
from .. import wire
from ..wire import FieldErrors, FieldOrders
from ..listing import Filter, ListRules
from .lookup import path_institution
from .state import State

INSTITUTION_FLAGS = (
    "external_ic", "disable_vle_learner_creation", "disable_vle_instructor_creation",
    "disable_vle_user_creation", "allow_learner_report", "allow_learner_audit", "allow_valid_audit",
)
# The writable fields in the serializer's order (the order of their field errors).
INSTITUTION_WRITABLE = ("external_ic", "mail_domain", *INSTITUTION_FLAGS[1:], "allowed_domains")
INSTITUTION_COLUMNS = ("id", "acronym", "name", "external_ic", "mail_domain", *INSTITUTION_FLAGS[1:], "allowed_domains",
                       "created_at", "updated_at")
DATETIMES = frozenset({"created_at", "updated_at"})


def institution_list_rules(fields: FieldOrders) -> dict[str, ListRules]:
    """The list orders by any of its serializer's fields."""
    return {"list_institutions": ListRules(
        filters=(Filter("acronym", "exact"), Filter("name", "exact")),
        search_fields=("acronym", "name"),
        ordering_fields=frozenset(fields["Institution"]),
        default_ordering=("created_at",),
    )}


def institution_table() -> Table:
    return Table("institutions", unique=[Unique("acronym", exact_key("acronym"))], fields=INSTITUTION_COLUMNS)


def seed_institution(record: dict[str, Any]) -> Row:
    row: Row = {flag: False for flag in INSTITUTION_FLAGS}
    row.update({"mail_domain": None, "allowed_domains": None, **copy.deepcopy(record)})
    row["created_at"] = wire.to_micros(record["created_at"])
    row["updated_at"] = wire.to_micros(record.get("updated_at", record["created_at"]))
    return row


def view_institution(fields: FieldOrders, row: Row) -> dict[str, Any]:
    """The institution serializer; nested whole in courses, learners, ICs, SEND categories, groups."""
    return {name: wire.iso(row[name]) if name in DATETIMES else row[name] for name in fields["Institution"]}


class Institutions:
    """The institution routes' rules."""

    def __init__(self, state: State) -> None:
        self._state = state
        self._table = state.tables.institutions

    def rows(self) -> list[Row]:
        with self._state.lock:
            return list(self._table.rows())

    def get(self, segment: str) -> Row:
        return path_institution(self._table, segment)

    def update(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.get(segment)
            if errors:
                raise wire.invalid(errors)
            data = wire.trimmed(data, ("mail_domain", "allowed_domains"))
            changes = {name: data[name] for name in INSTITUTION_WRITABLE if name in data}
            return self._table.update(row["id"], {**changes, "updated_at": self._state.now()})

    def view(self, row: Row) -> dict[str, Any]:
        return view_institution(self._state.fields, row)
