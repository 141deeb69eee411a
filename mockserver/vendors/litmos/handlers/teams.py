"""Teams handlers: teams, sub-teams, members, leaders and admins. No rules in here."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response
from .context import backend
from .payloads import body, ref_ids, respond


def list_teams(start: int = 0, limit: int = 100, search: str | None = None) -> flask.Response:
    return respond("TeamList", backend().teams.list_teams(start=start, limit=limit, search=search))


def get_team(teamId: str) -> flask.Response:  # noqa: N803
    return respond("Team", backend().teams.get_team(teamId))


def create_team() -> flask.Response:
    return respond("Team", backend().teams.create_team(body("TeamCreate")), 201)


def update_team(teamId: str) -> flask.Response:  # noqa: N803
    backend().teams.update_team(teamId, body("TeamUpdate"))
    return empty_response(200)


def delete_team(teamId: str) -> flask.Response:  # noqa: N803
    backend().teams.delete_team(teamId)
    return empty_response(200)


def list_sub_teams(teamId: str, start: int = 0, limit: int = 100,  # noqa: N803
                   search: str | None = None) -> flask.Response:
    return respond("TeamList", backend().teams.list_teams(start=start, limit=limit, search=search, parent=teamId))


def create_sub_team(teamId: str) -> flask.Response:  # noqa: N803
    return respond("Team", backend().teams.create_team(body("TeamCreate"), parent=teamId), 201)


def list_team_users(teamId: str, start: int = 0, limit: int = 100,  # noqa: N803
                    search: str | None = None) -> flask.Response:
    return respond("UserList", backend().teams.list_team_users(teamId, start=start, limit=limit, search=search))


def add_team_users(teamId: str, sendmessage: bool | None = None) -> flask.Response:  # noqa: N803
    backend().teams.add_team_users(teamId, ref_ids(body("UserRefList", list)))
    return empty_response(201)


def remove_team_user(teamId: str, userId: str) -> flask.Response:  # noqa: N803
    backend().teams.remove_team_user(teamId, userId)
    return empty_response(200)


def list_user_teams(userId: str, start: int = 0, limit: int = 100,  # noqa: N803
                    search: str | None = None) -> flask.Response:
    return respond("TeamList", backend().teams.user_teams(userId, start=start, limit=limit, search=search))


def remove_user_from_all_teams(userId: str) -> flask.Response:  # noqa: N803
    backend().teams.leave_all_teams(userId)
    return empty_response(200)


def list_team_leaders(teamId: str, start: int = 0, limit: int = 100) -> flask.Response:  # noqa: N803
    return respond("TeamPeopleList", backend().teams.list_team_role(teamId, "leaders", start=start, limit=limit))


def promote_team_leader(teamId: str, userId: str) -> flask.Response:  # noqa: N803
    backend().teams.set_team_role(teamId, userId, "leaders", True)
    return empty_response(200)


def demote_team_leader(teamId: str, userId: str) -> flask.Response:  # noqa: N803
    backend().teams.set_team_role(teamId, userId, "leaders", False)
    return empty_response(200)


def list_team_admins(teamId: str, start: int = 0, limit: int = 100) -> flask.Response:  # noqa: N803
    return respond("TeamPeopleList", backend().teams.list_team_role(teamId, "admins", start=start, limit=limit))


def promote_team_admin(teamId: str, userId: str) -> flask.Response:  # noqa: N803
    backend().teams.set_team_role(teamId, userId, "admins", True)
    return empty_response(200)


def demote_team_admin(teamId: str, userId: str) -> flask.Response:  # noqa: N803
    backend().teams.set_team_role(teamId, userId, "admins", False)
    return empty_response(200)
