"""Gamification handlers: totals, badges, achieved items per user and per team, reset."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response
from .context import backend, login_base
from .payloads import respond


def get_gamification_summary(userId: str) -> flask.Response:  # noqa: N803
    return respond("GamificationSummary", backend().gamification.gamification_summary(userId))


def list_user_badges(userId: str, start: int = 0, limit: int = 100) -> flask.Response:  # noqa: N803
    return respond("BadgeList", backend().gamification.user_badges(userId, start=start, limit=limit, base=login_base()))


def list_user_gamification(userId: str, start: int = 0, limit: int = 100) -> flask.Response:  # noqa: N803
    rows = backend().gamification.user_gamification(userId, start=start, limit=limit, base=login_base())
    return respond("GamificationAchievedItems", rows)


def list_team_gamification(teamId: str, start: int = 0, limit: int = 100) -> flask.Response:  # noqa: N803
    rows = backend().gamification.team_gamification(teamId, start=start, limit=limit, base=login_base())
    return respond("TeamGamificationList", rows)


def reset_user_gamification(userId: str) -> flask.Response:  # noqa: N803
    backend().gamification.reset_gamification(userId)
    return empty_response(200)
