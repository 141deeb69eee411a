"""Teams, sub-teams and team membership (docs/litmos.md, "What is served now" and "Choices made").

A team's `ParentTeamId` is empty at the top of the hierarchy. Members are rows of `team_members`
(one per team and user) carrying the leader and admin flags, so promoting needs membership and
removing a member drops both roles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.store import Row, Table, Unique, casefold_key, exact_key
from .search import USER_FIELDS, matches
from .state import Shared, sort_key
from .users import user_record

TOP = ""  # ParentTeamId of a team at the top of the hierarchy
TEAM_FIELDS = ("id", "Id", "OriginalId", "Name", "Description", "ParentTeamId")
MEMBER_FIELDS = ("id", "TeamId", "UserId", "Leader", "Admin")
MSG_NO_TEAM = "No team with this teamId exists in your organization"
MSG_TEAM_NAME = "Team name already exists"
MSG_NOT_MEMBER = "The user is not a member of this team."
MSG_NO_USER = "No user with this id exists in your organization"
MSG_CYCLE = "A team cannot be moved under itself or one of its sub-teams."
ROLES = {"leaders": "Leader", "admins": "Admin"}


def team_tables() -> tuple[Table, Table]:
    """The teams (names unique in any letter case) and their memberships (one per team and user)."""
    teams = Table("teams", unique=[Unique("Id", exact_key("Id")), Unique("Name", casefold_key("Name"))],
                  orders={"Name": sort_key("Name"), "OriginalId": sort_key("OriginalId")}, fields=TEAM_FIELDS)
    members = Table("team_members", unique=[Unique("pair", lambda r: (r["TeamId"], r["UserId"]))],
                    fields=MEMBER_FIELDS)
    return teams, members


def team_code(original_id: int, name: str) -> str:
    """`TeamCodeForBulkImport`: `{OriginalId}-{Name without spaces}` (docs/litmos.md, "Choices made")."""
    return f"{original_id}-{''.join(name.split())}"


def team_view(row: Row) -> dict[str, Any]:
    """A team's members, its bulk import code included (the summary and the full team pick from it)."""
    return {**row, "TeamCodeForBulkImport": team_code(row["OriginalId"], row["Name"])}


def team_row(teams: Table, team_id: str) -> Row:
    """The team with this Id; 404 with Litmos's team text otherwise."""
    row = teams.find("Id", team_id)
    if row is None:
        raise MockError(ErrorKind.NOT_FOUND, MSG_NO_TEAM)
    return row


class TeamFollowers(Protocol):
    """What a team's membership and deletion reach beyond the team: its course and learning path
    assignments (team_assignments.py)."""

    def joined_team(self, team_id: str, user_ids: list[str]) -> None: ...

    def forget_team(self, team_id: str) -> None: ...


