"""How the VLE API's lists filter, search and order (each viewset's filter configuration).

The VLE viewsets declare django-filter fields and DRF's SearchFilter over model fields; several of
their `search_fields` name a foreign key or a field that does not exist, so any `?search=` with a
term crashes the real server. The mock searches the fields that can be searched
instead, and answers the real 500 only with the `quirks` setting (`search_crashes`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from ..listing import Args, Filter, ListRules, QueryFilter, last, search_terms
from .lookup import upstream_crash
from .reports import LEVEL_FIELDS, REPORT_SEARCH, InstrumentsFilter
from .state import State

CHOICE = "Select a valid choice. That choice is not one of the available choices."


@dataclass(frozen=True)
class PkChoiceFilter:
    """django-filter's ModelChoiceFilter: the id of an existing record (else 400), then an exact match."""

    name: str
    known: Callable[[], Collection[int]]
    column: str = ""  # the row key it compares (the filter's name when empty)

    def error(self, args: Args) -> list[str] | None:
        value = last(args, self.name)
        if not value:
            return None
        if not value.isdigit() or int(value) not in self.known():
            return [CHOICE]
        return None

    def predicate(self, args: Args) -> Callable[[dict[str, Any]], bool] | None:
        value = last(args, self.name)
        if not value:
            return None
        wanted = int(value)
        return lambda row: row.get(self.column or self.name) == wanted


def _exact(*names: str) -> tuple[Filter, ...]:
    return tuple(Filter(name, "exact") for name in names)


def _none() -> Collection[int]:
    return ()


COURSE_SEARCH = ("vle_course_id", "description", "code")  # the real list also names `vle` (a crash)
ACTIVITY_SEARCH = ("vle_activity_type", "vle_activity_id", "name")  # and `vle_id`, `course_id` (a crash)
PEOPLE_SEARCH = ("uid", "email", "first_name", "last_name")

# Static rules: the filters whose valid values are records (`vle`, `instrument_id`, `instruments`)
# are rebuilt per request by `vle_list_rules` with what exists at that moment.
VLE_LIST_RULES: dict[str, ListRules] = {
    "vle_list_instruments": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(
        ("id", "name", "acronym", "queue", "enabled", "requires_enrolment", "description", "identity", "originality",
         "authorship", "integrity", "created_at", "updated_at")), default_ordering=("id",)),
    "vle_list_courses": ListRules(
        filters=(*_exact("code", "vle_course_id", "description"), PkChoiceFilter("vle", _none)),
        search_fields=COURSE_SEARCH,
        ordering_fields=frozenset(("id", "code", "vle_course_id", "description", "start", "end", "created_at",
                                   "updated_at")),
        default_ordering=("id",)),
    "vle_list_activities": ListRules(
        filters=(PkChoiceFilter("vle_id", _none, "vle"), *_exact("vle_activity_type", "vle_activity_id"),
                 PkChoiceFilter("course_id", _none, "course"), *_exact("name")),
        search_fields=ACTIVITY_SEARCH,
        ordering_fields=frozenset(("id", "vle_activity_type", "vle_activity_id", "description", "name", "enabled",
                                   "start", "end", "conf", "created_at", "updated_at")),
        default_ordering=("id",)),
    "vle_list_activity_instruments": ListRules(
        filters=(PkChoiceFilter("instrument_id", _none),), search_fields=("_instrument_text",),
        ordering_fields=frozenset(("id", "active", "created_at", "updated_at", "instrument_id", "alternative_to")),
        default_ordering=("id",)),
    "vle_list_activity_learners": ListRules(
        filters=_exact(*PEOPLE_SEARCH, "learner_id"), search_fields=(*PEOPLE_SEARCH, "learner_id"),
        ordering_fields=frozenset(("id", "first_name", "last_name", "email", "uid", "learner_id")),
        default_ordering=("id",)),
    "vle_list_learner_requests": ListRules(
        filters=(InstrumentsFilter("instruments", _none),), search_fields=("_instruments_text",),
        ordering_fields=frozenset(("id", "status", "created_at", "updated_at", "session")),
        default_ordering=("-id",)),
    "vle_list_reports": ListRules(
        filters=(), search_fields=REPORT_SEARCH, ordering_fields=frozenset({"id", *LEVEL_FIELDS}),
        default_ordering=("id",)),
    "vle_list_course_learners": ListRules(
        filters=_exact(*PEOPLE_SEARCH, "learner_id"), search_fields=(*PEOPLE_SEARCH, "learner_id"),
        ordering_fields=frozenset(("id", "username", "learner_id", "first_name", "last_name", "email", "locale",
                                   "created_at", "updated_at", "uid", "joined_at")),
        default_ordering=("id",)),
    "vle_list_course_instructors": ListRules(
        filters=_exact(*PEOPLE_SEARCH), search_fields=PEOPLE_SEARCH,
        ordering_fields=frozenset(("id", "username", "first_name", "last_name", "email", "locale", "created_at",
                                   "updated_at", "uid")),
        default_ordering=("id",)),
}
# Lists whose real `?search=` crashes (a foreign key or a missing field among its search fields).
SEARCH_CRASHES = frozenset({"vle_list_courses", "vle_list_activities", "vle_list_activity_instruments",
                            "vle_list_learner_requests", "vle_list_reports"})


def _ids(table: Any) -> Callable[[], Collection[int]]:
    return lambda: {row["id"] for row in table.rows()}


def vle_list_rules(operation: str, args: Args, state: State) -> ListRules:
    """The list's rules with its record filters bound to the records that exist now (with `quirks`,
    the real server's crash on a search it cannot run)."""
    if state.quirks and search_crashes(operation, args):
        raise upstream_crash(f"?search= on {operation} (a search field the model cannot search)")
    tables = state.tables
    rules = VLE_LIST_RULES[operation]
    vle_ids, instrument_ids = _ids(tables.vles), _ids(tables.instruments)
    known = {"vle": vle_ids, "vle_id": vle_ids, "course_id": _ids(tables.courses), "instrument_id": instrument_ids,
             "instruments": instrument_ids}
    filters: list[QueryFilter] = []
    for item in rules.filters:
        if isinstance(item, PkChoiceFilter):
            item = PkChoiceFilter(item.name, known[item.name], item.column)
        elif isinstance(item, InstrumentsFilter):
            item = InstrumentsFilter(item.name, known[item.name])
        filters.append(item)
    return ListRules(filters=tuple(filters), search_fields=rules.search_fields, ordering_fields=rules.ordering_fields,
                     default_ordering=rules.default_ordering)


def search_crashes(operation: str, args: Args) -> bool:
    """True when the real list would crash on this request's `?search=` (a term is given)."""
    return operation in SEARCH_CRASHES and bool(search_terms(last(args, "search") or ""))
