"""Activity attachments: `/api/v2/vle/{V}/course/{C}/activity/{A}/attachment/{learner_uuid}/`.

GET lists the activity instruments that can take a document from the learner (SEND
alternatives in place): the real view keeps them by hard-coded instrument *ids*, 4 and 5
(forensic analysis, anti-plagiarism) always, 1 and 3 (face and voice recognition) only with
`options.offline`. POST stores a document and queues its request, as the learner API's
verification view does, always under `documents/`. The activity is looked up first (DRF's 404),
then the learner by UUID among the course's learners (bare strings: a 400 for a segment that is
no UUID, a 404 for a learner not in the course), then the body. The instruments are written as
the VLE API writes an activity's instruments (`VleInstruments.view_activity_instrument`).
"""

from __future__ import annotations

import uuid
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row
from .activities import Activities
from .consent import bare
from .lookup import existing, not_found
from .people import learner_by_uuid
from .samples import ATTACHMENT_ORDER, Samples, datetime_errors, lapi_invalid
from .state import State

ALWAYS = (4, 5)  # fa, plag
OFFLINE_ONLY = (1, 3)  # fr, vr with options.offline
NOT_IN_COURSE = "Learner does not exist"


def invalid_uuid(segment: str) -> MockError:
    """Django's UUIDField refusing the segment; the view answers `str(ValidationError)` as a bare string."""
    return MockError(ErrorKind.BAD_REQUEST, "not a UUID", extra={"body": str([f"“{segment}” is not a valid UUID."])})


class Attachments:
    """The attachment action; the state's lock guards every call."""

    def __init__(self, state: State, samples: Samples, activities: Activities) -> None:
        self._state = state
        self._tables = state.tables
        self._samples = samples
        self._activities = activities

    def _activity(self, vle_id: int, course_id: int, activity_id: int) -> Row:
        """The nested viewset's object: an activity of that course of that VLE, else DRF's 404."""
        activity = self._tables.activities.get(activity_id)
        course = self._tables.courses.get(course_id)
        if activity is None or course is None or activity["course"] != course_id or course["vle"] != vle_id:
            raise not_found()
        return activity

    def _learner(self, activity: Row, segment: str) -> Row:
        try:
            learner_id = str(uuid.UUID(hex=segment))
        except ValueError:
            raise invalid_uuid(segment) from None
        course = self._tables.courses.get(activity["course"]) or {"learners": []}
        row = learner_by_uuid(self._tables.users, learner_id)
        if row is None or row["id"] not in course["learners"]:
            raise bare(ErrorKind.NOT_FOUND, NOT_IN_COURSE)
        return row

    def lookup(self, vle_id: int, course_id: int, activity_id: int, segment: str) -> tuple[Row, Row]:
        """The path's activity, then its learner (both methods answer these errors before the body)."""
        with self._state.lock:
            activity = self._activity(vle_id, course_id, activity_id)
            return activity, self._learner(activity, segment)

    def instruments(self, vle_id: int, course_id: int, activity_id: int, segment: str) -> list[Row]:
        with self._state.lock:
            activity, learner = self.lookup(vle_id, course_id, activity_id, segment)
            found = []
            for row in self._activities.learner_instruments(activity["id"], learner["id"]):
                options = row["options"] if isinstance(row["options"], dict) else {}
                if row["instrument_id"] in ALWAYS or (row["instrument_id"] in OFFLINE_ONLY and options.get("offline")):
                    found.append(row)
            return found

    def post(self, vle_id: int, course_id: int, activity_id: int, segment: str, data: dict[str, Any],
             errors: dict[str, Any]) -> dict[str, str]:
        """`learner_id`, `course_id` and `activity_id` come from the URL; `close_session` and
        `close_at` are checked and ignored."""
        with self._state.lock:
            _, learner = self.lookup(vle_id, course_id, activity_id, segment)
            errors = datetime_errors(data, errors, "close_at", ATTACHMENT_ORDER)
            if errors:
                raise lapi_invalid(errors)
            vle = existing(self._tables.vles, vle_id)
            return self._samples.store_request(vle["institution"], learner["learner_id"], course_id, activity_id,
                                               data.get("session_id"), data, documents=True)
