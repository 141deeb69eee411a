"""The two actions of an institution user (`.../user/{id}/activities/`, `.../user/{id}/profile/`):
the activities open to it now, and its profile.

`activities/` lists the enabled activities of the person's courses whose window contains the
mock clock's now, each with its course, its instruments and the instruments that apply to the
person (a learner's SEND categories switch some off). `profile/` always fails on the real
server (a 500 in 1.0.10); the mock checks the caller and the body and answers 400, or with
`quirks` the real 500: a profile never changes.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ....core.errors import ErrorKind, MockError
from ....core.store import Row
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors
from ..listing import ListRules
from ..permissions import Principal
from .activities import Activities
from .courses import Courses
from .lookup import institution_row, upstream_crash
from .special_needs import SpecialNeeds
from .state import State

CANNOT_ACCESS = "You cannot access this information"
OWN_PROFILE_ONLY = "You can only modify your own profile"
PROFILE_BROKEN = "Profiles cannot be changed: the real server (tesla-ce 1.0.10) fails on every profile update."
PASSWORDS_DIFFER = "Passwords does not match"
PROFILE_INPUT_ORDER = ("locale", "password", "password2")
USER_ACTION_LIST_RULES = {"list_user_activities": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                                            default_ordering=("id",))}


class UserActions:
    """`user/{id}/activities/` and `user/{id}/profile/`."""

    def __init__(self, state: State, courses: Courses, activities: Activities, special_needs: SpecialNeeds) -> None:
        self._state = state
        self._tables = state.tables
        self._courses = courses
        self._activities = activities
        self._special_needs = special_needs

    def _action_user(self, principal: Principal, segment: str, id_segment: str, denied: str) -> Row:
        """Members without an admin flag may only ask about themselves (403 before the lookup)."""
        if not principal.sees_all_users and id_segment != str(principal.user_id):
            raise MockError(ErrorKind.FORBIDDEN, denied)
        return institution_row(self._tables.users, segment, id_segment)  # any role

    def activities(self, principal: Principal, segment: str, id_segment: str) -> list[Row]:
        with self._state.lock:
            row = self._action_user(principal, segment, id_segment, CANNOT_ACCESS)
            now = self._state.now()
            courses = set(self._courses.courses_of(row["id"]))
            return [activity for activity in self._tables.activities.rows()
                    if activity["course"] in courses and activity["enabled"]
                    and (activity["start"] is None or activity["start"] <= now)
                    and (activity["end"] is None or now <= activity["end"])]

    def view_activity(self, activity: Row, principal: Principal, user_id: int) -> dict[str, Any]:
        """The extended activity: its course, its instruments, and those that apply to the person."""
        course = self._tables.courses.get(activity["course"])
        instruments = [row for row in self._tables.activity_instruments.rows() if row["activity"] == activity["id"]]
        disabled = set(self._special_needs.summary(user_id)["send"]["disabled_instruments"])
        return {
            "id": activity["id"], "vle_id": course["vle"] if course else None,
            "vle_activity_type": activity["vle_activity_type"], "vle_activity_id": activity["vle_activity_id"],
            "name": activity["name"], "start": wire.iso(activity["start"]), "end": wire.iso(activity["end"]),
            "description": activity["description"],
            "course": self._courses.view(course, principal) if course else None,
            "instruments": [self._activities.view_activity_instrument(row) for row in instruments],
            "user_instruments": [self._activities.view_activity_instrument(row) for row in instruments
                                 if row["active"] and row["instrument_id"] not in disabled],
            "enabled": activity["enabled"], "conf": activity["conf"],
            "created_at": wire.iso(activity["created_at"]), "updated_at": wire.iso(activity["updated_at"]),
        }

    def profile_owner(self, principal: Principal, segment: str, id_segment: str) -> Row:
        """Only one's own profile (403 before the lookup and the body, as the real view)."""
        if id_segment != str(principal.user_id):
            raise MockError(ErrorKind.FORBIDDEN, OWN_PROFILE_ONLY)
        return institution_row(self._tables.users, segment, id_segment)  # any role

    def update_profile(self, principal: Principal, segment: str, id_segment: str, data: dict[str, Any],
                       errors: FieldErrors) -> NoReturn:
        """A valid body is still refused: the real view always fails, so a profile never changes."""
        with self._state.lock:
            self.profile_owner(principal, segment, id_segment)
            if errors:
                raise wire.invalid(errors)
            if "password" in data and data.get("password") != data.get("password2"):
                raise wire.invalid({NON_FIELD_ERRORS: [PASSWORDS_DIFFER]})
            if self._state.quirks:
                raise upstream_crash("any profile update (tesla-ce 1.0.10)")
            raise wire.invalid({NON_FIELD_ERRORS: [PROFILE_BROKEN]})
