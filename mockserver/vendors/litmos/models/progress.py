"""How far a user is through a course or a learning path, read from the course results (no writes).

Course results, achievements, gamification and learning paths all ask this one reader, so none of
them needs another part to know whether a course or a path is complete.
"""

from __future__ import annotations

from typing import Any

from ....core.store import Row, Table
from ..dates import wcf_date
from ..money import Money


class Progress:
    """`PercentageComplete` of a course is the share of its modules completed; a path's is the mean
    of its courses' percentages, and the path is complete once every one of its courses is."""

    def __init__(self, *, modules: Table, enrolments: Table, module_results: Table, path_courses: Table) -> None:
        self._modules = modules
        self._enrolments = enrolments
        self._module_results = module_results
        self._path_courses = path_courses

    # -- courses -------------------------------------------------------------------------------
    def course_modules(self, course_id: str) -> list[Row]:
        """The course's modules in course order."""
        return sorted(self._modules.select(lambda r: r["CourseId"] == course_id), key=lambda r: r["Position"])

    def enrolment(self, user_id: str, course_id: str) -> Row | None:
        """The user's result for the course (its assignment), if the user has the course."""
        return self._enrolments.find("pair", (user_id, course_id))

    def done(self, user_id: str, course_id: str) -> dict[str, Row]:
        """Module Id -> completed module result of this user in this course."""
        return {r["ModuleId"]: r for r in self._module_results.select(
            lambda r: r["UserId"] == user_id and r["CourseId"] == course_id)}

    def percentage(self, user_id: str, course_id: str) -> float:
        total = len(self.course_modules(course_id))
        return 0.0 if total == 0 else 100.0 * len(self.done(user_id, course_id)) / total

    def course_done(self, user_id: str, course_id: str) -> bool:
        result = self.enrolment(user_id, course_id)
        return result is not None and result["DateCompleted"] is not None

    # -- learning paths ------------------------------------------------------------------------
    def path_course_ids(self, path_id: str) -> list[str]:
        """The path's courses in path order."""
        rows = self._path_courses.select(lambda r: r["LearningPathId"] == path_id)
        return [r["CourseId"] for r in sorted(rows, key=lambda r: r["Position"])]

    def path_progress(self, user_id: str, path_id: str) -> dict[str, Any]:
        """Complete, PercentageComplete, StartDate and DateCompleted, read from the course results."""
        results = [self.enrolment(user_id, c) for c in self.path_course_ids(path_id)]
        if not results:
            return {"Complete": False, "PercentageComplete": Money(0), "StartDate": None, "DateCompleted": None}
        held = [r for r in results if r is not None]
        percentages = [self.percentage(user_id, r["CourseId"]) if r is not None else 0.0 for r in results]
        complete = len(held) == len(results) and all(r["DateCompleted"] is not None for r in held)
        starts = [r["StartDate"] for r in held if r["StartDate"] is not None]
        return {"Complete": complete, "PercentageComplete": Money(sum(percentages) / len(percentages)),
                "StartDate": wcf_date(min(starts)) if starts else None,
                "DateCompleted": wcf_date(max(r["DateCompleted"] for r in held)) if complete else None}
