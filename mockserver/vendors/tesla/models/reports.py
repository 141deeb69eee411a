"""Activity reports (`.../activity/{aid}/report/`), their verification requests (`.../request/`)
and audits (`.../audit/`): read-only.

A report summarises one learner's results in one activity, per instrument, with levels as ints
(0 Pending, 1 No Information, 2 Ok, 3 Warning, 4 Alert). The providers write them on the real
server; here they come from the seed, and the emulated workers write a learner's report again
whenever one of its requests is processed (`refresh_learner_report`); they go when their
activity (course, VLE) goes (`Cascades`). A learner
of the course reads only their own report, and only when the institution allows it
(`allow_learner_report`, plus `allow_learner_audit` for audits): otherwise 403 "Not allowed".
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table
from .. import wire
from ..wire import FieldOrders
from ..listing import Filter, ListRules, last
from ..permissions import Principal
from .activities import Activities
from .courses import Courses
from .lookup import not_found, parse_pk, upstream_crash
from .state import State

LEVELS = {0: "Pending", 1: "No Information", 2: "Ok", 3: "Warning", 4: "Alert"}
LEVEL_FIELDS = ("identity_level", "content_level", "integrity_level")
REPORT_COLUMNS = ("id", "activity", "learner", *LEVEL_FIELDS, "data", "detail", "created_at", "updated_at")
REQUEST_COLUMNS = ("id", "learner", "activity", "session", "status", "data", "error_message", "message_code",
                        "instruments", "result", "created_at", "updated_at")
AUDIT_COLUMNS = ("id", "report", "instrument", "enrolment", "confidence", "result", *LEVEL_FIELDS,
                      "audit_data", "created_at", "updated_at")
# A report detail without these in an item is one the real serializer cannot write (a 500).
PROVIDER_FIGURES = ("learner_histogram", "activity_histogram", "thresholds")
NOT_ALLOWED = "Not allowed"
REPORT_SEARCH = ("learner__first_name", "learner__last_name", "learner__email", *(f"_{n}" for n in LEVEL_FIELDS))
CHOICE = "Select a valid choice. {value} is not one of the available choices."
NUMBER = re.compile(r"^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)$")  # the spec's FilterNumber, as DecimalField reads it
THRESHOLDS = {"warning_below": 0.6, "alert_below": 0.4}  # the seed's providers' thresholds


@dataclass(frozen=True)
class LevelFilter:
    """django-filter on a level: `exact` is a choice of 0-4, `gte`/`lte` a number; `level` means any level."""

    name: str
    fields: tuple[str, ...]
    lookup: str  # exact | gte | lte

    def _value(self, args: Any) -> str | None:
        value = last(args, self.name)
        return value if value not in (None, "") else None

    def error(self, args: Any) -> list[str] | None:
        value = self._value(args)
        if value is None:
            return None
        if self.lookup == "exact":
            return None if value in {str(level) for level in LEVELS} else [CHOICE.format(value=value)]
        return None if NUMBER.match(value) else ["Enter a number."]

    def predicate(self, args: Any) -> Callable[[Row], bool] | None:
        value = self._value(args)
        if value is None:
            return None
        number = float(value)
        compare = {"exact": lambda a: a == number, "gte": lambda a: a >= number, "lte": lambda a: a <= number}
        test = compare[self.lookup]
        return lambda row: any(test(row[name]) for name in self.fields)


def _level_filters() -> list[LevelFilter]:
    found = []
    for name, fields in [*((n, (n,)) for n in LEVEL_FIELDS), ("level", LEVEL_FIELDS)]:
        found.append(LevelFilter(name, fields, "exact"))
        found.extend(LevelFilter(f"{name}__{lookup}", fields, lookup) for lookup in ("gte", "lte"))
    return found


@dataclass(frozen=True)
class InstrumentsFilter:
    """The request list's `instruments` (repeatable): ids of existing instruments, any of them."""

    name: str
    known: Callable[[], Collection[int]]

    def error(self, args: Any) -> list[str] | None:
        for value in args.getlist(self.name):
            if value != "" and (not value.isdigit() or int(value) not in self.known()):
                return [CHOICE.format(value=value)]
        return None

    def predicate(self, args: Any) -> Callable[[Row], bool] | None:
        wanted = {parse_pk(value) for value in args.getlist(self.name) if value != ""}
        return (lambda row: bool(wanted & set(row["instruments"]))) if wanted else None


