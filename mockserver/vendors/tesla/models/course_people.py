"""A course's instructors and learners (`/api/v2/institution/{iid}/course/{cid}/instructor/`,
`.../learner/`): the people enrolled in it.

Enrolments come from the VLE API: POST is a 500 on the real server (400 here unless `quirks`).
Only `uid` is writable, and it changes the person. DELETE deletes the whole person, not just the
enrolment, as upstream. The course learner list shows privileged callers everyone, a learner
only themself, and a course instructor nobody (an upstream bug kept on purpose: it is what
clients see).
"""

from __future__ import annotations

from typing import Any, NoReturn

from ....core.store import Row
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors, FieldOrders
from ..listing import Filter, ListRules
from ..permissions import Principal
from .cascades import Cascades
from .courses import Courses
from .learners import Learners
from .lookup import UNIQUE_TOGETHER, not_found, parse_pk, upstream_crash
from .state import State

PEOPLE_FILTERS = ("uid", "first_name", "last_name", "email")
ENROLLED_BY_VLE = "Enrolments are created through the VLE API."
ROLE_COLUMN = {"instructors": "instructor", "learners": "learner"}


def course_people_list_rules(fields: FieldOrders) -> dict[str, ListRules]:
    """Both lists order by any field of the course instructor serializer (the same view class upstream)."""
    rules = ListRules(filters=tuple(Filter(name, "exact") for name in PEOPLE_FILTERS), search_fields=PEOPLE_FILTERS,
                      ordering_fields=frozenset(fields["CourseInstructor"]), default_ordering=("id",))
    return {"list_course_instructors": rules, "list_course_learners": rules}


class CoursePeople:
    """Course instructor and learner routes' rules (`role` is "instructors" or "learners")."""

    def __init__(self, state: State, courses: Courses, learners: Learners, cascades: Cascades) -> None:
        self._state = state
        self._courses = courses
        self._learners = learners
        self._cascades = cascades

    def _enrolled_course(self, iid: Any, course_segment: Any) -> Row:
        """The path's course; unknown, the real server fails (privileged callers reach it)."""
        course = self._courses.course_in(iid, course_segment)
        if course is None:
            if self._state.quirks and parse_pk(course_segment) is not None:
                raise upstream_crash("the people of an unknown course")
            raise not_found()
        return course

    def _people(self, course: Row, role: str) -> list[Row]:
        users = self._state.tables.users
        found = (users.get(user_id) for user_id in course[role])
        return [row for row in found if row is not None and row.get(ROLE_COLUMN[role])]

    def _visible(self, principal: Principal, course: Row, role: str) -> list[Row]:
        people = self._people(course, role)
        if role == "instructors" or principal.is_global_admin or principal.inst_admin or principal.data_admin:
            return people
        if principal.user_id in course["instructors"]:
            return []  # upstream bug: the instructor's queryset filters on the learner's id
        return [row for row in people if row["id"] == principal.user_id]

    def rows(self, principal: Principal, iid: Any, course_segment: Any, role: str) -> list[Row]:
        with self._state.lock:
            return self._visible(principal, self._enrolled_course(iid, course_segment), role)

    def get(self, principal: Principal, iid: Any, course_segment: Any, id_segment: Any, role: str) -> Row:
        course = self._enrolled_course(iid, course_segment)
        person_id = parse_pk(id_segment)
        for row in self._visible(principal, course, role):
            if row["id"] == person_id:
                return row
        raise not_found()

    def create(self, iid: Any, course_segment: Any, errors: FieldErrors) -> NoReturn:
        with self._state.lock:
            self._enrolled_course(iid, course_segment)
            if errors:
                raise wire.invalid(errors)
            if self._state.quirks:
                raise upstream_crash("an enrolment created through the institution API (TypeError)")
            raise wire.invalid({"uid": [ENROLLED_BY_VLE]})

    def update(self, principal: Principal, iid: Any, course_segment: Any, id_segment: Any, role: str,
               data: dict[str, Any], errors: FieldErrors) -> Row:
        """Only `uid` changes (unique within the institution), and it changes the person."""
        state, users = self._state, self._state.tables.users
        with state.lock:
            row = self.get(principal, iid, course_segment, id_segment, role)
            if errors:
                raise wire.invalid(errors)
            data = wire.trimmed(data, ("uid",))
            if "uid" in data:
                holder = users.find("institution_uid", (row["institution"], data["uid"]))
                if holder is not None and holder["id"] != row["id"]:
                    raise wire.invalid({NON_FIELD_ERRORS: [UNIQUE_TOGETHER]})
                return users.update(row["id"], {"uid": data["uid"], "updated_at": state.now()})
            return users.update(row["id"], {"updated_at": state.now()})

    def delete(self, principal: Principal, iid: Any, course_segment: Any, id_segment: Any, role: str) -> None:
        """The whole person goes, with every enrolment (and, for learners, their SEND data)."""
        with self._state.lock:
            self._cascades.delete_person(self.get(principal, iid, course_segment, id_segment, role)["id"])

    # -- views ---------------------------------------------------------------------------------
    def view_instructor(self, row: Row) -> dict[str, Any]:
        return {name: wire.iso(row[name]) if name in ("created_at", "updated_at") else row[name]
                for name in self._state.fields["CourseInstructor"]}

    def view_learner(self, row: Row, detail: bool = False) -> dict[str, Any]:
        """The list item in its own key order; the detail is the learner detail."""
        full = self._learners.view(row, detail=detail)
        return full if detail else {name: full.get(name) for name in self._state.fields["CourseLearner"]}
