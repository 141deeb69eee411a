"""A course's learners and instructors through the VLE API (`/api/v2/vle/{vle_id}/course/{cid}/learner/`,
`.../instructor/`).

POST enrols by `uid` within the course's institution (the course's VLE's), in the real
serializer's order:
1. an unknown course is 404 `{"detail": "Course not found"}`;
2. a learner (instructor) with that uid is enrolled as it is;
3. otherwise, with the institution's `disable_vle_learner_creation` (`..._instructor_creation`),
   404 "Learner not found" ("Instructor not found"); else an institution user with that uid is
   promoted; else, with `disable_vle_user_creation`, 404 "User not found"; else a person is made
   (an existing person of the institution with that email is reused) and promoted;
4. the person joins the course, and the answer is 201 every time (Moodle posts on every page).

One person keeps one id: a learner made here is `/institution/{iid}/learner/{id}/` and
`/user/{id}/` too, and the same uid enrolled as instructor answers the same id. DELETE only
takes the person out of the course.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row
from .. import wire
from ..wire import NON_FIELD_ERRORS, REQUIRED, UNIQUE, FieldErrors
from .courses import Courses
from .instructors import view_instructor
from .learners import Learners
from .lookup import UNIQUE_TOGETHER, not_found, parse_pk, upstream_crash
from .people import in_order, learner_uuid
from .state import State

LEARNERS, INSTRUCTORS = "learners", "instructors"  # the course's enrolment lists
ROLE_COLUMN = {LEARNERS: "learner", INSTRUCTORS: "instructor"}
ROLE_NAME = {LEARNERS: "Learner", INSTRUCTORS: "Instructor"}
FLAGS = ("inst_admin", "legal_admin", "send_admin", "data_admin")
INPUT_ORDER = ("first_name", "last_name", "email", "locale", "uid", *FLAGS)
TEXT = ("first_name", "last_name", "email", "locale", "uid")
NAMES = ("first_name", "last_name", "email")  # NOT NULL columns a full update would set to null upstream
COURSE_NOT_FOUND = "Course not found"
USERNAME_MAX = 150


def detail(text: str) -> MockError:
    return MockError(ErrorKind.NOT_FOUND, text)


class VleEnrolment:
    """The course learner and instructor routes of one VLE module's API."""

    def __init__(self, state: State, courses: Courses, learners: Learners) -> None:
        self._state = state
        self._tables = state.tables
        self._courses = courses
        self._learners = learners

    # -- reads -----------------------------------------------------------------------------------
    def _course(self, course_segment: Any) -> Row:
        """The path's course; unknown, the real list (or lookup) crashes."""
        course = self._tables.courses.get(parse_pk(course_segment))
        if course is None:
            if self._state.quirks:
                raise upstream_crash("the people of an unknown course")
            raise not_found()
        return course

    def people(self, course_segment: Any, role: str) -> list[Row]:
        users = self._tables.users
        with self._state.lock:
            found = (users.get(user_id) for user_id in self._course(course_segment)[role])
            return [row for row in found if row is not None and row.get(ROLE_COLUMN[role])]

    def person(self, course_segment: Any, id_segment: Any, role: str) -> Row:
        person_id = parse_pk(id_segment)
        for row in self.people(course_segment, role):
            if row["id"] == person_id:
                return row
        raise not_found()

    # -- enrol (POST) ----------------------------------------------------------------------------
    def enrol(self, course_segment: Any, data: dict[str, Any], errors: FieldErrors, role: str) -> Row:
        tables = self._tables
        with self._state.lock:
            if errors:
                raise wire.invalid(errors)
            data = wire.trimmed(data, TEXT)
            course = tables.courses.get(parse_pk(course_segment))
            if course is None:
                raise detail(COURSE_NOT_FOUND)
            iid = self._courses.institution_of(course)
            institution = tables.institutions.get(iid) or {}
            person = tables.users.find("institution_uid", (iid, data["uid"]))
            if person is None or not person.get(ROLE_COLUMN[role]):
                if institution.get(f"disable_vle_{ROLE_COLUMN[role]}_creation"):
                    raise detail(f"{ROLE_NAME[role]} not found")
                if person is None:
                    if institution.get("disable_vle_user_creation"):
                        raise detail("User not found")
                    person = self._new_person(iid, data, role)
                person = self._promote(person, role)
            self._add_to_course(course["id"], person["id"], role)
            return person

    def _add_to_course(self, course_id: int, user_id: int, role: str) -> None:
        """Put a person in a course's `learners` or `instructors` (a many-to-many add: idempotent)."""
        courses = self._tables.courses
        course = courses.get(course_id)
        if course is not None and user_id not in course[role]:
            courses.update(course_id, {role: sorted([*course[role], user_id])})

    def _promote(self, row: Row, role: str) -> Row:
        """Give an institution user the learner (with its UUID and join time) or instructor role."""
        column = ROLE_COLUMN[role]
        if row.get(column):
            return row
        changes: Row = {column: True}
        if role == LEARNERS:
            changes.update({"learner_id": learner_uuid(self._state.seed, row["id"]), "consent": None,
                            "consent_accepted": None, "consent_rejected": None, "joined_at": self._state.now()})
        return self._tables.users.update(row["id"], changes)

    def _new_person(self, iid: int | None, data: dict[str, Any], role: str) -> Row:
        """The person with that email when it is one of the institution's; else a new institution
        user whose username is its email (names and email are then needed)."""
        state, users = self._state, self._tables.users
        email = data.get("email")
        holder = users.find("email", email) if email is not None else None
        if holder is not None:
            if holder["institution"] != iid:  # upstream moves the person across; refused here
                raise wire.invalid({"email": [UNIQUE]})
            return holder
        if email is None or any(data.get(name) is None for name in NAMES):
            raise wire.invalid({NON_FIELD_ERRORS: [
                f"{ROLE_NAME[role]} does not exist and information to create it is not provided"]})
        if len(email) > USERNAME_MAX:  # it becomes the username, a 150-character column (a 500 upstream)
            if state.quirks:
                raise upstream_crash("a new user whose email is too long for a username")
            raise wire.invalid({"email": [f"Ensure this field has no more than {USERNAME_MAX} characters."]})
        if users.find("username", email) is not None:
            if state.quirks:
                raise upstream_crash("a new user whose username (its email) is taken")
            raise wire.invalid({"email": [UNIQUE]})
        moment = state.now()
        row: Row = {"id": None, "username": email, "first_name": data["first_name"], "last_name": data["last_name"],
                    "email": email, "uid": data["uid"], "locale": data.get("locale"), "last_login": None,
                    "login_allowed": False, **{flag: bool(data.get(flag, False)) for flag in FLAGS},
                    "is_staff": False, "institution": iid, "password_hash": None, "instructor": False,
                    "learner": False, "created_at": moment, "updated_at": moment}
        return users.insert(row)

    # -- update (PUT, PATCH) ---------------------------------------------------------------------
    def update(self, course_segment: Any, id_segment: Any, data: dict[str, Any], errors: FieldErrors, role: str,
               partial: bool) -> Row:
        """The person's own fields. The real update reads `uid` even on PATCH, and a full update
        writes null into the names it was not sent (both 500 upstream)."""
        state, users = self._state, self._tables.users
        with state.lock:
            row = self.person(course_segment, id_segment, role)
            missing = ["uid"] if "uid" not in data else []
            if not partial:
                missing += [name for name in NAMES if name not in data]
            if missing and state.quirks:
                raise upstream_crash(f"a course {ROLE_COLUMN[role]} update without {', '.join(missing)}")
            errors = {**errors, **{name: [REQUIRED] for name in missing}}
            if errors:
                raise wire.invalid(in_order(errors, INPUT_ORDER))
            data = wire.trimmed(data, TEXT)
            email = data.get("email")
            holder = users.find("email", email) if email is not None else None
            if holder is not None and holder["id"] != row["id"]:
                raise wire.invalid({"email": [UNIQUE]})
            holder = users.find("institution_uid", (row["institution"], data["uid"]))
            if holder is not None and holder["id"] != row["id"]:
                if state.quirks:
                    raise upstream_crash("a uid taken in the institution (unique index)")
                raise wire.invalid({NON_FIELD_ERRORS: [UNIQUE_TOGETHER]})
            changes = {name: data[name] for name in INPUT_ORDER if name in data}
            return users.update(row["id"], {**changes, "updated_at": state.now()})

    # -- unenrol (DELETE) ------------------------------------------------------------------------
    def unenrol(self, course_segment: Any, id_segment: Any, role: str) -> None:
        """Only the enrolment goes: the person stays, in every other course too."""
        with self._state.lock:
            row = self.person(course_segment, id_segment, role)
            course = self._course(course_segment)
            self._tables.courses.update(course["id"], {role: [i for i in course[role] if i != row["id"]]})

    # -- views -----------------------------------------------------------------------------------
    def view_learner(self, row: Row) -> dict[str, Any]:
        """The learner detail without the institution, in the VLE serializer's order."""
        full = self._learners.view(row, detail=True)
        return {name: full[name] for name in self._state.fields["VleLearner"]}

    def view_instructor(self, row: Row) -> dict[str, Any]:
        return view_instructor(self._state.fields, row)
