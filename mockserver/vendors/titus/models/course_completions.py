"""Course completions: read-only, one per enrolment, with what activity completions add up to
(activity_completions.py keeps the aggregate)."""

from __future__ import annotations

from typing import Any

from ....core.store import Row
from ..field_order import FieldOrders
from .caller import Caller
from .categories import Categories
from .enrolments import Enrolments
from .paging import listing
from .store import Store


class CourseCompletions:
    def __init__(self, store: Store, orders: FieldOrders, categories: Categories, enrolments: Enrolments) -> None:
        self.store = store
        self.order = orders.of("CourseCompletion")
        self.completions = store.tables.course_completions
        self.users = store.tables.users
        self.courses = store.tables.courses
        self.categories = categories
        self.enrolments = enrolments

    def view_course_completion(self, enrolment: Row) -> dict[str, Any]:
        row = self.completions.find("key", (enrolment["courseid"], enrolment["userid"])) or {}
        timestarted, timecompleted = row.get("timestarted", 0), row.get("timecompleted")
        status = "complete" if timecompleted else "inprogress" if timestarted else "notyetstarted"
        return self.order.view(enrolment, timeenrolled=enrolment["timestart"] or enrolment["timecreated"],
                               timestarted=timestarted, timecompleted=timecompleted, status=status)

    def get_course_completion(self, caller: Caller, courseid: int, userid: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_course_completion(self.enrolments.enrolment_of(caller, courseid, userid))

    def list_course_completions(self, caller: Caller, *, page: int, perpage: int,
                                filters: dict[str, Any]) -> dict[str, Any]:
        """One record per enrolment the token may see; `completed`/`completedsince` read the aggregate."""
        def predicate(row: Row) -> bool:
            for name in ("courseid", "userid"):
                if filters.get(name) is not None and row[name] != filters[name]:
                    return False
            user, course = self.users.get(row["userid"]), self.courses.get(row["courseid"])
            if user is None or course is None or not caller.sees(user["tenantid"]):
                return False
            if not caller.sees(self.categories.tenant_of_course(course)):
                return False
            if filters.get("completed") is not None or filters.get("completedsince") is not None:
                done = (self.completions.find("key", (row["courseid"], row["userid"])) or {}).get("timecompleted")
                if filters.get("completed") is not None and bool(done) != filters["completed"]:
                    return False
                if filters.get("completedsince") is not None and (not done or done < filters["completedsince"]):
                    return False
            return True

        with self.store.lock:
            return listing(self.store.tables.enrolments, "course_completions", self.view_course_completion, predicate,
                           page=page, perpage=perpage)
