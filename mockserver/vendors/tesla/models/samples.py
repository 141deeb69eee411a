"""What learners send to the learner API (`/lapi/v1/...`), and the VLE's attachments: validated,
stored, queued for the workers.

The learner API's views check the body first (400), then the caller (403), then store the sample
at the real server's path, named with the mock clock's time, and queue a task; the 200 answer is
`{"status": "OK", "path": <stored name>}`. The emulated workers (`workers.py`) pick the task up
`PROCESSING_SECONDS` of mock time later. Who passes (`lapi/utils.is_authenticated`): the body's
`learner_id` must be the path's; then the learner itself (a learner token, or the user token of
that learner), or a VLE module of the path's institution (except for the profile).
"""

from __future__ import annotations

import uuid
from typing import Any

from ....core.errors import ErrorKind, MockError
from .. import wire
from ..permissions import Principal
from .consent import WRONG_DATETIME, parse_datetime
from .lookup import upstream_crash
from .state import State
from .storage import ALERT, ENROLMENT_SAMPLE, REQUEST_SAMPLE, Storage, digest, timestamp, traverses

PROCESSING_SECONDS = 5  # mock time between storing a sample and the workers' verdict
INVALID_TOKEN = "Invalid token"
INVALID_USER_OBJECT = "Invalid user object"
TRAVERSAL = "Detected path traversal attempt in '{name}'"
SAMPLE_ORDER = ("learner_id", "course_id", "activity_id", "session_id", "data", "instruments", "metadata")
ALERT_ORDER = ("level", "learner_id", "course_id", "activity_id", "session_id", "data", "instruments", "raised_at")
STATUS_ORDER = ("learner_id", "samples")
METADATA_ORDER = ("filename", "mimetype", "context")
ATTACHMENT_ORDER = ("learner_id", "course_id", "activity_id", "session_id", "data", "instruments", "metadata",
                    "close_at", "close_session")


def lapi_invalid(errors: dict[str, Any], wrapped: bool = True) -> MockError:
    """400 in the learner API's own shape: `{"status": "ERROR", "errors": {...}}` (`{"errors"}` for status)."""
    body: dict[str, Any] = {"status": "ERROR", "errors": errors} if wrapped else {"errors": errors}
    return MockError(ErrorKind.BAD_REQUEST, "invalid sample", extra={"body": body})


def lapi_forbidden(text: str = INVALID_TOKEN, wrapped: bool = True) -> MockError:
    body: dict[str, Any] = {"status": "ERROR", "errors": text} if wrapped else {"errors": text}
    return MockError(ErrorKind.FORBIDDEN, text, extra={"body": body})


def metadata_name(data: dict[str, Any]) -> str:
    """The stored sample's file name: `metadata.filename`, or the text `None` when it is null."""
    filename = (data.get("metadata") or {}).get("filename")
    return "None" if filename is None else str(wire.as_text(filename))


