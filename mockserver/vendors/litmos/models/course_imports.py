"""Course bulk imports (POST /bulkimports/courses; docs/litmos.md, "Course details and bulk imports"):
create courses, or update the one a row's `CourseCode` (its `CourseCodeForBulkImport`) names.

Rows run in the order sent; each applies
whole or fails whole. A row without `CourseCode` creates a course (its `Code` is the row's
`ReferenceCode`); with one, it updates that course, and members the row leaves out keep their
values. The rule docs/litmos.md gives: a due date and a due date span (or an access expiration date and its
span) in the same row fail that row; setting one clears the other. What a row sets shows in
GET /courses/{id}/details (and `Name`, `Description`, `Active`, `AccessTillDate`/`AccessTillDays` in
the course lists).
"""

from __future__ import annotations

from typing import Any

from ....core.store import Row, Table
from ..dates import request_ms
from .bulk_imports import COURSES, CREATED, UPDATED, BulkImportJobs, Caller, RowFailure, RowResult
from .course_details import CourseDetails
from .courses import course_code
from .state import Shared
from .users import CULTURES

# Import member -> course setting, for the members copied as they are.
SETTINGS = {"ContentLibrary": "IncludeInLibrary", "ModuleOrder": "CompleteInOrder",
            "ComplianceDateSpan": "ComplianceDateSpan", "ComplianceRetake": "ComplianceRetake", "Social": "Social",
            "DiscussionForum": "DiscussionForum", "Tags": "Tags",
            **{f"AdvCourseCustomField{n}": f"AdvCourseCustomField{n}" for n in range(1, 11)}}
TOPICS = ("Topic1", "Topic2", "Topic3")
COURSE_PREREQUISITES = ("CoursePrerequisite1", "CoursePrerequisite2", "CoursePrerequisite3")
PATH_PREREQUISITES = ("LearningPathPrerequisite1", "LearningPathPrerequisite2", "LearningPathPrerequisite3")
MSG_REQUIRED = "CourseTitle and Active are required."
MSG_DUE = "Only one of DueDate and DueDateSpan can be given."
MSG_ACCESS = "Only one of CourseAccessExpirationDate and CourseAccessExpirationDateSpan can be given."
MSG_LANGUAGE = "Language is invalid."


