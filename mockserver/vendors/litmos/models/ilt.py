"""Instructor-led training: instructors, sessions of ILT modules, registrations, roll call
(docs/litmos.md, "Instructor-led training (ILT)").

A session belongs to an ILT module of a course and has one or more days; its `StartDate`/`EndDate`
are its first day's start and its last day's end. A registration (`session_users` row) puts a user
who has the course on the roll; roll call records attendance and completes the module for an
attendee through the module completion rule of `Results.mark_module` (percentage, course
completion, achievement).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.store import Row, Table, Unique, exact_key
from ..dates import MSG_RANGE, WcfDate, parse_user_style
from ..money import Money
from .courses import course_row
from .results import Results
from .search import USER_FIELDS, matches
from .state import Shared, sort_key
from .users import user_record, user_row

SESSION_FIELDS = ("id", "Id", "OriginalId", "CourseId", "ModuleId", "Name", "InstructorUserId", "Days", "Slots")
SESSION_USER_FIELDS = ("id", "SessionId", "UserId", "EventStatus", "Score", "Completed")
SESSION_DEFAULTS: dict[str, Any] = {
    "InstructorUserId": "", "SessionType": 1, "TimeZone": "UTC", "Location": "", "LocationId": "", "ResourceId": "",
    "Resources": "", "Slots": 0, "EnableWaitList": False, "Details": "",
}
DAY_DEFAULTS: dict[str, Any] = {"SendReminder": False, "ReminderValue": 0, "ReminderMetric": "hours"}
# EventStatus of a registration: on the roll, marked attended, marked absent (the mock's numbering).
REGISTERED, ATTENDED, ABSENT = 1, 2, 3
MAX_RANGE_MS = 7 * 86_400_000  # the longest `since`..`to` the dated session lists take
MSG_SESSION = "The session in the xml/json request does not exist."
MSG_INSTRUCTOR = "The instructor in the xml/json request does not exist."
MSG_NOT_ILT = "The module {module} is not an instructor-led training module."
MSG_DAYS = "Every session day must end after it starts."
MSG_FULL = "The session is full."
MSG_SLOTS = "Slots cannot be fewer than the users registered for the session."
MSG_NOT_ASSIGNED = "The user is not assigned the course of this session."
MSG_REGISTERED = "The user is already registered for this session."


def ilt_tables() -> tuple[Table, Table, Table]:
    """The instructors (seeded users), the sessions and their rolls (one row per session and user)."""
    instructors = Table("instructors", unique=[Unique("UserId", exact_key("UserId"))], fields=("id", "UserId"))
    sessions = Table("sessions", unique=[Unique("Id", exact_key("Id"))], orders={"OriginalId": sort_key("OriginalId")},
                     fields=SESSION_FIELDS)
    session_users = Table("session_users", unique=[Unique("pair", lambda r: (r["SessionId"], r["UserId"]))],
                          fields=SESSION_USER_FIELDS)
    return instructors, sessions, session_users


def _seed_ms(text: str) -> int:
    """A seed date (`YYYY-MM-DDTHH:MM:SSZ`) as epoch ms."""
    return int(parse_user_style(text) * 1000)


def _clock_text(ms: int) -> str:
    """A day's time as Litmos writes it: `9:00AM`, `5:30PM`."""
    moment = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
    return f"{(moment.hour % 12) or 12}:{moment.minute:02d}{'AM' if moment.hour < 12 else 'PM'}"


