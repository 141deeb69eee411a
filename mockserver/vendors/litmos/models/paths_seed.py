"""Seed rules for learning paths, team assignments and gamification, checked at startup.

The spec's schemas (SeedLearningPath, SeedPathAssignment, SeedTeamCourse, SeedOrgSetting,
SeedBadge, SeedReward) check each record's shape; these check the references between records.
A broken reference stops the server naming the file, the record and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.fixtures import FixtureError


def _names(data: dict[str, Any], collection: str, field: str) -> set[str]:
    return {str(record[field]).casefold() for record in data.get(collection, [])}


def check_path_rules(path: Path, data: dict[str, Any], users: dict[str, int]) -> None:
    courses, teams = _names(data, "courses", "Code"), _names(data, "teams", "Name")
    paths: set[str] = set()
    for index, record in enumerate(data.get("learning_paths", [])):
        label = f"learning_paths[{index}] ({record['Name']})"
        if record["Name"].casefold() in paths:
            raise FixtureError(path, label, "Name", "duplicates an earlier learning path")
        paths.add(record["Name"].casefold())
        codes = [code.casefold() for code in record.get("Courses", [])]
        if len(set(codes)) != len(codes):
            raise FixtureError(path, label, "Courses", "a course is listed twice")
        unknown = [code for code in record.get("Courses", []) if code.casefold() not in courses]
        if unknown:
            raise FixtureError(path, label, "Courses", f"no seeded course {unknown[0]!r}")
    held: set[tuple[str, str]] = set()
    for index, record in enumerate(data.get("learning_path_assignments", [])):
        label = f"learning_path_assignments[{index}] ({record['LearningPath']})"
        if record["LearningPath"].casefold() not in paths:
            raise FixtureError(path, label, "LearningPath", f"no seeded learning path {record['LearningPath']!r}")
        holder = record.get("UserName") or record.get("TeamName") or ""
        field, known = ("UserName", users) if "UserName" in record else ("TeamName", teams)
        if holder.casefold() not in known:
            raise FixtureError(path, label, field, f"no seeded {'user' if field == 'UserName' else 'team'} {holder!r}")
        key = (f"{field}:{holder.casefold()}", record["LearningPath"].casefold())
        if key in held:
            raise FixtureError(path, label, field, "assigned twice")
        held.add(key)
    for index, record in enumerate(data.get("team_courses", [])):
        label = f"team_courses[{index}] ({record['TeamName']}, {record['CourseCode']})"
        if record["TeamName"].casefold() not in teams:
            raise FixtureError(path, label, "TeamName", f"no seeded team {record['TeamName']!r}")
        if record["CourseCode"].casefold() not in courses:
            raise FixtureError(path, label, "CourseCode", f"no seeded course {record['CourseCode']!r}")
    check_gamification_rules(path, data, courses, paths)


def check_gamification_rules(path: Path, data: dict[str, Any], courses: set[str], paths: set[str]) -> None:
    settings = [s["Name"] for s in data.get("org_settings", [])]
    for index, name in enumerate(settings):
        if settings.index(name) != index:
            raise FixtureError(path, f"org_settings[{index}] ({name})", "Name", "set twice")
    badges: set[str] = set()
    for index, record in enumerate(data.get("gamification_badges", [])):
        if record["Title"].casefold() in badges:
            raise FixtureError(path, f"gamification_badges[{index}] ({record['Title']})", "Title",
                               "duplicates an earlier badge")
        badges.add(record["Title"].casefold())
    rewarded: set[tuple[str, str]] = set()
    for index, record in enumerate(data.get("gamification_rewards", [])):
        field = "CourseCode" if "CourseCode" in record else "LearningPath"
        item = record[field]
        label = f"gamification_rewards[{index}] ({item})"
        if item.casefold() not in (courses if field == "CourseCode" else paths):
            raise FixtureError(path, label, field, f"no seeded {'course' if field == 'CourseCode' else 'learning path'} {item!r}")
        if (field, item.casefold()) in rewarded:
            raise FixtureError(path, label, field, "rewarded twice")
        rewarded.add((field, item.casefold()))
        if record.get("Badge") and record["Badge"].casefold() not in badges:
            raise FixtureError(path, label, "Badge", f"no seeded badge {record['Badge']!r}")