class CourseImports:
    """The course import: course rows, their settings through `details`, its job to `jobs`."""

    def __init__(self, shared: Shared, *, courses: Table, users: Table, learning_paths: Table,
                 details: CourseDetails, jobs: BulkImportJobs) -> None:
        self._shared = shared
        self._courses = courses
        self._users = users
        self._learning_paths = learning_paths
        self._details = details
        self._jobs = jobs

    def import_courses(self, items: list[dict[str, Any]], caller: Caller, *, json_dates: bool) -> dict[str, Any]:
        """Apply every row; the finished job (`Completed`), as the POST answers it."""
        with self._shared.lock:
            by_code = {course_code(c).casefold(): c for c in self._courses.rows()}
            results = []
            for item in items:
                key = item.get("CourseTitle") or item.get("CourseCode") or ""
                try:
                    results.append(self._import_course(key, item, caller, by_code, json_dates))
                except RowFailure as failure:
                    results.append(RowResult.failed(key, failure.reason))
            job = self._jobs.record(COURSES, results, caller=caller)
            return self._jobs.course_view(job)

    # -- one row -------------------------------------------------------------------------------
    def _import_course(self, key: str, item: dict[str, Any], caller: Caller, by_code: dict[str, Row],
                       json_dates: bool) -> RowResult:
        """Check everything the row asks for, then write it; a RowFailure before any write."""
        if not item.get("CourseTitle") or item.get("Active") is None:
            raise RowFailure(MSG_REQUIRED)
        code = (item.get("CourseCode") or "").strip()
        current = by_code.get(code.casefold()) if code else None
        if code and current is None:
            raise RowFailure(f"Course code {code} was not found.")
        fields, settings = self._course_changes(item, by_code, json_dates)
        reference = (item.get("ReferenceCode") or "").strip()
        if reference:
            holder = self._courses.find("Code", reference.casefold())
            if holder is not None and holder is not current:
                raise RowFailure(f"Reference code {reference} is already used by another course.")
            fields["Code"] = reference
        now = self._shared.now_ms()
        settings.update({"UpdatedDate": now, "UpdatedBy": caller.user_id})
        if current is None:
            token, original = self._shared.new_ids(self._courses)
            creator = self._users.find("Id", caller.user_id)
            current = self._courses.insert({
                "Id": token, "OriginalId": original, "Code": "", "ForSale": False, "Description": "",
                "EcommerceShortDescription": "", "EcommerceLongDescription": "", "Price": 0.0, "AccessTillDays": None,
                "AccessTillDate": None, "CreatedDate": now,
                "CreatedBy": f"{creator['FirstName']} {creator['LastName']}" if creator else "", **fields})
            settings["CreatedById"] = caller.user_id
            status = CREATED
        else:
            by_code.pop(course_code(current).casefold(), None)
            current = self._courses.update(current["id"], fields)
            status = UPDATED
        self._details.change(current["Id"], settings)
        by_code[course_code(current).casefold()] = current
        return RowResult(key, status)

    def _course_changes(self, item: dict[str, Any], by_code: dict[str, Row],
                        json_dates: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """What the row changes: members of the course row, and course settings."""
        fields: dict[str, Any] = {"Name": item["CourseTitle"], "Active": item["Active"]}
        if item.get("Description") is not None:
            fields["Description"] = item["Description"]
        settings = {setting: item[name] for name, setting in SETTINGS.items() if item.get(name) is not None}
        for date, span, target, message in (("DueDate", "DueDateSpan", ("DueDate", "DueDateSpan"), MSG_DUE),
                                            ("CourseAccessExpirationDate", "CourseAccessExpirationDateSpan",
                                             ("AccessTillDate", "AccessTillDays"), MSG_ACCESS)):
            if item.get(date) is not None and item.get(span) is not None:
                raise RowFailure(message)
            into = settings if target[0] == "DueDate" else fields
            if item.get(date) is not None:
                into.update({target[0]: self._import_date(item, date, json_dates), target[1]: None})
            elif item.get(span) is not None:
                into.update({target[0]: None, target[1]: item[span]})
        if item.get("CourseInactivationDate") is not None:
            settings["InactivationDate"] = self._import_date(item, "CourseInactivationDate", json_dates)
        topics = [item[t] for t in TOPICS if item.get(t)]
        if topics:
            settings["Topics"] = ", ".join(topics)
        if item.get("Language") is not None:
            if item["Language"] not in CULTURES:
                raise RowFailure(MSG_LANGUAGE)
            settings["Languages"] = [item["Language"]]
        if item.get("Notifications"):
            if self._users.find("UserName", item["Notifications"].casefold()) is None:
                raise RowFailure(f"Notifications user {item['Notifications']} was not found.")
            settings["Notifications"] = item["Notifications"]
        courses = [item[c].strip() for c in COURSE_PREREQUISITES if item.get(c)]
        for prerequisite in courses:
            if prerequisite.casefold() not in by_code:
                raise RowFailure(f"Course code {prerequisite} was not found.")
        if courses:
            settings["CoursePreRequisites"] = ", ".join(courses)
        paths = [item[p].strip() for p in PATH_PREREQUISITES if item.get(p)]
        for path in paths:
            if self._learning_paths.find("Id", path) is None:
                raise RowFailure(f"Learning path {path} was not found.")
        if paths:
            settings["LearningPathPreRequisites"] = ", ".join(paths)
        return fields, settings

    @staticmethod
    def _import_date(item: dict[str, Any], name: str, json_dates: bool) -> int:
        ms = request_ms(item[name], json_dates)
        if ms is None:
            raise RowFailure(f"{name} is not a valid date.")
        return ms
