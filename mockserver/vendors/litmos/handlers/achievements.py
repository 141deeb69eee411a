"""Achievements handler. No rules in here."""

from __future__ import annotations

import flask

from ..dates import require_since
from .context import backend
from .payloads import respond


def list_achievements(userid: str | None = None, since: str | None = None, start: int = 0,
                      limit: int = 100) -> flask.Response:
    moment = require_since(since)
    rows = backend().achievements.list_achievements(
        user_id=userid, since_ms=int(moment.timestamp() * 1000) if moment else None, start=start, limit=limit)
    return respond("AchievementList", rows)
