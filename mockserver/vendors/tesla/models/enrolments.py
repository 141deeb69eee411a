"""A learner's enrolment with each instrument's providers (the `learner/{id}/enrolment/` action).

The real server learns a learner's biometric model per instrument and provider from enrolment
samples; the mock keeps the outcome only: one row per (learner, instrument, provider) with the
model's `percentage` (0..1), whether it `can_analyse`, the contributions still pending and the
samples not yet validated. Seeded from `enrolments` in the fixtures; the VLE/provider APIs that
feed it are not served, so only deletion changes it here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ....core.store import Row, Table, Unique
from .lookup import delete_where, institution_pk, not_found, upstream_crash

ENROLMENT_FIELDS = ("id", "learner", "instrument_id", "provider_id", "percentage", "can_analyse",
                    "pending_contributions", "not_validated")


def enrolment_table() -> Table:
    return Table("enrolments", unique=[Unique("learner_instrument_provider",
                                              lambda r: (r["learner"], r["instrument_id"], r["provider_id"]))],
                 fields=ENROLMENT_FIELDS)


def _summary(instrument_id: int, rows: list[Row]) -> dict[str, Any]:
    """The real aggregate: min/max over the instrument's providers, plus what is still pending."""
    return {
        "instrument_id": instrument_id,
        "percentage__min": min((row["percentage"] for row in rows), default=None),
        "percentage__max": max((row["percentage"] for row in rows), default=None),
        "can_analyse__min": min((row["can_analyse"] for row in rows), default=None),
        "can_analyse__max": max((row["can_analyse"] for row in rows), default=None),
        "pending": [{"provider_id": row["provider_id"], "instrument_id": instrument_id,
                     "pending_contribution": row["pending_contributions"]}
                    for row in rows if row["pending_contributions"]],
        "not_validated": [{"provider_id": row["provider_id"], "instrument_id": instrument_id,
                           "count": row["not_validated"]} for row in rows if row["not_validated"]],
        "pending_contributions": sum(row["pending_contributions"] for row in rows),
        "not_validated_count": sum(row["not_validated"] for row in rows),
    }


class EnrolmentRules:
    """The enrolment action's rules, mixed into the backend."""

    enrolments: Table
    quirks: bool
    lock: Any
    learner_in: Callable[[int, Any], Row | None]

    def _load_enrolments(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            self.enrolments.insert({"id": None, "can_analyse": False, "pending_contributions": 0, "not_validated": 0,
                                    **copy.deepcopy(record)})

    def enrolment_summaries(self, learner_id: int) -> list[dict[str, Any]]:
        by_instrument: dict[int, list[Row]] = {}
        for row in self.enrolments.rows():
            if row["learner"] == learner_id:
                by_instrument.setdefault(row["instrument_id"], []).append(row)
        return [_summary(instrument_id, rows) for instrument_id, rows in sorted(by_instrument.items())]

    def delete_learner_enrolments(self, learner_id: int) -> None:
        delete_where(self.enrolments, "learner", learner_id)

    def _enrolled_learner(self, segment: str, id_segment: str) -> Row:
        """An unknown learner makes the real view fail (a 500); 404 here unless `quirks`."""
        row = self.learner_in(institution_pk(segment), id_segment)
        if row is None:
            if self.quirks:
                raise upstream_crash("the enrolment of an unknown learner")
            raise not_found()
        return row

    def learner_enrolment(self, segment: str, id_segment: str, activity: int | None) -> Any:
        """The summaries, or with `?activity_id=` what that activity's instruments still need."""
        with self.lock:
            row = self._enrolled_learner(segment, id_segment)
            summaries = self.enrolment_summaries(row["id"])
            if activity is None:
                return summaries
            found = {item["instrument_id"]: item for item in summaries}
            needed = self._activity_enrolment_instruments(activity)
            return {
                "missing_enrolments": any(not (found.get(i) or {}).get("can_analyse__max") for i in needed),
                "instruments": {str(i): found.get(i) or _summary(i, []) for i in needed},
                "activity_id": activity,
                "learner_id": row["id"],
            }

    def _activity_enrolment_instruments(self, activity: int) -> list[int]:
        """The active instruments of the activity whose instrument needs an enrolment."""
        table = getattr(self, "activity_instruments", None)
        instruments = getattr(self, "instruments", None)
        if table is None or instruments is None:
            return []
        ids = {row["instrument_id"] for row in table.rows() if row["activity"] == activity and row["active"]}
        return sorted(i for i in ids if (instruments.get(i) or {}).get("requires_enrolment"))

    def delete_unused_enrolments(self, segment: str, id_segment: str) -> list[dict[str, Any]]:
        """Drops the enrolments that learnt nothing (0 % and nothing pending); answers what is left."""
        with self.lock:
            row = self._enrolled_learner(segment, id_segment)
            for enrolment in [e for e in self.enrolments.rows() if e["learner"] == row["id"]]:
                if not enrolment["percentage"] and not enrolment["pending_contributions"]:
                    self.enrolments.delete(enrolment["id"])
            return self.enrolment_summaries(row["id"])

