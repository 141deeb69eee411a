"""Teams, sub-teams and team membership (litmos.md §3, §3.1, §3.2).

`TeamsMixin` is one part of `LitmosBackend` (backend.py). A team's `ParentTeamId` is empty at the top
of the hierarchy. Members are rows of `team_members` (one per team and user) carrying the
leader and admin flags, so promoting needs membership and removing a member drops both roles.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table
from .search import USER_FIELDS, matches

TEAM_ORDER = ("Id", "Name", "Description", "ParentTeamId", "TeamCodeForBulkImport")
TEAM_SUMMARY_ORDER = ("Id", "Name", "TeamCodeForBulkImport", "ParentTeamId")
LEADER_ORDER = ("Id", "UserName", "FirstName", "LastName")
TOP = ""  # ParentTeamId of a team at the top of the hierarchy
MSG_NO_TEAM = "No team with this teamId exists in your organization"
MSG_TEAM_NAME = "Team name already exists"
MSG_NOT_MEMBER = "The user is not a member of this team."
MSG_NO_USER = "No user with this id exists in your organization"
MSG_CYCLE = "A team cannot be moved under itself or one of its sub-teams."
ROLES = {"leaders": "Leader", "admins": "Admin"}


def team_code(original_id: int, name: str) -> str:
    """`{OriginalId}-{Name without spaces}`, as captured (`405494-JohnSmith`)."""
    return f"{original_id}-{''.join(name.split())}"


def member_key(row: Row) -> tuple[str, str]:
    return (row["TeamId"], row["UserId"])


class TeamsMixin:
    """The team calls; `LitmosBackend` provides the tables, the lock and `_new_ids`."""

    teams: Table
    team_members: Table
    users: Table
    lock: threading.RLock
    _new_ids: Callable[[Table], tuple[str, int]]
    summary: Callable[[Row], dict[str, Any]]

    # -- views ---------------------------------------------------------------------------------
    @staticmethod
    def team_view(row: Row) -> dict[str, Any]:
        view = {**row, "TeamCodeForBulkImport": team_code(row["OriginalId"], row["Name"])}
        return {name: view[name] for name in TEAM_ORDER}

    @staticmethod
    def team_summary(row: Row) -> dict[str, Any]:
        view = {**row, "TeamCodeForBulkImport": team_code(row["OriginalId"], row["Name"])}
        return {name: view[name] for name in TEAM_SUMMARY_ORDER}

    # -- lookups -------------------------------------------------------------------------------
    def _team(self, team_id: str) -> Row:
        row = self.teams.find("Id", team_id)
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, MSG_NO_TEAM)
        return row

    def _membership(self, team_id: str, user_id: str) -> Row | None:
        return self.team_members.find("pair", (team_id, user_id))

    @staticmethod
    def _page(rows: list[Row], start: int, limit: int) -> list[Row]:
        return rows[start:start + limit]

    # -- teams ---------------------------------------------------------------------------------
    def list_teams(self, *, start: int, limit: int, search: str | None, parent: str | None = None) -> list[dict[str, Any]]:
        """All teams by name, or the direct sub-teams of `parent` (404 if it does not exist)."""
        with self.lock:
            named = matches(search)
            if parent is not None:
                self._team(parent)
                rows = self.teams.select(lambda r: r["ParentTeamId"] == parent and named(r), order="Name")
            else:
                rows = self.teams.select(named, order="Name")
            return [self.team_summary(row) for row in self._page(rows, start, limit)]

    def get_team(self, team_id: str) -> dict[str, Any]:
        with self.lock:
            return self.team_view(self._team(team_id))

    def create_team(self, data: dict[str, Any], parent: str | None = None) -> dict[str, Any]:
        """A new team; under `parent` (the URL's team) or else the body's `ParentTeamId`."""
        with self.lock:
            parent_id = parent if parent is not None else (data.get("ParentTeamId") or TOP)
            if parent_id != TOP:
                self._team(parent_id)
            name = data["Name"]
            if self.teams.find("Name", name.casefold()) is not None:
                raise MockError(ErrorKind.CONFLICT, MSG_TEAM_NAME)
            token, original = self._new_ids(self.teams)
            row = self.teams.insert({"Id": token, "OriginalId": original, "Name": name,
                                     "Description": data.get("Description") or "", "ParentTeamId": parent_id})
            return self.team_view(row)

    def update_team(self, team_id: str, data: dict[str, Any]) -> None:
        """Only the members sent change; the body `Id` must be the URL's."""
        with self.lock:
            if data.get("Id") != team_id:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_TEAM)
            row = self._team(team_id)
            changes = {k: data[k] for k in ("Name", "Description") if k in data}
            if "ParentTeamId" in data:
                changes["ParentTeamId"] = self._new_parent(row, data["ParentTeamId"] or TOP)
            if "Name" in changes:
                holder = self.teams.find("Name", changes["Name"].casefold())
                if holder is not None and holder is not row:
                    raise MockError(ErrorKind.CONFLICT, MSG_TEAM_NAME)
            self.teams.update(row["id"], changes)

    def _new_parent(self, row: Row, parent_id: str) -> str:
        """`parent_id` if the team may move there: an existing team outside its own subtree."""
        cursor = parent_id
        while cursor != TOP:
            if cursor == row["Id"]:
                raise MockError(ErrorKind.CONFLICT, MSG_CYCLE)
            cursor = self._team(cursor)["ParentTeamId"]
        return parent_id

    def delete_team(self, team_id: str) -> None:
        """Hard delete; its sub-teams move up to its parent; its memberships go with it."""
        with self.lock:
            row = self._team(team_id)
            for child in self.teams.select(lambda r: r["ParentTeamId"] == team_id):
                self.teams.update(child["id"], {"ParentTeamId": row["ParentTeamId"]})
            for member in self.team_members.select(lambda r: r["TeamId"] == team_id):
                self.team_members.delete(member["id"])
            self.teams.delete(row["id"])

    # -- members -------------------------------------------------------------------------------
    def _member_users(self, team_id: str, flag: str | None = None) -> list[Row]:
        ids = {m["UserId"] for m in self.team_members.select(
            lambda r: r["TeamId"] == team_id and (flag is None or r[flag]))}
        return self.users.select(lambda r: r["Id"] in ids and r["Active"], order="FirstName")

    def list_team_users(self, team_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Active members only (§3.1), by first name; `search` as on GET /users."""
        with self.lock:
            self._team(team_id)
            rows = list(filter(matches(search, USER_FIELDS), self._member_users(team_id)))
            return [self.summary(row) for row in self._page(rows, start, limit)]

    def add_team_users(self, team_id: str, user_ids: list[str]) -> None:
        """Unknown users and existing members are skipped silently, as Litmos does."""
        with self.lock:
            self._team(team_id)
            for user_id in user_ids:
                if self.users.find("Id", user_id) is not None and self._membership(team_id, user_id) is None:
                    self.team_members.insert({"TeamId": team_id, "UserId": user_id, "Leader": False, "Admin": False})

    def remove_team_user(self, team_id: str, user_id: str) -> None:
        with self.lock:
            self.team_members.delete(self._member(team_id, user_id)["id"])

    def _member(self, team_id: str, user_id: str) -> Row:
        """The user's membership of the team; 404 for an unknown team or user, or a non-member."""
        self._team(team_id)
        if self.users.find("Id", user_id) is None:
            raise MockError(ErrorKind.NOT_FOUND, MSG_NO_USER)
        membership = self._membership(team_id, user_id)
        if membership is None:
            raise MockError(ErrorKind.NOT_FOUND, MSG_NOT_MEMBER)
        return membership

    def user_teams(self, user_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self.lock:
            if self.users.find("Id", user_id) is None:
                raise MockError(ErrorKind.NOT_FOUND, f"User - {user_id} was not found")
            ids = {m["TeamId"] for m in self.team_members.select(lambda r: r["UserId"] == user_id)}
            named = matches(search)
            rows = self.teams.select(lambda r: r["Id"] in ids and named(r), order="Name")
            return [self.team_summary(row) for row in self._page(rows, start, limit)]

    def leave_all_teams(self, user_id: str) -> None:
        """DELETE /users/{id}/teams: out of every team at once."""
        with self.lock:
            if self.users.find("Id", user_id) is None:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_USER)
            self._forget_memberships(user_id)

    def _forget_memberships(self, user_id: str) -> None:
        for member in self.team_members.select(lambda r: r["UserId"] == user_id):
            self.team_members.delete(member["id"])

    # -- leaders and admins --------------------------------------------------------------------
    def list_team_role(self, team_id: str, role: str, *, start: int, limit: int) -> list[dict[str, Any]]:
        """Active members holding `role` (`leaders` or `admins`): Id, UserName, FirstName, LastName;
        paged like every other list, so a client paging until an empty page stops."""
        with self.lock:
            self._team(team_id)
            rows = self._page(self._member_users(team_id, ROLES[role]), start, limit)
            return [{name: row[name] for name in LEADER_ORDER} for row in rows]

    def set_team_role(self, team_id: str, user_id: str, role: str, value: bool) -> None:
        """Promote or demote a member; a user who is not a member is 404 (§3.2)."""
        with self.lock:
            self.team_members.update(self._member(team_id, user_id)["id"], {ROLES[role]: value})
