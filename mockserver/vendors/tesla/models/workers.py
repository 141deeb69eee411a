"""The real server's asynchronous workers (Celery tasks and providers), emulated on the mock clock.

A stored sample's job is due `PROCESSING_SECONDS` after it was stored. Due jobs run, earliest
first, at the start of every TeSLA request the mock handles (`catch_up`), each as if at its due
moment: the outcome depends only on the state and the clock, never on wall time or chance, and
a frozen clock keeps every sample PENDING until the clock is moved on.

What a job does, following the tasks of tesla-ce 1.0.10:
- enrolment sample: an unknown learner → `.error` "Invalid learner"; a learner whose consent is
  not VALID → the sample is deleted (NOT_FOUND); an unknown instrument → `.error` "Invalid
  instruments"; an instrument without a validation provider (disabled, or one that needs no
  enrolment) → `.error` MISSING_PROVIDER; else `.valid` with each provider's validation, and
  each provider's model of the learner grows by `CONTRIBUTION` (see `enrolments.py`).
- verification sample or document: an unknown learner, activity or session → the task fails and
  the sample stays PENDING; consent not VALID → deleted; else a Request (status 0 Stored); an
  unknown instrument → `.error` and the request's status 2 with "Invalid instruments"; else
  `.valid` `{"message": "stored", "request_id"}` and one result per instrument: 4 Missing
  Provider (no provider), 5 Missing Enrolment (its model cannot analyse), or 1 Processed with a
  score drawn from the seed, the sample's digest and the instrument; the request's status is
  3 Processed when all are, else the real summary's (max + 2, or 4 Error past Timeout); then the
  learner's report for the activity is written again from all its results.
- alert: an unknown learner → stays PENDING; else an Alert row, and `.valid` `{"message":
  "stored", "alert_id"}` (`.error` "Invalid instruments" for an unknown instrument).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ....core.store import Row, Table
from .consent import Consents
from .enrolments import Enrolments
from .lookup import existing
from .people import learner_by_uuid
from .reports import Reports
from .state import State
from .storage import ALERT, ENROLMENT_SAMPLE, REQUEST_SAMPLE, Storage

# The installation's providers per instrument (the seed's enrolments name providers 1, 2, 3 and
# 5; anti-plagiarism's is 4). Voice recognition is disabled, and so are its providers.
PROVIDERS: dict[int, tuple[int, ...]] = {1: (1,), 2: (2, 3), 4: (5,), 5: (4,)}
CONTRIBUTION = 0.6  # what one validated enrolment sample teaches each provider's model
ALERT_COLUMNS = ("id", "learner", "activity", "session", "level", "raised_at", "data", "instruments", "status",
                "error_message", "created_at")
# RequestResult statuses (the provider's scale; the request's is this + 2 once all are done).
PROCESSED, MISSING_PROVIDER, MISSING_ENROLMENT = 1, 4, 5
REQUEST_PROCESSED, REQUEST_INVALID = 3, 2
INVALID_INSTRUMENTS = {"message": "Invalid instruments"}


def alert_table() -> Table:
    return Table("alerts", fields=ALERT_COLUMNS)


def score(seed: int, sha256: str, instrument_id: int) -> float:
    """A provider's verdict on a sample, in 0.35..1.0 (the higher, the more it looks like the learner):
    drawn from the seed, the sample's digest and the instrument, so the same sample scores the same."""
    digest = hashlib.sha256(f"tesla:{seed}:score:{sha256}:{instrument_id}".encode()).digest()
    return round(0.35 + 0.65 * int.from_bytes(digest[:4], "big") / 2**32, 4)


