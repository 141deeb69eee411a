"""A course's details (GET /courses/{id}/details, litmos.md "Additions" A.1) and the settings behind them.

The course list shows a course's core members (`courses` table); the details add the settings a
course import can set (library, order, due date and compliance rules, languages, topics, custom
fields...). Those live in `course_settings`, one row per course that has ever been given one; a
course without a row shows the defaults, so the seed needs no settings.
"""

from __future__ import annotations

import threading
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, exact_key
from ..dates import WcfDate
from ..money import Money

# Element order of the details (SAP's spec order).
DETAILS_ORDER = (
    "Id", "OriginalId", "Code", "Name", "Description", "CourseCode", "Active", "IncludeInLibrary", "CompleteInOrder",
    "CourseImageURL", "CreatedDate", "UpdatedDate", "CreatedBy", "UpdatedBy", "ForSale", "EcommerceShortDescription",
    "EcommerceLongDescription", "Price", "AccessTillDate", "AccessTillDays", "DueDate", "DueDateSpan",
    "ComplianceDate", "ComplianceDateSpan", "ComplianceRetake", "Languages", "Topics", "Tags", "CoursePreRequisites",
    "LearningPathPreRequisites", "Skills", "Social", "DiscussionForum",
    *(f"AdvCourseCustomField{n}" for n in range(1, 11)), "AllModulesNewWindow", "Certificate", "BoostsReleased",
    "BoostsFrequency",
)
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
    """SAP's 404 text, spaces and all ("The Course  courseId  is invalid or does not exist!")."""
    return f"The Course  {course_id}  is invalid or does not exist!"


def course_code(row: Row) -> str:
    """`{OriginalId}-{Code}`: the course's code for bulk imports (litmos.md §1.8)."""
    return f"{row['OriginalId']}-{row['Code']}"


def _date(ms: int | None) -> WcfDate | None:
    return None if ms is None else WcfDate(ms)


class CourseDetails:
    """The settings table and the details view; reads and writes under the backend's lock."""

    def __init__(self, settings: Table, courses: Table, users: Table, lock: threading.RLock) -> None:
        self.settings = settings
        self.courses = courses
        self.users = users
        self.lock = lock

    @staticmethod
    def new_table() -> Table:
        return Table("course_settings", unique=[Unique("CourseId", exact_key("CourseId"))], fields=SETTING_FIELDS)

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
        found = next((u for u in self.users.rows() if f"{u['FirstName']} {u['LastName']}" == name), None)
        return found["Id"] if found else ""

    def view(self, course_id: str) -> dict[str, Any]:
        """Every member in SAP's order, from the course and its settings; 404 with SAP's text."""
        with self.lock:
            course = self.courses.find("Id", course_id)
            if course is None:
                raise MockError(ErrorKind.NOT_FOUND, details_message(course_id))
            settings = self.of(course_id)
            creator = self._creator_id(course, settings)
            updated = settings["UpdatedDate"] if settings["UpdatedDate"] is not None else course["CreatedDate"]
            view = {
                **course, **settings, "CourseCode": course_code(course), "CourseImageURL": "",
                "CreatedDate": _date(course["CreatedDate"]), "UpdatedDate": _date(updated), "CreatedBy": creator,
                "UpdatedBy": settings["UpdatedBy"] or creator, "Price": Money(course["Price"]),
                "AccessTillDate": _date(course.get("AccessTillDate")), "AccessTillDays": course["AccessTillDays"],
                "DueDate": _date(settings["DueDate"]), "ComplianceDate": None, "Languages": list(settings["Languages"]),
                "Skills": "", "AllModulesNewWindow": False, "Certificate": False, "BoostsReleased": 0,
                "BoostsFrequency": 0,
            }
            return {name: view[name] for name in DETAILS_ORDER}