class Teams:
    """The team calls, under the backend's lock."""

    def __init__(self, shared: Shared, *, teams: Table, members: Table, users: Table,
                 followers: TeamFollowers) -> None:
        self._shared = shared
        self.table = teams
        self.members = members
        self._users = users
        self._followers = followers

    def load(self, seed_teams: list[dict[str, Any]]) -> None:
        """Teams in file order (a parent comes before its sub-teams), then their people."""
        def user_id(name: str) -> str:
            return self._users.find("UserName", name.casefold())["Id"]

        for seed in seed_teams:
            parent = seed.get("ParentName")
            token, original = self._shared.new_ids(self.table)
            self.table.insert({
                "Id": token, "OriginalId": original, "Name": seed["Name"],
                "Description": seed.get("Description", ""),
                "ParentTeamId": self.table.find("Name", parent.casefold())["Id"] if parent else TOP,
            })
            leaders = {n.casefold() for n in seed.get("Leaders", [])}
            admins = {n.casefold() for n in seed.get("Admins", [])}
            for name in seed.get("Members", []):
                self.members.insert({"TeamId": token, "UserId": user_id(name),
                                     "Leader": name.casefold() in leaders, "Admin": name.casefold() in admins})

    # -- lookups -------------------------------------------------------------------------------
    def membership(self, team_id: str, user_id: str) -> Row | None:
        return self.members.find("pair", (team_id, user_id))

    # -- teams ---------------------------------------------------------------------------------
    def list_teams(self, *, start: int, limit: int, search: str | None, parent: str | None = None) -> list[dict[str, Any]]:
        """All teams by name, or the direct sub-teams of `parent` (404 if it does not exist)."""
        with self._shared.lock:
            named = matches(search)
            if parent is not None:
                team_row(self.table, parent)
                rows = self.table.select(lambda r: r["ParentTeamId"] == parent and named(r), order="Name")
            else:
                rows = self.table.select(named, order="Name")
            return [team_view(row) for row in rows[start:start + limit]]

    def get_team(self, team_id: str) -> dict[str, Any]:
        with self._shared.lock:
            return team_view(team_row(self.table, team_id))

    def create_team(self, data: dict[str, Any], parent: str | None = None) -> dict[str, Any]:
        """A new team; under `parent` (the URL's team) or else the body's `ParentTeamId`."""
        with self._shared.lock:
            parent_id = parent if parent is not None else (data.get("ParentTeamId") or TOP)
            if parent_id != TOP:
                team_row(self.table, parent_id)
            name = data["Name"]
            if self.table.find("Name", name.casefold()) is not None:
                raise MockError(ErrorKind.CONFLICT, MSG_TEAM_NAME)
            token, original = self._shared.new_ids(self.table)
            row = self.table.insert({"Id": token, "OriginalId": original, "Name": name,
                                     "Description": data.get("Description") or "", "ParentTeamId": parent_id})
            return team_view(row)

    def update_team(self, team_id: str, data: dict[str, Any]) -> None:
        """Only the members sent change; the body `Id` must be the URL's."""
        with self._shared.lock:
            if data.get("Id") != team_id:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_TEAM)
            row = team_row(self.table, team_id)
            changes = {k: data[k] for k in ("Name", "Description") if k in data}
            if "ParentTeamId" in data:
                changes["ParentTeamId"] = self._new_parent(row, data["ParentTeamId"] or TOP)
            if "Name" in changes:
                holder = self.table.find("Name", changes["Name"].casefold())
                if holder is not None and holder is not row:
                    raise MockError(ErrorKind.CONFLICT, MSG_TEAM_NAME)
            self.table.update(row["id"], changes)

    def _new_parent(self, row: Row, parent_id: str) -> str:
        """`parent_id` if the team may move there: an existing team outside its own subtree."""
        cursor = parent_id
        while cursor != TOP:
            if cursor == row["Id"]:
                raise MockError(ErrorKind.CONFLICT, MSG_CYCLE)
            cursor = team_row(self.table, cursor)["ParentTeamId"]
        return parent_id

    def delete_team(self, team_id: str) -> None:
        """Hard delete; its sub-teams move up to its parent; its memberships and assignments go with it."""
        with self._shared.lock:
            row = team_row(self.table, team_id)
            for child in self.table.select(lambda r: r["ParentTeamId"] == team_id):
                self.table.update(child["id"], {"ParentTeamId": row["ParentTeamId"]})
            for member in self.members.select(lambda r: r["TeamId"] == team_id):
                self.members.delete(member["id"])
            self.table.delete(row["id"])
            self._followers.forget_team(team_id)

    # -- members -------------------------------------------------------------------------------
    def _member_users(self, team_id: str, flag: str | None = None) -> list[Row]:
        ids = {m["UserId"] for m in self.members.select(
            lambda r: r["TeamId"] == team_id and (flag is None or r[flag]))}
        return self._users.select(lambda r: r["Id"] in ids and r["Active"], order="FirstName")

    def list_team_users(self, team_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        """Active members only, by first name; `search` as on GET /users."""
        with self._shared.lock:
            team_row(self.table, team_id)
            rows = list(filter(matches(search, USER_FIELDS), self._member_users(team_id)))
            return [user_record(row) for row in rows[start:start + limit]]

    def add_team_users(self, team_id: str, user_ids: list[str]) -> None:
        """Unknown users and existing members are skipped silently, as Litmos does; the new members
        also receive the team's courses and learning paths.

        Memberships are looked up by their unique (team, user) index, so adding a few users costs
        O(users sent), not O(every membership): a bulk import adds one user per row."""
        with self._shared.lock:
            team_row(self.table, team_id)
            joined: list[str] = []
            for user_id in user_ids:
                if self._users.find("Id", user_id) is not None and self.membership(team_id, user_id) is None:
                    self.members.insert({"TeamId": team_id, "UserId": user_id, "Leader": False, "Admin": False})
                    joined.append(user_id)
            self._followers.joined_team(team_id, joined)

    def remove_team_user(self, team_id: str, user_id: str) -> None:
        with self._shared.lock:
            self.members.delete(self._member(team_id, user_id)["id"])

    def _member(self, team_id: str, user_id: str) -> Row:
        """The user's membership of the team; 404 for an unknown team or user, or a non-member."""
        team_row(self.table, team_id)
        if self._users.find("Id", user_id) is None:
            raise MockError(ErrorKind.NOT_FOUND, MSG_NO_USER)
        membership = self.membership(team_id, user_id)
        if membership is None:
            raise MockError(ErrorKind.NOT_FOUND, MSG_NOT_MEMBER)
        return membership

    def user_teams(self, user_id: str, *, start: int, limit: int, search: str | None) -> list[dict[str, Any]]:
        with self._shared.lock:
            if self._users.find("Id", user_id) is None:
                raise MockError(ErrorKind.NOT_FOUND, f"User - {user_id} was not found")
            ids = {m["TeamId"] for m in self.members.select(lambda r: r["UserId"] == user_id)}
            named = matches(search)
            rows = self.table.select(lambda r: r["Id"] in ids and named(r), order="Name")
            return [team_view(row) for row in rows[start:start + limit]]

    def leave_all_teams(self, user_id: str) -> None:
        """DELETE /users/{id}/teams: out of every team at once."""
        with self._shared.lock:
            if self._users.find("Id", user_id) is None:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_USER)
            self.forget_user(user_id)

    def forget_user(self, user_id: str) -> None:
        """The user's memberships (and so its roles) go."""
        for member in self.members.select(lambda r: r["UserId"] == user_id):
            self.members.delete(member["id"])

    # -- leaders and admins --------------------------------------------------------------------
    def list_team_role(self, team_id: str, role: str, *, start: int, limit: int) -> list[dict[str, Any]]:
        """Active members holding `role` (`leaders` or `admins`), by first name; paged like every
        other list, so a client paging until an empty page stops."""
        with self._shared.lock:
            team_row(self.table, team_id)
            rows = self._member_users(team_id, ROLES[role])[start:start + limit]
            return [user_record(row) for row in rows]

    def set_team_role(self, team_id: str, user_id: str, role: str, value: bool) -> None:
        """Promote or demote a member; a user who is not a member is 404."""
        with self._shared.lock:
            self.members.update(self._member(team_id, user_id)["id"], {ROLES[role]: value})


def check_seed_teams(path: Path, data: dict[str, Any], users: dict[str, int]) -> None:
    """Team names unique, parents earlier in the file, people seeded, leaders and admins members."""
    names: set[str] = set()
    for index, team in enumerate(data.get("teams", [])):
        label = f"teams[{index}] ({team['Name']})"
        folded = team["Name"].casefold()
        if folded in names:
            raise FixtureError(path, label, "Name", "duplicates an earlier team")
        parent = team.get("ParentName")
        if parent is not None and parent.casefold() not in names:
            raise FixtureError(path, label, "ParentName", f"{parent!r} is not an earlier team")
        names.add(folded)
        members = [m.casefold() for m in team.get("Members", [])]
        for field in ("Members", "Leaders", "Admins"):
            for name in team.get(field, []):
                if name.casefold() not in users:
                    raise FixtureError(path, label, field, f"no seeded user {name!r}")
                if field != "Members" and name.casefold() not in members:
                    raise FixtureError(path, label, field, f"{name!r} is not a member")
        if len(set(members)) != len(members):
            raise FixtureError(path, label, "Members", "a user is listed twice")
