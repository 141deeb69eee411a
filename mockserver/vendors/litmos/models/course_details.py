"""A course's details (GET /courses/{id}/details; docs/litmos.md, "Course details and bulk imports") and the
settings behind them.

The course list shows a course's core members (`courses` table); the details add the settings a
course import can set (library, order, due date and compliance rules, languages, topics, custom
fields...). Those live in `course_settings`, one row per course that has ever been given one; a
course without a row shows the defaults, so the seed needs no settings.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, exact_key
from ..dates import wcf_date
from ..money import Money
from .courses import course_code
from .state import Shared

# What a course has until a course import says otherwise.
SETTING_DEFAULTS: dict[str, Any] = {
    "IncludeInLibrary": True, "CompleteInOrder": False, "UpdatedDate": None, "UpdatedBy": None, "DueDate": None,
    "DueDateSpan": None, "ComplianceDateSpan": None, "ComplianceRetake": False, "Languages": ["en-US"], "Topics": "",
    "Tags": "", "CoursePreRequisites": "", "LearningPathPreRequisites": "", "Social": False, "DiscussionForum": False,
    **{f"AdvCourseCustomField{n}": "" for n in range(1, 11)}, "InactivationDate": None, "Notifications": "",
    "CreatedById": None,
}
SETTING_FIELDS = ("id", "CourseId", *SETTING_DEFAULTS)


def details_message(course_id: str) -> str:
    """The 404 text, spaces and all ("The Course  courseId  is invalid or does not exist!")."""
    return f"The Course  {course_id}  is invalid or does not exist!"


def course_settings_table() -> Table:
    return Table("course_settings", unique=[Unique("CourseId", exact_key("CourseId"))], fields=SETTING_FIELDS)


class CourseDetails:
    """The settings table and the details view; reads and writes under the backend's lock."""

    def __init__(self, shared: Shared, settings: Table, *, courses: Table, users: Table) -> None:
        self._shared = shared
        self.settings = settings
        self._courses = courses
        self._users = users

    def of(self, course_id: str) -> dict[str, Any]:
        """The course's settings, defaults filled in."""
        row = self.settings.find("CourseId", course_id)
        return {**SETTING_DEFAULTS, **({k: row[k] for k in SETTING_DEFAULTS if k in row} if row else {})}

    def change(self, course_id: str, changes: dict[str, Any]) -> None:
        """Set some settings of a course (the others keep their values)."""
        row = self.settings.find("CourseId", course_id)
        if row is None:
            self.settings.insert({"CourseId": course_id, **SETTING_DEFAULTS, **changes})
        else:
            self.settings.update(row["id"], changes)

    def _creator_id(self, course: Row, settings: dict[str, Any]) -> str:
        """The Id of the user who created the course: stored for imported courses; for seeded ones,
        the user whose full name the seed gives (empty when there is none)."""
        if settings["CreatedById"]:
            return str(settings["CreatedById"])
        name = course.get("CreatedBy", "")
        found = next((u for u in self._users.rows() if f"{u['FirstName']} {u['LastName']}" == name), None)
        return found["Id"] if found else ""

    def view(self, course_id: str) -> dict[str, Any]:
        """Every member, from the course and its settings; 404 with the details' own text."""
        with self._shared.lock:
            course = self._courses.find("Id", course_id)
            if course is None:
                raise MockError(ErrorKind.NOT_FOUND, details_message(course_id))
            settings = self.of(course_id)
            creator = self._creator_id(course, settings)
            updated = settings["UpdatedDate"] if settings["UpdatedDate"] is not None else course["CreatedDate"]
            return {
                **course, **settings, "CourseCode": course_code(course), "CourseImageURL": "",
                "CreatedDate": wcf_date(course["CreatedDate"]), "UpdatedDate": wcf_date(updated), "CreatedBy": creator,
                "UpdatedBy": settings["UpdatedBy"] or creator, "Price": Money(course["Price"]),
                "AccessTillDate": wcf_date(course.get("AccessTillDate")), "AccessTillDays": course["AccessTillDays"],
                "DueDate": wcf_date(settings["DueDate"]), "ComplianceDate": None,
                "Languages": list(settings["Languages"]),
                "Skills": "", "AllModulesNewWindow": False, "Certificate": False, "BoostsReleased": 0,
                "BoostsFrequency": 0,
            }
