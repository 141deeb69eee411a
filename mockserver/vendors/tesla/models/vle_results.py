"""What a VLE reads back (`/api/v2/vle/{vle_id}/course/{cid}/activity/{aid}/report/`, `.../learner/`,
`.../learner/{lid}/request/`): an activity's reports, a learner's verification requests in an
activity, and the activity's learners. Read-only; the rows are the
institution API's reports and requests, with the same ids.

Upstream behaviour kept on purpose (it is what clients see, and nothing crashes):
- reports are scoped by the path's VLE, course and activity;
- requests are filtered by the activity and the learner's **database id** only (the VLE and
  course in the path are not checked), newest first;
- the activity-learner list names the learners with a request on activity **1**, whatever the
  path says (the real queryset hard-codes it).
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.store import Row
from .lookup import not_found, parse_pk, upstream_crash
from .reports import LEVEL_FIELDS, PROVIDER_FIGURES, Reports
from .state import State

HARD_CODED_ACTIVITY = 1  # the real activity-learner queryset's `request__activity_id=1`


class VleResults:
    """Report, request and activity-learner routes of one VLE module's API."""

    def __init__(self, state: State, reports: Reports) -> None:
        self._state = state
        self._tables = state.tables
        self._reports = reports

    # -- reports ---------------------------------------------------------------------------------
    def _activity_in(self, vle_id: int, course_segment: Any, activity_segment: Any) -> Row | None:
        row = self._tables.activities.get(parse_pk(activity_segment))
        if row is None or row["vle"] != vle_id or row["course"] != parse_pk(course_segment):
            return None
        return row

    def reports(self, vle_id: int, course_segment: Any, activity_segment: Any) -> list[Row]:
        """The activity's reports, flattened for `?search=` (learner names and email, levels as text)."""
        tables = self._tables
        with self._state.lock:
            activity = self._activity_in(vle_id, course_segment, activity_segment)
            if activity is None:
                return []
            found = []
            for row in tables.reports.rows():
                if row["activity"] == activity["id"]:
                    learner = tables.users.get(row["learner"]) or {}
                    found.append({**row, **{f"learner__{n}": learner.get(n) for n in ("first_name", "last_name",
                                                                                      "email")},
                                  **{f"_{n}": str(row[n]) for n in LEVEL_FIELDS}})
            return found

    def report(self, vle_id: int, course_segment: Any, activity_segment: Any, id_segment: Any) -> Row:
        with self._state.lock:
            activity = self._activity_in(vle_id, course_segment, activity_segment)
            row = self._tables.reports.get(parse_pk(id_segment))
            if activity is None or row is None or row["activity"] != activity["id"]:
                raise not_found()
            if any(item.get(name) is None for item in row["detail"] for name in PROVIDER_FIGURES):
                if self._state.quirks:
                    raise upstream_crash("a report detail without provider or histogram data")
                raise not_found()
            return row

    def view_report(self, row: Row) -> dict[str, Any]:
        return self._reports.view(row)

    def view_report_detail(self, row: Row) -> dict[str, Any]:
        """The institution API's detail items without `facts`, and no `data` link."""
        detail = []
        for item in row["detail"]:
            instrument = self._tables.instruments.get(item["instrument_id"]) or {}
            extended = {name: copy.deepcopy(item.get(name)) for name in self._state.fields["VleReportDetailItem"]}
            extended["instrument"], extended["instrument_acronym"] = instrument.get("name"), instrument.get("acronym")
            detail.append(extended)
        summary = self._reports.view(row)
        return {"id": row["id"], "learner": summary["learner"], "detail": detail, **{n: row[n] for n in LEVEL_FIELDS}}

    # -- a learner's requests in an activity -----------------------------------------------------
    def _learner_pk(self, learner_segment: Any) -> int:
        """The learner's database id; anything else (a UUID, say) crashes the real filter."""
        learner_id = parse_pk(learner_segment)
        if learner_id is None:
            if self._state.quirks:
                raise upstream_crash("a request list under a learner segment that is not a number")
            raise not_found()
        return learner_id

    def requests(self, activity_segment: Any, learner_segment: Any) -> list[Row]:
        """Newest first; rows carry their instrument ids as text too (what `?search=` compares)."""
        learner_id = self._learner_pk(learner_segment)
        activity_id = parse_pk(activity_segment)
        with self._state.lock:
            return [{**row, "_instruments_text": " ".join(str(i) for i in row["instruments"])}
                    for row in self._tables.report_requests.rows()
                    if row["activity"] == activity_id and row["learner"] == learner_id]

    def request(self, activity_segment: Any, learner_segment: Any, id_segment: Any) -> Row:
        learner_id = self._learner_pk(learner_segment)
        row = self._tables.report_requests.get(parse_pk(id_segment))
        if row is None or row["activity"] != parse_pk(activity_segment) or row["learner"] != learner_id:
            raise not_found()
        return row

    # -- the activity's learners (upstream: those with a request on activity 1) ------------------
    def activity_learners(self) -> list[Row]:
        tables = self._tables
        with self._state.lock:
            ids = {row["learner"] for row in tables.report_requests.rows() if row["activity"] == HARD_CODED_ACTIVITY}
            return [row for row in tables.users.rows() if row["id"] in ids and row.get("learner")]

    def activity_learner(self, id_segment: Any) -> Row:
        person_id = parse_pk(id_segment)
        for row in self.activity_learners():
            if row["id"] == person_id:
                return row
        raise not_found()

    @staticmethod
    def view_activity_learner(row: Row) -> dict[str, Any]:
        return {"id": row["id"], "first_name": row["first_name"], "last_name": row["last_name"],
                "email": row["email"], "uid": row["uid"], "institution_id": row["institution"],
                "learner_id": row["learner_id"]}