class Samples:
    """The learner API's intake and the storage of documents; the state's lock guards every call."""

    def __init__(self, state: State, storage: Storage) -> None:
        self._state = state
        self._tables = state.tables
        self._storage = storage

    # -- who passes --------------------------------------------------------------------------------
    def passes(self, principal: Principal, iid: int, learner_id: str, modules: bool = True) -> bool:
        if principal.kind == "member" and principal.learner:
            row = self._tables.users.get(principal.user_id) or {}
            return row.get("learner_id") == learner_id and row.get("institution") == iid
        if principal.kind == "module" and modules:
            vle = self._tables.vles.get(principal.vle_id) or {}
            return vle.get("institution") == iid
        return False

    def _checked(self, principal: Principal, iid: int, learner_id: str, data: dict[str, Any], errors: dict[str, Any],
                 wrapped: bool = True) -> dict[str, Any]:
        """Body errors, then the caller; `data` with its text trimmed and its UUID written as DRF does."""
        if errors:
            raise lapi_invalid(errors, wrapped)
        data = dict(data, learner_id=str(uuid.UUID(hex=data["learner_id"])))
        if data["learner_id"] != learner_id or not self.passes(principal, iid, learner_id):
            raise lapi_forbidden(wrapped=wrapped)
        return data

    # -- the routes ----------------------------------------------------------------------------------
    def enrolment(self, principal: Principal, iid: int, learner_id: str, data: dict[str, Any],
                  errors: dict[str, Any]) -> dict[str, str]:
        with self._state.lock:
            data = self._checked(principal, iid, learner_id, data, errors)
            now = self._now()
            name = f"{iid}/enrolment/{learner_id}/samples/{timestamp(now)}_{metadata_name(data)}"
            job = {"learner_id": learner_id, "instruments": list(data["instruments"]), **digest(wire.as_text(data["data"]))}
            return self._store(name, ENROLMENT_SAMPLE, job, "metadata", now)

    def verification(self, principal: Principal, iid: int, learner_id: str, data: dict[str, Any],
                     errors: dict[str, Any]) -> dict[str, str]:
        with self._state.lock:
            data = self._checked(principal, iid, learner_id, data, errors)
            return self.store_request(iid, learner_id, data["course_id"], data["activity_id"], data.get("session_id"),
                                      data, documents=data.get("session_id") is None)

    def store_request(self, iid: int, learner_id: str, course_id: Any, activity_id: Any, session_id: int | None,
                      data: dict[str, Any], documents: bool) -> dict[str, str]:
        """A verification sample (under `sessions/<sid>/`) or a document (under `documents/`)."""
        where = "documents" if documents else f"sessions/{session_id}"
        now = self._now()
        name = f"{iid}/requests/{learner_id}/{course_id}/{activity_id}/{where}/{timestamp(now)}_{metadata_name(data)}"
        job = {"learner_id": learner_id, "activity_id": activity_id, "session_id": session_id,
               "instruments": list(data["instruments"]), **digest(wire.as_text(data["data"]))}
        return self._store(name, REQUEST_SAMPLE, job, "metadata", now)

    def alert(self, principal: Principal, iid: int, learner_id: str, data: dict[str, Any],
              errors: dict[str, Any]) -> dict[str, str]:
        with self._state.lock:
            errors = datetime_errors(data, errors, "raised_at", ALERT_ORDER)
            data = self._checked(principal, iid, learner_id, data, errors)
            session = data.get("session_id")
            where = "documents" if session is None else f"sessions/{session}"
            level = str(wire.as_text(data["level"]))
            now = self._now()
            folder = f"{iid}/alerts/{learner_id}/{data['course_id']}/{data['activity_id']}/{where}"
            name = f"{folder}/{timestamp(now)}_{level.upper()}"
            job = {"learner_id": learner_id, "activity_id": data["activity_id"], "session_id": session,
                   "level": level, "raised_at": parse_datetime(data["raised_at"]),
                   "instruments": None if data.get("instruments") is None else list(data["instruments"])}
            return self._store(name, ALERT, job, "level", now)

    def status(self, principal: Principal, iid: int, learner_id: str, data: dict[str, Any],
               errors: dict[str, Any]) -> list[dict[str, Any]]:
        """Each path as the storage holds it (any learner's path: the real view does not check)."""
        with self._state.lock:
            data = self._checked(principal, iid, learner_id, data, errors, wrapped=False)
            found = []
            for sample in data["samples"]:
                path = wire.as_text(sample)
                state, info = self._storage.status(path)
                found.append({"sample": path, "status": state, "info": info})
            return found

    def profile(self, principal: Principal, iid: int, learner_id: str) -> dict[str, Any]:
        with self._state.lock:
            if not self.passes(principal, iid, learner_id):
                raise lapi_forbidden()
            if principal.kind == "module":
                raise lapi_forbidden(INVALID_USER_OBJECT)
            row = self._tables.users.get(principal.user_id) or {}
            return {"learner_id": row.get("learner_id"), "institution_id": row.get("institution"),
                    "email": row.get("email"), "first_name": row.get("first_name"), "last_name": row.get("last_name")}

    # -- storage -------------------------------------------------------------------------------------
    def _now(self) -> int:
        return self._state.now()

    def _store(self, name: str, kind: str, job: dict[str, Any], name_field: str, now: int) -> dict[str, str]:
        """A name with a `..` component makes Django's storage refuse it (a 500 upstream)."""
        if traverses(name):
            if self._state.quirks:
                raise upstream_crash("a sample name with a '..' component (SuspiciousFileOperation)")
            message = TRAVERSAL.format(name=name)
            raise lapi_invalid({"metadata": {"filename": [message]}} if name_field == "metadata"
                               else {name_field: [message]})
        row = self._storage.put(name, kind, now, job, due=now + PROCESSING_SECONDS * 1_000_000)
        return {"status": "OK", "path": row["path"]}


def datetime_errors(data: dict[str, Any], errors: dict[str, Any], name: str, order: tuple[str, ...]) -> dict[str, Any]:
    """DRF's DateTimeField: its own parser decides, whatever the schema's `date-time` format says."""
    value = data.get(name)
    if name in errors and isinstance(value, str) and parse_datetime(value) is not None \
            and errors[name] == ["Invalid value."]:
        errors = {key: item for key, item in errors.items() if key != name}
    elif name not in errors and isinstance(value, str) and parse_datetime(value) is None:
        errors = {**errors, name: [WRONG_DATETIME]}
    rank = {field: index for index, field in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))