REPORT_LIST_RULES = ListRules(
    filters=(*(Filter(f"learner__{n}", "exact") for n in ("first_name", "last_name", "email")), *_level_filters()),
    search_fields=REPORT_SEARCH,
    ordering_fields=frozenset({"id", *LEVEL_FIELDS}),
    default_ordering=("id",),
)
NO_LIST_RULES = ListRules(filters=(), search_fields=(), ordering_fields=frozenset(), default_ordering=("id",))
REPORT_LISTS = {
    "list_reports": REPORT_LIST_RULES,
    # The handler checks `instruments` against the instruments that exist at the time; this entry
    # words the values Connexion refuses first (not numbers: no instrument has such an id).
    "list_report_requests": ListRules(filters=(InstrumentsFilter("instruments", frozenset),), search_fields=(),
                                      ordering_fields=frozenset(), default_ordering=()),
    "list_report_audits": NO_LIST_RULES,
}


def report_tables() -> list[Table]:
    return [Table("reports", fields=REPORT_COLUMNS), Table("report_requests", fields=REQUEST_COLUMNS),
            Table("report_audits", fields=AUDIT_COLUMNS)]


def seed_timed(record: dict[str, Any], defaults: dict[str, Any]) -> Row:
    row: Row = {**defaults, **copy.deepcopy(record)}
    row.setdefault("updated_at", row["created_at"])
    for name in ("created_at", "updated_at"):
        row[name] = wire.to_micros(row[name])
    for item in row["result"] if isinstance(row.get("result"), list) else []:
        for name in ("created_at", "updated_at"):
            item[name] = wire.to_micros(item.get(name) or record["created_at"])
    return row


