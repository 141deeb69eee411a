"""A learner's enrolment with each instrument's providers (the `learner/{id}/enrolment/` action).

The real server learns a learner's biometric model per instrument and provider from enrolment
samples; the mock keeps the outcome only: one row per (learner, instrument, provider) with the
model's `percentage` (0..1), whether it `can_analyse`, the contributions still pending and the
samples not yet validated. Seeded from `enrolments` in the fixtures; the emulated enrolment
workers (`workers.py`) add to it when a learner's enrolment sample is validated.
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.store import Row, Table, Unique
from .activities import Activities
from .lookup import institution_pk, not_found, upstream_crash
from .people import learner_in
from .state import State

ENROLMENT_COLUMNS = ("id", "learner", "instrument_id", "provider_id", "percentage", "can_analyse",
                    "pending_contributions", "not_validated")
# A provider's model can analyse once it has learnt this much (the seed's own threshold).
CAN_ANALYSE_FROM = 0.6
# The item of an instrument the learner has no enrolment with (`get_missing_enrolment`'s own shape).
NOT_ENROLLED = {"percentage__min": 0, "percentage__max": 0, "can_analyse__min": False, "can_analyse__max": False,
                "pending": [], "pending_contributions": 0}


def enrolment_table() -> Table:
    return Table("enrolments", unique=[Unique("learner_instrument_provider",
                                              lambda r: (r["learner"], r["instrument_id"], r["provider_id"]))],
                 fields=ENROLMENT_COLUMNS)


def seed_enrolment(record: dict[str, Any]) -> Row:
    return {"id": None, "can_analyse": False, "pending_contributions": 0, "not_validated": 0, **copy.deepcopy(record)}


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


class Enrolments:
    """The enrolment action's rules, and the enrolment summaries other modules show."""

    def __init__(self, state: State, activities: Activities) -> None:
        self._state = state
        self._tables = state.tables
        self._activities = activities

    def summaries(self, learner_id: int) -> list[dict[str, Any]]:
        """The learner detail's `enrolment_status`: its per-instrument enrolment summaries."""
        by_instrument: dict[int, list[Row]] = {}
        for row in self._tables.enrolments.rows():
            if row["learner"] == learner_id:
                by_instrument.setdefault(row["instrument_id"], []).append(row)
        return [_summary(instrument_id, rows) for instrument_id, rows in sorted(by_instrument.items())]

    def contribute(self, learner_id: int, instrument_id: int, provider_id: int, contribution: float) -> None:
        """A validated enrolment sample taught a provider's model: it grows (up to 1.0) and can
        analyse from `CAN_ANALYSE_FROM` on."""
        enrolments = self._tables.enrolments
        row = enrolments.find("learner_instrument_provider", (learner_id, instrument_id, provider_id))
        percentage = min(1.0, round((row["percentage"] if row else 0.0) + contribution, 4))
        changes = {"percentage": percentage, "can_analyse": percentage >= CAN_ANALYSE_FROM}
        if row is None:
            enrolments.insert({"id": None, "learner": learner_id, "instrument_id": instrument_id,
                               "provider_id": provider_id, "pending_contributions": 0, "not_validated": 0,
                               **changes})
        else:
            enrolments.update(row["id"], changes)

    def _enrolled_learner(self, segment: str, id_segment: str) -> Row:
        """An unknown learner makes the real view fail (a 500); 404 here unless `quirks`."""
        row = learner_in(self._tables.users, institution_pk(segment), id_segment)
        if row is None:
            if self._state.quirks:
                raise upstream_crash("the enrolment of an unknown learner")
            raise not_found()
        return row

    def of_learner(self, segment: str, id_segment: str, activity: int | None) -> Any:
        """The summaries, or with `?activity_id=` what that activity's instruments still need."""
        with self._state.lock:
            row = self._enrolled_learner(segment, id_segment)
            if activity is None:
                return self.summaries(row["id"])
            return self.missing(row["id"], activity)

    def missing(self, learner_id: int, activity_id: int) -> dict[str, Any]:
        """`Learner.missing_enrolments`: for an enabled activity, the learner's summary of each of
        its instruments (SEND alternatives in place), plus a zero item for each instrument that
        needs an enrolment the learner lacks; missing when one of them cannot analyse yet. An
        activity that is disabled, or unknown, needs nothing."""
        found: dict[str, Any] = {"missing_enrolments": False, "instruments": {}, "activity_id": activity_id,
                                 "learner_id": learner_id}
        activity = self._tables.activities.get(activity_id)
        if activity is None or not activity["enabled"]:
            return found
        used = [row["instrument_id"] for row in self._activities.learner_instruments(activity_id, learner_id)]
        needed = [i for i in used if (self._tables.instruments.get(i) or {}).get("requires_enrolment")]
        for summary in self.summaries(learner_id):
            instrument_id = summary["instrument_id"]
            if instrument_id not in used:
                continue
            needed = [i for i in needed if i != instrument_id]
            found["instruments"][str(instrument_id)] = summary
            if not summary["can_analyse__max"]:
                found["missing_enrolments"] = True
        for instrument_id in needed:
            found["missing_enrolments"] = True
            found["instruments"][str(instrument_id)] = {"instrument_id": instrument_id, **copy.deepcopy(NOT_ENROLLED)}
        return found

    def delete_unused(self, segment: str, id_segment: str) -> list[dict[str, Any]]:
        """Drops the enrolments that learnt nothing (0 % and nothing pending); answers what is left."""
        with self._state.lock:
            row = self._enrolled_learner(segment, id_segment)
            for enrolment in [e for e in self._tables.enrolments.rows() if e["learner"] == row["id"]]:
                if not enrolment["percentage"] and not enrolment["pending_contributions"]:
                    self._tables.enrolments.delete(enrolment["id"])
            return self.summaries(row["id"])