class Workers:
    """Runs the jobs the mock clock has reached; the state's lock guards every call."""

    def __init__(self, state: State, storage: Storage, enrolments: Enrolments, reports: Reports,
                 consents: Consents) -> None:
        self._state = state
        self._tables = state.tables
        self._storage = storage
        self._enrolments = enrolments
        self._reports = reports
        self._consents = consents

    def catch_up(self) -> None:
        with self._state.lock:
            due = self._storage.next_due()
            now = self._state.now()
            if due is None or due > now:
                return
            for row in self._storage.due(now):
                if self._storage.get(row["path"]) is row:  # an earlier job may have removed it
                    self._run(row)

    def _run(self, row: Row) -> None:
        job, at = row["job"], row["due"]
        learner = learner_by_uuid(self._tables.users, job["learner_id"])
        if row["kind"] == ENROLMENT_SAMPLE:
            self._enrolment(row, learner)
        elif row["kind"] == REQUEST_SAMPLE:
            self._request(row, learner, at)
        elif row["kind"] == ALERT:
            self._alert(row, learner, at)
        else:
            self._storage.mark(row, None, None)

    def _consented(self, learner: Row) -> bool:
        return self._consents.ic_status(learner).startswith("VALID")

    def _known(self, instruments: list[int]) -> list[int] | None:
        """The instruments as a many-to-many set keeps them; None when one of them is unknown."""
        known = sorted({i for i in instruments if i in self._tables.instruments})
        return known if len(known) == len(instruments) else None

    # -- enrolment samples -----------------------------------------------------------------------
    def _enrolment(self, row: Row, learner: Row | None) -> None:
        tables = self._tables
        if learner is None:
            self._storage.mark(row, "ERROR", {"message": "Invalid learner"})
            return
        if not self._consented(learner):
            self._storage.remove(row["path"])
            return
        instruments = self._known(row["job"]["instruments"])
        if instruments is None:
            self._storage.mark(row, "ERROR", dict(INVALID_INSTRUMENTS))
            return
        validations: dict[str, Any] = {}
        for instrument_id in instruments:
            instrument = existing(tables.instruments, instrument_id)
            validators = PROVIDERS.get(instrument_id, ()) if instrument["enabled"] and instrument["requires_enrolment"] \
                else ()
            if not validators:
                self._storage.mark(row, "ERROR", {
                    "status": "MISSING_PROVIDER",
                    "message": f"There is no validation provider for instrument <{instrument['name']}>"})
                return
            for provider in validators:
                validations[str(provider)] = {"status": 1, "status_code": "Valid", "error_message": None,
                                              "contribution": CONTRIBUTION, "info": None}
        self._storage.mark(row, "VALID", {"status": "VALID", "validations": validations})
        for instrument_id in instruments:
            for provider in PROVIDERS[instrument_id]:
                self._enrolments.contribute(learner["id"], instrument_id, provider, CONTRIBUTION)

    # -- verification samples and documents ------------------------------------------------------------
    def _request(self, row: Row, learner: Row | None, at: int) -> None:
        tables, job = self._tables, row["job"]
        session = job["session_id"]
        if learner is None or tables.activities.get(job["activity_id"]) is None \
                or (session is not None and tables.assessment_sessions.get(session) is None):
            self._storage.mark(row, None, None)  # the task fails on a missing row: no marker
            return
        if not self._consented(learner):
            self._storage.remove(row["path"])
            return
        known = sorted({i for i in job["instruments"] if i in tables.instruments})
        request = tables.report_requests.insert({
            "id": None, "learner": learner["id"], "activity": job["activity_id"], "session": session, "status": 0,
            "data": row["path"], "error_message": None, "message_code": None, "instruments": known, "result": [],
            "created_at": at, "updated_at": at})
        if len(known) != len(job["instruments"]):
            tables.report_requests.update(request["id"], {"status": REQUEST_INVALID,
                                                           "error_message": INVALID_INSTRUMENTS["message"]})
            self._storage.mark(row, "ERROR", dict(INVALID_INSTRUMENTS))
            return
        self._storage.mark(row, "VALID", {"message": "stored", "request_id": request["id"]})
        results = [self._result(request["id"], learner, instrument_id, job["sha256"], at) for instrument_id in known]
        worst = max((item["status"] for item in results), default=PROCESSED)
        status = REQUEST_PROCESSED if worst == PROCESSED else (worst + 2 if worst < MISSING_ENROLMENT else 4)
        tables.report_requests.update(request["id"], {"status": status, "result": results})
        self._reports.refresh_learner_report(job["activity_id"], learner["id"], at)

    def _result(self, request_id: int, learner: Row, instrument_id: int, sha256: str, at: int) -> dict[str, Any]:
        tables = self._tables
        instrument = existing(tables.instruments, instrument_id)
        item: dict[str, Any] = {"id": self._next_result_id(), "status": PROCESSED, "result": None, "error_message": None,
                                "code": 0, "audit": None, "created_at": at, "updated_at": at, "request": request_id,
                                "instrument": instrument_id, "message_code": None}
        enrolled = any(row["can_analyse"] for row in tables.enrolments.rows()
                       if row["learner"] == learner["id"] and row["instrument_id"] == instrument_id)
        if not instrument["enabled"] or not PROVIDERS.get(instrument_id):
            item["status"] = MISSING_PROVIDER
        elif instrument["requires_enrolment"] and not enrolled:
            item["status"] = MISSING_ENROLMENT
        else:
            value = score(self._state.seed, sha256, instrument_id)
            polarity = self._reports.instrument_polarity(instrument_id)
            item["result"] = value if polarity == 1 else round(1 - value, 4)
            level = self._reports.level_of(value)
            item["code"] = {2: 0, 3: 2, 4: 3}[level]  # the real alert levels: 2 warning, 3 alert
        return item

    def _next_result_id(self) -> int:
        return 1 + max((item["id"] for request in self._tables.report_requests.rows()
                        for item in request["result"]), default=0)

    # -- alerts ----------------------------------------------------------------------------------------
    def _alert(self, row: Row, learner: Row | None, at: int) -> None:
        job = row["job"]
        alerts = self._tables.alerts
        if learner is None or self._tables.activities.get(job["activity_id"]) is None:
            self._storage.mark(row, None, None)
            return
        instruments = job["instruments"]
        known = None if instruments is None else sorted({i for i in instruments if i in self._tables.instruments})
        alert = alerts.insert({"id": None, "learner": learner["id"], "activity": job["activity_id"],
                                    "session": job["session_id"], "level": job["level"], "raised_at": job["raised_at"],
                                    "data": row["path"], "instruments": known or [], "status": 0,
                                    "error_message": None, "created_at": at})
        if known is not None and len(known) != len(instruments):
            alerts.update(alert["id"], {"status": 2, "error_message": INVALID_INSTRUMENTS["message"]})
            self._storage.mark(row, "ERROR", dict(INVALID_INSTRUMENTS))
            return
        self._storage.mark(row, "VALID", {"message": "stored", "alert_id": alert["id"]})