class Reports:
    """Report, request and audit routes' rules, and the reports the emulated workers write."""

    def __init__(self, state: State, courses: Courses, activities: Activities) -> None:
        self._state = state
        self._tables = state.tables
        self._courses = courses
        self._activities = activities

    def _reader(self, principal: Principal, iid: Any, course_segment: Any, audit: bool) -> int | None:
        """None: the caller reads every report; a user id: only that learner's (403 unless allowed)."""
        if principal.is_global_admin or principal.inst_admin or principal.data_admin:
            return None
        course = self._courses.course_in(iid, course_segment)
        if course is not None and principal.user_id in course["instructors"]:
            return None
        institution = self._tables.institutions.get(principal.institution_id) or {}
        if not institution.get("allow_learner_report") or (audit and not institution.get("allow_learner_audit")):
            raise MockError(ErrorKind.FORBIDDEN, NOT_ALLOWED)
        return principal.user_id

    # -- reports -------------------------------------------------------------------------------
    def rows(self, principal: Principal, iid: Any, course: Any, activity: Any) -> list[Row]:
        """Rows flattened for the filters (`learner__*`, level texts for the search)."""
        with self._state.lock:
            reader = self._reader(principal, iid, course, audit=False)
            try:
                activity_row = self._activities.get(iid, course, activity)
            except MockError:
                return []
            rows = [r for r in self._tables.reports.rows() if r["activity"] == activity_row["id"]
                    and (reader is None or r["learner"] == reader)]
            return [self._flattened(row) for row in rows]

    def _flattened(self, row: Row) -> Row:
        learner = self._tables.users.get(row["learner"]) or {}
        flat = {**row, **{f"learner__{n}": learner.get(n) for n in ("first_name", "last_name", "email")}}
        flat.update({f"_{n}": str(row[n]) for n in LEVEL_FIELDS})
        return flat

    def get(self, principal: Principal, iid: Any, course: Any, activity: Any, id_segment: Any) -> Row:
        with self._state.lock:
            reader = self._reader(principal, iid, course, audit=False)
            activity_row = self._activities.get(iid, course, activity)
            row = self._tables.reports.get(parse_pk(id_segment))
            if row is None or row["activity"] != activity_row["id"] or (reader is not None and row["learner"] != reader):
                raise not_found()
            if any(item.get(name) is None for item in row["detail"] for name in PROVIDER_FIGURES):
                if self._state.quirks:
                    raise upstream_crash("a report detail without provider or histogram data")
                raise not_found()
            return row

    def _view_learner(self, user_id: int) -> dict[str, Any] | None:
        learner = self._tables.users.get(user_id)
        return {name: learner.get(name) for name in self._state.fields["ReportLearner"]} if learner else None

    def _instrument_text(self, instrument_id: int, field: str) -> str | None:
        instrument = self._tables.instruments.get(instrument_id)
        return instrument[field] if instrument else None

    def view(self, row: Row) -> dict[str, Any]:
        detail = [{**{n: copy.deepcopy(item.get(n)) for n in self._state.fields["ReportDetailItem"]},
                   "instrument": self._instrument_text(item["instrument_id"], "name")} for item in row["detail"]]
        return {"id": row["id"], "learner": self._view_learner(row["learner"]), "detail": detail,
                **{n: row[n] for n in LEVEL_FIELDS}}

    def view_detail(self, row: Row, base_url: str) -> dict[str, Any]:
        detail = []
        for item in row["detail"]:
            extended = {n: copy.deepcopy(item.get(n)) for n in self._state.fields["ReportDetailExtendedItem"]}
            extended["instrument"] = self._instrument_text(item["instrument_id"], "name")
            extended["instrument_acronym"] = self._instrument_text(item["instrument_id"], "acronym")
            detail.append(extended)
        return {"id": row["id"], "learner": self._view_learner(row["learner"]),
                "data": _file_url(base_url, row["data"]), "detail": detail, **{n: row[n] for n in LEVEL_FIELDS}}

    # -- requests ------------------------------------------------------------------------------
    def request_filter(self) -> InstrumentsFilter:
        """The request list's `instruments` filter, over the instruments that exist now (django-filter's queryset)."""
        return InstrumentsFilter("instruments", self._activities.instrument_ids)

    def _report_for_children(self, iid: Any, course: Any, activity: Any, report_segment: Any) -> Row | None:
        try:
            activity_row = self._activities.get(iid, course, activity)
        except MockError:
            return None
        row = self._tables.reports.get(parse_pk(report_segment))
        return row if row is not None and row["activity"] == activity_row["id"] else None

    def requests(self, iid: Any, course: Any, activity: Any, report_segment: Any) -> list[Row]:
        """Every request of the report's learner in its activity, by (session, id)."""
        with self._state.lock:
            report = self._report_for_children(iid, course, activity, report_segment)
            if report is None:
                if self._state.quirks:
                    raise upstream_crash("the request list of an unknown report")
                raise not_found()
            rows = [r for r in self._tables.report_requests.rows()
                    if r["learner"] == report["learner"] and r["activity"] == report["activity"]]
            # Requests of documents have no session: first, as NULLs sort in the real database.
            return sorted(rows, key=lambda r: (r["session"] is not None, r["session"] or 0, r["id"]))

    def view_request(self, row: Row, base_url: str) -> dict[str, Any]:
        return view_request(self._state.fields, row, base_url)

    def request(self, iid: Any, course: Any, activity: Any, report_segment: Any, id_segment: Any) -> Row:
        with self._state.lock:
            report = self._report_for_children(iid, course, activity, report_segment)
            row = self._tables.report_requests.get(parse_pk(id_segment))
            if report is None or row is None or (row["learner"], row["activity"]) != (report["learner"], report["activity"]):
                raise not_found()
            return row

    # -- reports written by the emulated workers --------------------------------------------------------
    def instrument_polarity(self, instrument_id: int) -> int:
        """-1 for anti-plagiarism (a high overlap is bad), 1 otherwise."""
        return -1 if self._instrument_text(instrument_id, "acronym") == "plag" else 1

    @staticmethod
    def level_of(goodness: float) -> int:
        """2 Ok, 3 Warning or 4 Alert for a result turned so that higher is better."""
        return 4 if goodness < THRESHOLDS["alert_below"] else 3 if goodness < THRESHOLDS["warning_below"] else 2

    def refresh_learner_report(self, activity_id: int, learner_id: int, now: int) -> Row:
        """The learner's report for the activity written from every processed result of the
        activity's requests: one detail item per instrument the learner has a result for, with the
        mean result, its level, and histograms of the learner's and the activity's results."""
        tables = self._tables
        requests = [r for r in tables.report_requests.rows() if r["activity"] == activity_id]
        mine: dict[int, list[float]] = {}
        everyone: dict[int, list[float]] = {}
        for request in requests:
            for item in request["result"]:
                if isinstance(item.get("result"), (int, float)):
                    everyone.setdefault(item["instrument"], []).append(float(item["result"]))
                    if request["learner"] == learner_id:
                        mine.setdefault(item["instrument"], []).append(float(item["result"]))
        detail = [self._detail_item(instrument_id, learner_id, values, everyone[instrument_id])
                  for instrument_id, values in sorted(mine.items())]
        levels = {name: max((item[name] for item in detail), default=1) for name in LEVEL_FIELDS}
        row = next((r for r in tables.reports.rows() if r["activity"] == activity_id and r["learner"] == learner_id), None)
        if row is None:
            return tables.reports.insert({"id": None, "activity": activity_id, "learner": learner_id, **levels,
                                          "data": f"reports/{activity_id}/{learner_id}/report.json", "detail": detail,
                                          "created_at": now, "updated_at": now})
        return tables.reports.update(row["id"], {**levels, "detail": detail, "updated_at": now})

    def _detail_item(self, instrument_id: int, learner_id: int, mine: list[float], everyone: list[float]) -> dict[str, Any]:
        instrument = self._tables.instruments.get(instrument_id) or {}
        result = round(sum(mine) / len(mine), 4)
        polarity = self.instrument_polarity(instrument_id)
        level = self.level_of(result if polarity == 1 else 1 - result)
        levels = {name: 1 for name in LEVEL_FIELDS}
        if instrument.get("identity"):
            levels["identity_level"] = level
        if instrument.get("originality"):
            levels["content_level"] = level
        if instrument.get("authorship") or instrument.get("integrity"):
            levels["integrity_level"] = level
        models = [row["percentage"] for row in self._tables.enrolments.rows()
                  if row["learner"] == learner_id and row["instrument_id"] == instrument_id]
        enrolment = float(min(models, default=0.0)) if instrument.get("requires_enrolment") else 1.0
        bean = min(9, max(0, int(result * 10)))
        learner_histogram, activity_histogram = _histogram(mine), _histogram(everyone)
        return {"instrument_id": instrument_id, "enrolment": enrolment,
                "confidence": round(min(1.0, 0.5 + 0.05 * len(mine)), 4), "result": result, **levels,
                "learner_histogram": learner_histogram, "activity_histogram": activity_histogram,
                "instrument_polarity": polarity, "result_bean": bean, "thresholds": dict(THRESHOLDS),
                "prob_learner": _share(learner_histogram, bean, bean), "prob_context": _share(activity_histogram, bean, bean),
                "h_prob_learner": _share(learner_histogram, 0, bean), "h_prob_context": _share(activity_histogram, 0, bean),
                "facts": {"positive": [], "negative": []}}

    # -- audits (keyed by instrument id) -------------------------------------------------------
    def audits(self, principal: Principal, iid: Any, course: Any, activity: Any, report_segment: Any) -> list[Row]:
        with self._state.lock:
            reader = self._reader(principal, iid, course, audit=True)
            report = self._report_for_children(iid, course, activity, report_segment)
            if report is None or (reader is not None and report["learner"] != reader):
                return []
            return [row for row in self._tables.report_audits.rows() if row["report"] == report["id"]]

    def audit(self, principal: Principal, iid: Any, course: Any, activity: Any, report_segment: Any,
              instrument_segment: Any) -> Row:
        with self._state.lock:
            instrument_id = parse_pk(instrument_segment)
            for row in self.audits(principal, iid, course, activity, report_segment):
                if row["instrument"] == instrument_id:
                    return row
            raise not_found()