class Ilt:
    """The ILT calls, under the backend's lock; roll call completes modules through `results`."""

    def __init__(self, shared: Shared, *, instructors: Table, sessions: Table, session_users: Table, users: Table,
                 courses: Table, modules: Table, enrolments: Table, results: Results) -> None:
        self._shared = shared
        self.instructors = instructors
        self.sessions = sessions
        self.session_users = session_users
        self._users = users
        self._courses = courses
        self._modules = modules
        self._enrolments = enrolments
        self._results = results

    # -- lookups -------------------------------------------------------------------------------
    def _ilt_module(self, course_id: str, module_id: str) -> Row:
        course_row(self._courses, course_id)
        module = self._modules.find("Id", module_id)
        if module is None or module["CourseId"] != course_id:
            raise MockError(ErrorKind.NOT_FOUND, f"The module {module_id} does not exist.")
        if not module.get("ILT"):
            raise MockError(ErrorKind.CONFLICT, MSG_NOT_ILT.format(module=module_id))
        return module

    def _session(self, course_id: str, module_id: str, session_id: str) -> Row:
        self._ilt_module(course_id, module_id)
        session = self.sessions.find("Id", session_id)
        if session is None or session["ModuleId"] != module_id:
            raise MockError(ErrorKind.NOT_FOUND, MSG_SESSION)
        return session

    def _instructor(self, user_id: str) -> Row:
        user = self._users.find("Id", user_id)
        if user is None or self.instructors.find("UserId", user_id) is None:
            raise MockError(ErrorKind.NOT_FOUND, MSG_INSTRUCTOR)
        return user

    def _roll(self, session_id: str) -> list[Row]:
        return self.session_users.select(lambda r: r["SessionId"] == session_id)

    # -- views ---------------------------------------------------------------------------------
    def session_view(self, session: Row) -> dict[str, Any]:
        instructor = self._users.find("Id", session["InstructorUserId"]) if session["InstructorUserId"] else None
        module = self._modules.find("Id", session["ModuleId"])
        course = self._courses.find("Id", session["CourseId"])
        days = [{**day, "StartDate": WcfDate(day["StartDate"]), "EndDate": WcfDate(day["EndDate"]),
                 "StartTime": _clock_text(day["StartDate"]), "EndTime": _clock_text(day["EndDate"]),
                 "CreatedDate": WcfDate(day["CreatedDate"])} for day in session["Days"]]
        return {
            **session, "InstructorName": f"{instructor['FirstName']} {instructor['LastName']}" if instructor else "",
            "Days": days,
            "StartDate": WcfDate(min(d["StartDate"] for d in session["Days"])),
            "EndDate": WcfDate(max(d["EndDate"] for d in session["Days"])),
            "CourseName": course["Name"] if course else "", "ModuleName": module["Name"] if module else "",
            "Accepted": len(self._roll(session["Id"])),
        }

    def _sorted_sessions(self, keep: Callable[[Row], bool]) -> list[Row]:
        rows = self.sessions.select(keep)
        rows.sort(key=lambda r: (min(d["StartDate"] for d in r["Days"]), r["OriginalId"]))
        return rows

    # -- instructors ---------------------------------------------------------------------------
    def list_instructors(self, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Instructors as summary users, by first name; `search` as on /users."""
        with self._shared.lock:
            ids = {r["UserId"] for r in self.instructors.rows()}
            found = matches(search, USER_FIELDS)
            rows = self._users.select(lambda r: r["Id"] in ids and found(r), order="FirstName")
            return [user_record(r) for r in rows[start:start + limit]]

    def instructor_sessions(self, user_id: str, *, start: int, limit: int) -> list[dict[str, Any]]:
        with self._shared.lock:
            self._instructor(user_id)
            rows = self._sorted_sessions(lambda r: r["InstructorUserId"] == user_id)
            return [self.session_view(r) for r in rows[start:start + limit]]

    # -- sessions by date ----------------------------------------------------------------------
    def dated_sessions(self, *, future: bool, since_ms: int | None, to_ms: int | None, search: str | None,
                       start: int, limit: int) -> list[dict[str, Any]]:
        """Courses with their ILT modules and sessions that start after now (future) or ended
        before now (past), optionally starting within [since, to]; a page counts courses.

        `since` and `to` come both or neither, `to` not before `since` and at most 7 days later (406)."""
        if (since_ms is None) != (to_ms is None) or (
                since_ms is not None and to_ms is not None and not 0 <= to_ms - since_ms <= MAX_RANGE_MS):
            raise MockError(ErrorKind.NOT_ACCEPTABLE, MSG_RANGE, extra={"litmos": True})
        with self._shared.lock:
            now = self._shared.now_ms()

            def keep(row: Row) -> bool:
                first = min(d["StartDate"] for d in row["Days"])
                last = max(d["EndDate"] for d in row["Days"])
                if (first <= now) if future else (last >= now):
                    return False
                return (since_ms is None or first >= since_ms) and (to_ms is None or first <= to_ms)

            named = matches(search)
            grouped: dict[str, dict[str, list[Row]]] = {}
            for row in self._sorted_sessions(keep):
                grouped.setdefault(row["CourseId"], {}).setdefault(row["ModuleId"], []).append(row)
            courses = [self._courses.find("Id", cid) for cid in grouped]
            courses = sorted((c for c in courses if c is not None and named(c)),
                             key=lambda c: (c["Name"].casefold(), c["OriginalId"]))
            out = []
            for course in courses[start:start + limit]:
                modules = sorted((self._modules.find("Id", mid) for mid in grouped[course["Id"]]),
                                 key=lambda m: m["Position"])
                out.append({
                    "Id": course["Id"], "Code": course["Code"], "Name": course["Name"],
                    "Description": course["Description"], "Active": course["Active"], "ForSale": course["ForSale"],
                    "OriginalId": course["OriginalId"], "Price": Money(course["Price"]),
                    "Modules": [{"Id": m["Id"], "Code": m["Code"], "Name": m["Name"], "Description": m["Description"],
                                 "Sessions": [self.session_view(s) for s in grouped[course["Id"]][m["Id"]]]}
                                for m in modules],
                })
            return out

    # -- module sessions -----------------------------------------------------------------------
    def list_module_sessions(self, course_id: str, module_id: str, *, start: int, limit: int) -> list[dict[str, Any]]:
        with self._shared.lock:
            self._ilt_module(course_id, module_id)
            rows = self._sorted_sessions(lambda r: r["ModuleId"] == module_id)
            return [self.session_view(r) for r in rows[start:start + limit]]

    def get_module_session(self, course_id: str, module_id: str, session_id: str) -> dict[str, Any]:
        with self._shared.lock:
            return self.session_view(self._session(course_id, module_id, session_id))

    def _checked(self, data: dict[str, Any], days: list[dict[str, Any]] | None, current: Row | None) -> dict[str, Any]:
        """The writable members of a session body, checked; nothing is written here."""
        values = {k: v for k, v in data.items() if k in SESSION_DEFAULTS or k == "Name"}
        instructor = values.get("InstructorUserId")
        if instructor:
            self._instructor(instructor)
        if days is not None:
            if any(day["EndDate"] <= day["StartDate"] for day in days):
                raise MockError(ErrorKind.CONFLICT, MSG_DAYS)
            now = self._shared.now_ms()
            old = {d["Id"]: d for d in current["Days"]} if current else {}
            values["Days"] = [{**DAY_DEFAULTS, **old.get(day.get("Id") or "", {}), **day,
                               "Id": day.get("Id") if day.get("Id") in old else self._shared.ids.url_token(),
                               "CreatedDate": old[day["Id"]]["CreatedDate"] if day.get("Id") in old else now}
                              for day in days]
        if current is not None and "Slots" in values and 0 < values["Slots"] < len(self._roll(current["Id"])):
            raise MockError(ErrorKind.CONFLICT, MSG_SLOTS)
        return values

    def create_module_session(self, course_id: str, module_id: str, data: dict[str, Any],
                              days: list[dict[str, Any]]) -> dict[str, Any]:
        with self._shared.lock:
            self._ilt_module(course_id, module_id)
            values = self._checked(data, days, None)
            token, original = self._shared.new_ids(self.sessions)
            row = self.sessions.insert({**SESSION_DEFAULTS, **values, "Id": token, "OriginalId": original,
                                        "CourseId": course_id, "ModuleId": module_id})
            return self.session_view(row)

    def update_module_session(self, course_id: str, module_id: str, session_id: str, data: dict[str, Any],
                              days: list[dict[str, Any]] | None) -> None:
        """Only the members sent change; `Days`, when sent, replaces the days (a day keeps its
        `Id` and `CreatedDate` when its `Id` is sent back)."""
        with self._shared.lock:
            session = self._session(course_id, module_id, session_id)
            if data.get("Id") not in (None, "", session_id):
                raise MockError(ErrorKind.NOT_FOUND, MSG_SESSION)
            self.sessions.update(session["id"], self._checked(data, days, session))

    def delete_module_session(self, course_id: str, module_id: str, session_id: str) -> None:
        """The session and its roll go; module results already earned stay."""
        with self._shared.lock:
            session = self._session(course_id, module_id, session_id)
            for entry in self._roll(session_id):
                self.session_users.delete(entry["id"])
            self.sessions.delete(session["id"])

    # -- registration and roll call ------------------------------------------------------------
    def register_user(self, course_id: str, module_id: str, session_id: str, user_id: str) -> None:
        """Put a user who has the course on the session's roll (409 when full or already there)."""
        with self._shared.lock:
            session = self._session(course_id, module_id, session_id)
            user_row(self._users, user_id)
            if self._enrolments.find("pair", (user_id, course_id)) is None:
                raise MockError(ErrorKind.CONFLICT, MSG_NOT_ASSIGNED)
            if self.session_users.find("pair", (session_id, user_id)) is not None:
                raise MockError(ErrorKind.CONFLICT, MSG_REGISTERED)
            if session["Slots"] and len(self._roll(session_id)) >= session["Slots"]:
                raise MockError(ErrorKind.CONFLICT, MSG_FULL)
            self.session_users.insert({"SessionId": session_id, "UserId": user_id, "EventStatus": REGISTERED,
                                       "Score": 0, "Completed": False})

    def roll_call(self, course_id: str, module_id: str, session_id: str, *, start: int,
                  limit: int) -> list[dict[str, Any]]:
        """The registered users, by first name, with what roll call recorded for each."""
        with self._shared.lock:
            self._session(course_id, module_id, session_id)
            entries = []
            for entry in self._roll(session_id):
                user = self._users.find("Id", entry["UserId"])
                if user is not None:
                    entries.append((user["FirstName"].casefold(), entry["id"], user, entry))
            entries.sort(key=lambda item: item[:2])
            return [{"Id": user["Id"], "EventStatus": entry["EventStatus"], "FirstName": user["FirstName"],
                     "LastName": user["LastName"], "Email": user["Email"], "CompanyName": user["CompanyName"],
                     "Score": entry["Score"], "Completed": entry["Completed"]}
                    for _, _, user, entry in entries[start:start + limit]]

    def record_roll_call(self, course_id: str, module_id: str, session_id: str, marks: list[dict[str, Any]]) -> None:
        """Attendance for users on the roll (others are skipped): `Completed` true marks the user
        attended and completes the module with `Score`; false marks absent and withdraws it."""
        with self._shared.lock:
            self._session(course_id, module_id, session_id)
            now = self._shared.now_ms()
            for mark in marks:
                entry = self.session_users.find("pair", (session_id, mark["Id"]))
                if entry is None or self._enrolments.find("pair", (mark["Id"], course_id)) is None:
                    continue
                completed = bool(mark.get("Completed", True))
                score = mark.get("Score", entry["Score"])
                self._results.mark_module(module_id, {"CourseId": course_id, "UserId": mark["Id"], "Score": score,
                                             "Completed": completed}, now)
                self.session_users.update(entry["id"], {"EventStatus": ATTENDED if completed else ABSENT,
                                                        "Score": score, "Completed": completed})

    def forget_user(self, user_id: str) -> None:
        """Its registrations and its instructor record go; its sessions keep no instructor."""
        for entry in self.session_users.select(lambda r: r["UserId"] == user_id):
            self.session_users.delete(entry["id"])
        for row in self.instructors.select(lambda r: r["UserId"] == user_id):
            self.instructors.delete(row["id"])
        for session in self.sessions.select(lambda r: r["InstructorUserId"] == user_id):
            self.sessions.update(session["id"], {"InstructorUserId": ""})

    # -- seed ----------------------------------------------------------------------------------
    def load(self, seed_instructors: list[dict[str, Any]], seed_sessions: list[dict[str, Any]]) -> None:
        """Instructors, then sessions (course and module by code, people by username, days as
        `YYYY-MM-DDTHH:MM:SSZ`), their registrations and the attendance already taken."""
        def user_id(name: str) -> str:
            return self._users.find("UserName", name.casefold())["Id"]

        for seed in seed_instructors:
            self.instructors.insert({"UserId": user_id(seed["UserName"])})
        for seed in seed_sessions:
            course = self._courses.find("Code", seed["CourseCode"].casefold())
            module = next(m for m in self._modules.select(lambda r: r["CourseId"] == course["Id"])
                          if m["Code"] == seed["ModuleCode"])
            days = [{**DAY_DEFAULTS, "Id": self._shared.ids.url_token(), "StartDate": _seed_ms(day["Start"]),
                     "EndDate": _seed_ms(day["End"]), "CreatedDate": _seed_ms(seed["CreatedDate"])}
                    for day in seed["Days"]]
            token, original = self._shared.new_ids(self.sessions)
            values = {k: seed[k] for k in SESSION_DEFAULTS if k in seed and k != "InstructorUserId"}
            self.sessions.insert({**SESSION_DEFAULTS, **values, "Id": token, "OriginalId": original,
                                  "Name": seed["Name"], "CourseId": course["Id"], "ModuleId": module["Id"],
                                  "InstructorUserId": user_id(seed["Instructor"]) if seed.get("Instructor") else "",
                                  "Days": days})
            attended = {n.casefold(): score for n, score in seed.get("Attended", {}).items()}
            absent = {n.casefold() for n in seed.get("Absent", [])}
            for name in seed.get("Registered", []):
                folded = name.casefold()
                status = ATTENDED if folded in attended else ABSENT if folded in absent else REGISTERED
                self.session_users.insert({"SessionId": token, "UserId": user_id(name), "EventStatus": status,
                                           "Score": attended.get(folded, 0), "Completed": folded in attended})


def check_seed_ilt(path: Path, data: dict[str, Any], users: dict[str, int]) -> None:
    """Instructors are seeded users (once each); a session names an ILT module of a seeded course,
    an instructor, days that end after they start, and registered users who have the course;
    attended or absent users are registered, and an attended user has completed the module."""
    instructors: set[str] = set()
    for index, seed in enumerate(data.get("instructors", [])):
        label, name = f"instructors[{index}] ({seed['UserName']})", seed["UserName"].casefold()
        if name not in users:
            raise FixtureError(path, label, "UserName", f"no seeded user {seed['UserName']!r}")
        if name in instructors:
            raise FixtureError(path, label, "UserName", "listed twice")
        instructors.add(name)
    courses = {c["Code"].casefold(): c for c in data.get("courses", [])}
    enrolled = {(e["UserName"].casefold(), e["CourseCode"].casefold()): e for e in data.get("enrolments", [])}
    for index, seed in enumerate(data.get("ilt_sessions", [])):
        label = f"ilt_sessions[{index}] ({seed['Name']})"
        course = courses.get(seed["CourseCode"].casefold())
        if course is None:
            raise FixtureError(path, label, "CourseCode", f"no seeded course {seed['CourseCode']!r}")
        module = next((m for m in course.get("Modules", []) if m["Code"] == seed["ModuleCode"]), None)
        if module is None or not module.get("ILT"):
            raise FixtureError(path, label, "ModuleCode", f"{seed['ModuleCode']!r} is no ILT module of the course")
        if seed.get("Instructor") and seed["Instructor"].casefold() not in instructors:
            raise FixtureError(path, label, "Instructor", f"{seed['Instructor']!r} is not a seeded instructor")
        if any(day["End"] <= day["Start"] for day in seed["Days"]):
            raise FixtureError(path, label, "Days", "a day does not end after it starts")
        registered = [n.casefold() for n in seed.get("Registered", [])]
        if len(set(registered)) != len(registered):
            raise FixtureError(path, label, "Registered", "a user is listed twice")
        for name in registered:
            if (name, course["Code"].casefold()) not in enrolled:
                raise FixtureError(path, label, "Registered", f"{name!r} is not assigned {course['Code']!r}")
        for field in ("Attended", "Absent"):
            for name in seed.get(field, []):
                if name.casefold() not in registered:
                    raise FixtureError(path, label, field, f"{name!r} is not registered")
        for name in seed.get("Attended", {}):
            done = enrolled[(name.casefold(), course["Code"].casefold())].get("CompletedModules", [])
            if module["Code"] not in done:
                raise FixtureError(path, label, "Attended", f"{name!r} has not completed {module['Code']!r}")
