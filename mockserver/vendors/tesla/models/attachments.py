"""Activity attachments (§2.7): `course/{C}/activity/{A}/attachment/{learner_uuid}/` of the VLE API.

GET lists the activity instruments that can take a document from the learner (SEND
alternatives in place): the real view keeps them by hard-coded instrument *ids*, 4 and 5
(forensic analysis, anti-plagiarism) always, 1 and 3 (face and voice recognition) only with
`options.offline`. POST stores a document and queues its request, as the learner API's
verification view does, always under `documents/`. The activity is looked up first (DRF's 404),
then the learner by UUID among the course's learners (bare strings: a 400 for a segment that is
no UUID, a 404 for a learner not in the course), then the body.

The VLE API's representations of a course, an activity and an activity instrument live here
until the VLE API's own routes (a parallel branch) provide them.
"""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row
from .. import drf
from .consent import bare
from .lookup import existing, not_found
from .samples import ATTACHMENT_ORDER, Samples, datetime_errors, lapi_invalid
from .vles import VLE_TYPES

if TYPE_CHECKING:
    from .backend import TeslaBackend

ALWAYS = (4, 5)  # fa, plag
OFFLINE_ONLY = (1, 3)  # fr, vr with options.offline
NOT_IN_COURSE = "Learner does not exist"


def invalid_uuid(segment: str) -> MockError:
    """Django's UUIDField refusing the segment; the view answers `str(ValidationError)` as a bare string."""
    return MockError(ErrorKind.BAD_REQUEST, "not a UUID", extra={"body": str([f"“{segment}” is not a valid UUID."])})


class Attachments:
    """The attachment action; the backend's lock guards every call."""

    def __init__(self, backend: TeslaBackend, samples: Samples) -> None:
        self._backend = backend
        self._samples = samples

    def _activity(self, vle_id: int, course_id: int, activity_id: int) -> Row:
        """The nested viewset's object: an activity of that course of that VLE, else DRF's 404."""
        backend = self._backend
        activity = backend.activities.get(activity_id)
        course = backend.courses.get(course_id)
        if activity is None or course is None or activity["course"] != course_id or course["vle"] != vle_id:
            raise not_found()
        return activity

    def _learner(self, activity: Row, segment: str) -> Row:
        try:
            learner_id = str(uuid.UUID(hex=segment))
        except ValueError:
            raise invalid_uuid(segment) from None
        course = self._backend.courses.get(activity["course"]) or {"learners": []}
        row = self._backend.learner_by_uuid(learner_id)
        if row is None or row["id"] not in course["learners"]:
            raise bare(ErrorKind.NOT_FOUND, NOT_IN_COURSE)
        return row

    def lookup(self, vle_id: int, course_id: int, activity_id: int, segment: str) -> tuple[Row, Row]:
        """The path's activity, then its learner (both methods answer these errors before the body)."""
        with self._backend.lock:
            activity = self._activity(vle_id, course_id, activity_id)
            return activity, self._learner(activity, segment)

    def instruments(self, vle_id: int, course_id: int, activity_id: int, segment: str) -> list[Row]:
        with self._backend.lock:
            activity, learner = self.lookup(vle_id, course_id, activity_id, segment)
            found = []
            for row in self._backend.learner_activity_instruments(activity["id"], learner["id"]):
                options = row["options"] if isinstance(row["options"], dict) else {}
                if row["instrument_id"] in ALWAYS or (row["instrument_id"] in OFFLINE_ONLY and options.get("offline")):
                    found.append(row)
            return found

    def post(self, vle_id: int, course_id: int, activity_id: int, segment: str, data: dict[str, Any],
             errors: dict[str, Any]) -> dict[str, str]:
        """`learner_id`, `course_id` and `activity_id` come from the URL; `close_session` and
        `close_at` are checked and ignored."""
        backend = self._backend
        with backend.lock:
            _, learner = self.lookup(vle_id, course_id, activity_id, segment)
            errors = datetime_errors(data, errors, "close_at", ATTACHMENT_ORDER)
            if errors:
                raise lapi_invalid(errors)
            vle = existing(backend.vles, vle_id)
            return self._samples.store_request(vle["institution"], learner["learner_id"], course_id, activity_id,
                                               data.get("session_id"), data, documents=True)

    # -- the VLE API's representations ------------------------------------------------------------
    def view_vle_course(self, row: Row) -> dict[str, Any]:
        """`id, vle{...}, enabled, code, vle_course_id, description, start, end, created_at, updated_at`."""
        backend = self._backend
        vle = existing(backend.vles, row["vle"])  # a course goes with its VLE
        institution = existing(backend.institutions, vle["institution"])
        return {"id": row["id"],
                "vle": {"id": vle["id"], "type": VLE_TYPES.get(vle["type"], "MOODLE"),
                        "institution": backend.view_institution(institution), "name": vle["name"],
                        "url": vle.get("url"), "client_id": vle.get("client_id")},
                "enabled": backend.course_enabled(row["id"]), "code": row["code"],
                "vle_course_id": str(row["vle_course_id"]), "description": row["description"],
                "start": drf.iso(row["start"]), "end": drf.iso(row["end"]),
                "created_at": drf.iso(row["created_at"]), "updated_at": drf.iso(row["updated_at"])}

    def view_vle_activity(self, row: Row) -> dict[str, Any]:
        course = self._backend.courses.get(row["course"])
        return {"id": row["id"], "course": self.view_vle_course(course) if course else None,
                "vle_activity_type": row["vle_activity_type"], "vle_activity_id": row["vle_activity_id"],
                "description": row["description"], "name": row["name"], "enabled": row["enabled"],
                "start": drf.iso(row["start"]), "end": drf.iso(row["end"]), "conf": row["conf"],
                "created_at": drf.iso(row["created_at"]), "updated_at": drf.iso(row["updated_at"])}

    def view_vle_activity_instrument(self, row: Row) -> dict[str, Any]:
        """`instrument` and `alternative_to` are ids here (the institution API nests the instrument)."""
        activity = self._backend.activities.get(row["activity"])
        return {"id": row["id"], "activity": self.view_vle_activity(activity) if activity else None,
                "options": copy.deepcopy(row["options"]), "active": row["active"],
                "created_at": drf.iso(row["created_at"]), "updated_at": drf.iso(row["updated_at"]),
                "instrument": row["instrument_id"], "alternative_to": row["alternative_to"]}