def _histogram(values: list[float]) -> list[int]:
    bins = [0] * 10
    for value in values:
        bins[min(9, max(0, int(value * 10)))] += 1
    return bins


def _share(histogram: list[int], first: int, last: int) -> float | None:
    """The share of the results that fall in bins `first`..`last`."""
    total = sum(histogram)
    return round(sum(histogram[first:last + 1]) / total, 4) if total else None


def _file_url(base_url: str, key: str | None) -> str | None:
    """A stored file's absolute URL, from the request's host (Django's `build_absolute_uri`)."""
    return f"{base_url}/media/{key}" if key else None


def view_request(fields: FieldOrders, row: Row, base_url: str) -> dict[str, Any]:
    result = [{name: wire.iso(item[name]) if name in ("created_at", "updated_at") else copy.deepcopy(item.get(name))
               for name in fields["RequestResult"]} for item in row["result"]]
    return {"id": row["id"], "result": result, "status": row["status"], "data": _file_url(base_url, row["data"]),
            "error_message": row["error_message"], "created_at": wire.iso(row["created_at"]),
            "updated_at": wire.iso(row["updated_at"]), "learner": row["learner"], "activity": row["activity"],
            "session": row["session"], "message_code": row["message_code"], "instruments": list(row["instruments"])}


def view_audit(row: Row, base_url: str) -> dict[str, Any]:
    return {"id": row["id"], "enrolment": row["enrolment"], "confidence": row["confidence"], "result": row["result"],
            **{n: row[n] for n in LEVEL_FIELDS}, "audit_data": _file_url(base_url, row["audit_data"]),
            "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"]),
            "report": row["report"], "instrument": row["instrument"]}
