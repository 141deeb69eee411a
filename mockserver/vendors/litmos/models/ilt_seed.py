"""The ILT rules a seed must keep (checked at startup, like the API would refuse the same data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.fixtures import FixtureError


def check_ilt_rules(path: Path, data: dict[str, Any], users: dict[str, int]) -> None:
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
