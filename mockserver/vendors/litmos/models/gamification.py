"""Gamification: points and badges earned by completing courses and learning paths
(docs/litmos.md, "Learning paths, team assignments and gamification").

The seed gives rewards (points and an optional badge) to courses and learning paths; completing
one earns its reward once, as one "achieved item". A reset (PUT /users/{id}/gamificationreset)
clears a user's items, so a later completion earns again. With the org setting
`GamificationEnabled` false, nothing is earned and every gamification call is 403.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.ids import IdSource
from ....core.store import Row, Table, Unique, casefold_key, exact_key
from ..dates import WcfDate
from ..money import Money
from .progress import Progress
from .state import Shared, seed_names

SETTING_FIELDS = ("id", "Name", "Value")
BADGE_FIELDS = ("id", "ID", "Title", "Description", "Icon", "IconBgColor")
REWARD_FIELDS = ("id", "Kind", "ItemId", "Points", "BadgeId")
EARNED_FIELDS = ("id", "ID", "UserId", "Kind", "ItemId", "ItemName", "EarnedPoint", "EarnedBadgeID", "DateCompleted")
COURSE, PATH = "course", "learningpath"
EARNED_ID_BASE = 31000
GAMIFICATION_SETTING = "GamificationEnabled"
MSG_DISABLED = "Gamification is not enabled in the organisation"
MSG_NO_USER = "The user in the xml/json request does not exist."
MSG_NO_USER_RESET = "The user does not exist."
MSG_NO_TEAM = "The team in the xml/json request does not exist."


def gamification_tables() -> tuple[Table, Table, Table, Table]:
    """The org settings, the badges, the rewards of courses and paths, and the items users earned."""
    settings = Table("org_settings", unique=[Unique("Name", exact_key("Name"))], fields=SETTING_FIELDS)
    badges = Table("badges", unique=[Unique("ID", exact_key("ID")), Unique("Title", casefold_key("Title"))],
                   fields=BADGE_FIELDS)
    rewards = Table("rewards", unique=[Unique("item", lambda r: (r["Kind"], r["ItemId"]))], fields=REWARD_FIELDS)
    earned = Table("earned", unique=[Unique("item", lambda r: (r["UserId"], r["Kind"], r["ItemId"]))],
                   orders={"DateCompleted": lambda r: (r["DateCompleted"], r["ID"])}, fields=EARNED_FIELDS)
    return settings, badges, rewards, earned


class Gamification:
    """The gamification calls and what a completion earns, under the backend's lock. Badge ids come
    from `path_ids`, the stream learning paths draw from (seeded, so a reset replays them)."""

    def __init__(self, shared: Shared, path_ids: IdSource, *, settings: Table, badges: Table, rewards: Table,
                 earned: Table, users: Table, teams: Table, members: Table, courses: Table, enrolments: Table,
                 learning_paths: Table, path_users: Table, progress: Progress) -> None:
        self._shared = shared
        self._path_ids = path_ids
        self.settings = settings
        self.badges = badges
        self.rewards = rewards
        self.earned = earned
        self._users = users
        self._teams = teams
        self._members = members
        self._courses = courses
        self._enrolments = enrolments
        self._learning_paths = learning_paths
        self._path_users = path_users
        self._progress = progress

    def load(self, settings: list[dict[str, Any]], badges: list[dict[str, Any]],
             rewards: list[dict[str, Any]]) -> None:
        """Settings, badges and rewards; then the items the seeded completions have earned."""
        for setting in settings:
            self.settings.insert({"Name": setting["Name"], "Value": setting["Value"]})
        for seed in badges:
            token = self._path_ids.url_token()
            self.badges.insert({"ID": token, "Title": seed["Title"], "Description": seed.get("Description", ""),
                                "Icon": seed.get("Icon", ""), "IconBgColor": seed.get("IconBgColor", "")})
        for seed in rewards:
            if "CourseCode" in seed:
                kind, item = COURSE, self._courses.find("Code", seed["CourseCode"].casefold())["Id"]
            else:
                kind, item = PATH, self._learning_paths.find("Name", seed["LearningPath"].casefold())["Id"]
            badge = self.badges.find("Title", seed["Badge"].casefold())["ID"] if seed.get("Badge") else ""
            self.rewards.insert({"Kind": kind, "ItemId": item, "Points": float(seed.get("Points", 0)),
                                 "BadgeId": badge})
        events = [(e["DateCompleted"], e["id"], COURSE, e["UserId"], e["CourseId"])
                  for e in self._enrolments.rows() if e["DateCompleted"] is not None]
        for held in self._path_users.rows():
            done = self._progress.path_progress(held["UserId"], held["LearningPathId"])["DateCompleted"]
            if done is not None:
                events.append((done.ms, held["id"], PATH, held["UserId"], held["LearningPathId"]))
        for when, _, kind, user_id, item in sorted(events, key=lambda e: (e[0], e[2], e[1])):
            self._earn(user_id, kind, item, when)

    # -- earning -------------------------------------------------------------------------------
    def _gamification_on(self) -> bool:
        setting = self.settings.find("Name", GAMIFICATION_SETTING)
        return setting is None or bool(setting["Value"])

    def _earn(self, user_id: str, kind: str, item_id: str, when_ms: int) -> None:
        """The item's reward, once per user (until a reset); items without a reward earn nothing."""
        reward = self.rewards.find("item", (kind, item_id))
        if reward is None or not self._gamification_on() or self.earned.find("item", (user_id, kind, item_id)):
            return
        table = self._courses if kind == COURSE else self._learning_paths
        item = table.find("Id", item_id)
        last = max((r["ID"] for r in self.earned.rows()), default=EARNED_ID_BASE)
        self.earned.insert({"ID": last + 1, "UserId": user_id, "Kind": kind, "ItemId": item_id,
                            "ItemName": item["Name"] if item else "", "EarnedPoint": reward["Points"],
                            "EarnedBadgeID": reward["BadgeId"], "DateCompleted": when_ms})

    def course_completed(self, user_id: str, course: Row, when_ms: int) -> None:
        """A course result just became complete: its reward, and that of every path it completes.

        Called before the course result records its completion, so the course counts as done.
        """
        course_id = course["Id"]
        self._earn(user_id, COURSE, course_id, when_ms)
        for held in self._path_users.select(lambda r: r["UserId"] == user_id):
            courses = self._progress.path_course_ids(held["LearningPathId"])
            if course_id in courses and all(c == course_id or self._progress.course_done(user_id, c) for c in courses):
                self._earn(user_id, PATH, held["LearningPathId"], when_ms)

    def path_assigned(self, user_id: str, path_id: str, when_ms: int) -> None:
        """A path whose courses are all complete already is complete (and rewarded) when assigned."""
        if self._progress.path_progress(user_id, path_id)["Complete"]:
            self._earn(user_id, PATH, path_id, when_ms)

    def forget_user(self, user_id: str) -> None:
        for row in self.earned.select(lambda r: r["UserId"] == user_id):
            self.earned.delete(row["id"])

    # -- views ---------------------------------------------------------------------------------
    def _enabled(self) -> None:
        if not self._gamification_on():
            raise MockError(ErrorKind.FORBIDDEN, MSG_DISABLED)

    def _gamer(self, user_id: str, message: str = MSG_NO_USER) -> Row:
        self._enabled()
        user = self._users.find("Id", user_id)
        if user is None:
            raise MockError(ErrorKind.NOT_FOUND, message)
        return user

    def _items_of(self, user_id: str) -> list[Row]:
        """The user's achieved items, newest first."""
        return self.earned.select(lambda r: r["UserId"] == user_id, order="DateCompleted", reverse=True)

    def _badge_view(self, badge_id: str, base: str) -> dict[str, Any] | None:
        badge = self.badges.find("ID", badge_id) if badge_id else None
        if badge is None:
            return None
        return {**badge, "IconDisplayUrl": f"{base}{badge['Icon']}" if badge["Icon"] else ""}

    def _item_view(self, row: Row, base: str) -> dict[str, Any]:
        paths, courses = [], []
        if row["Kind"] == PATH:
            paths = [{"ID": row["ID"], "LearningPathID": row["ItemId"], "LearningPathName": row["ItemName"]}]
            known = self._learning_paths.find("Id", row["ItemId"]) is not None
            course_ids = self._progress.path_course_ids(row["ItemId"]) if known else []
        else:
            course_ids = [row["ItemId"]]
        for course_id in course_ids:
            course = self._courses.find("Id", course_id)
            if course is not None:
                courses.append({"ID": row["ID"], "CourseID": course_id, "CourseName": course["Name"]})
        return {**row, "ItemID": row["ItemId"], "EarnedPoint": Money(row["EarnedPoint"]),
                "DateCompleted": WcfDate(row["DateCompleted"]), "Badge": self._badge_view(row["EarnedBadgeID"], base),
                "GamificationLearningPathItemList": paths, "GamificationCourseItemList": courses}

    # -- calls ---------------------------------------------------------------------------------
    def gamification_summary(self, user_id: str) -> dict[str, Any]:
        with self._shared.lock:
            self._gamer(user_id)
            items = self._items_of(user_id)
            return {"TotalBadgeEarned": sum(1 for r in items if r["EarnedBadgeID"]),
                    "TotalPointEarned": Money(sum(r["EarnedPoint"] for r in items))}

    def user_badges(self, user_id: str, *, start: int, limit: int, base: str) -> list[dict[str, Any]]:
        """One badge per item that earned one, newest first."""
        with self._shared.lock:
            self._gamer(user_id)
            views = [self._badge_view(r["EarnedBadgeID"], base) for r in self._items_of(user_id)]
            return [v for v in views if v is not None][start:start + limit]

    def user_gamification(self, user_id: str, *, start: int, limit: int, base: str) -> list[dict[str, Any]]:
        with self._shared.lock:
            self._gamer(user_id)
            return [self._item_view(r, base) for r in self._items_of(user_id)[start:start + limit]]

    def team_gamification(self, team_id: str, *, start: int, limit: int, base: str) -> list[dict[str, Any]]:
        """The team's active members, by first name, each with its achieved items."""
        with self._shared.lock:
            self._enabled()
            if self._teams.find("Id", team_id) is None:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_TEAM)
            ids = {m["UserId"] for m in self._members.select(lambda r: r["TeamId"] == team_id)}
            rows = self._users.select(lambda r: r["Id"] in ids and r["Active"], order="FirstName")
            return [{"Id": u["Id"], "FirstName": u["FirstName"], "LastName": u["LastName"],
                     "GamificationAchievedItems": [self._item_view(r, base) for r in self._items_of(u["Id"])]}
                    for u in rows[start:start + limit]]

    def reset_gamification(self, user_id: str) -> None:
        with self._shared.lock:
            self._gamer(user_id, MSG_NO_USER_RESET)
            self.forget_user(user_id)


def check_seed_gamification(path: Path, data: dict[str, Any], paths: set[str]) -> None:
    """Org settings set once, badge titles unique, each seeded course or path (`paths`) rewarded
    once, with a seeded badge: else FixtureError."""
    courses = seed_names(data, "courses", "Code")
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
