"""The session side of `/api/v2/auth/`: launcher tokens, the caller's profile, logout.

A launcher is a one-shot `(id, token)` pair the VLE API hands out so that a browser can open
the TeSLA dashboard (or the learner API) as a person; `POST token` trades it for a token pair
once. The pair is made when the launcher is: a DASHBOARD launcher holds a `users` pair (even for a
learner), a LAPI launcher a `learners` pair (its `sub` is the learner UUID); both were issued at
the launcher's creation, so an old launcher hands out an access token that may have expired
(its refresh token lives `ttl` minutes). The pair is minted again from the stored issue time
instead of being kept: the same bytes, and no token in exported state. Seeded launchers carry
no pair: they mint one at the exchange, a `learners` pair for a learner, else a `users` pair.
The profile lists the person's roles and the dashboard routes its UI options switch on.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from typing import Any

from ....core.store import Row, Table, Unique
from ..tokens import access_claims, token_pair
from .state import State
from .ui_options import UiOptions

ROLE_ORDER = ("INSTRUCTOR", "LEARNER", "ADMIN", "SEND", "LEGAL", "DATA", "GLOBAL_ADMIN")
LEARNER_REFRESH_MINUTES = 120
USER_REFRESH_MINUTES = 24 * 60
LAUNCHER_COLUMNS = ("id", "token", "user", "pair", "issued_at", "refresh_minutes", "session", "expires_at")
USER_PAIR = "user"  # DASHBOARD launchers
LEARNER_PAIR = "learner"  # LAPI launchers
LAPI_SCOPE = ["/lapi/*"]


def launcher_table() -> Table:
    return Table("launchers", unique=[Unique("token", lambda row: row["token"])], fields=LAUNCHER_COLUMNS)


def launcher_token(seed: int, launcher_id: int) -> str:
    """The launcher's token: a UUID, as upstream, drawn from the seed and the id (reproducible)."""
    digest = hashlib.sha256(f"tesla:{seed}:launcher:{launcher_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def roles_of(row: Row) -> list[str]:
    held = {"INSTRUCTOR": row.get("instructor"), "LEARNER": row.get("learner"), "ADMIN": row.get("inst_admin"),
            "SEND": row.get("send_admin"), "LEGAL": row.get("legal_admin"), "DATA": row.get("data_admin"),
            "GLOBAL_ADMIN": row.get("is_staff")}
    return [role for role in ROLE_ORDER if held[role]]


def seed_launcher(record: dict[str, Any]) -> Row:
    return {"pair": None, "issued_at": None, "refresh_minutes": None, "session": None, "expires_at": None,
            **copy.deepcopy(record)}


class Sessions:
    """Launchers (made by the VLE API, traded once for tokens) and the caller's profile."""

    def __init__(self, state: State, ui_options: UiOptions) -> None:
        self._state = state
        self._tables = state.tables
        self._ui_options = ui_options

    def _pair(self, claims: dict[str, Any], refresh_minutes: int) -> dict[str, str]:
        return token_pair(self._state.signer, claims, refresh_minutes)

    def create_launcher(self, user: Row, pair: str, refresh_minutes: int, session: int | None, now: int) -> Row:
        """A one-shot launcher for `user` whose pair (`USER_PAIR` or `LEARNER_PAIR`) is issued now."""
        launchers = self._tables.launchers
        launcher_id = launchers.allocate_id()
        return launchers.insert({
            "id": launcher_id, "token": launcher_token(self._state.seed, launcher_id), "user": user["id"], "pair": pair,
            "issued_at": now // 1_000_000, "refresh_minutes": refresh_minutes, "session": session,
            "expires_at": now + refresh_minutes * 60_000_000})

    def launcher_pair(self, launcher: Row) -> dict[str, str] | None:
        """The token pair a launcher holds (None: its person is gone, or is no longer a learner)."""
        row = self._tables.users.get(launcher["user"])
        if row is None or row["institution"] is None:
            return None
        iat = launcher["issued_at"]
        if launcher["pair"] == USER_PAIR:
            claims = access_claims(group="users", sub=row["uid"], type_="user", pk=row["id"],
                                   scope=[f"/api/v2/institution/{row['institution']}/user/{row['id']}/*"], iat=iat)
            return self._pair(claims, launcher["refresh_minutes"])
        if not row.get("learner"):
            return None
        claims = access_claims(group="learners", sub=row["learner_id"], type_="learner", pk=row["id"],
                               scope=list(LAPI_SCOPE), iat=iat)
        return self._pair(claims, launcher["refresh_minutes"])

    def launcher_exchange(self, launcher_id: int, token: str) -> dict[str, str] | None:
        """A token pair for the launcher's person, once (None: no such pair, or the person is gone).

        `expires_at` is not checked, as upstream."""
        tables = self._tables
        with self._state.lock:
            launcher = tables.launchers.get(launcher_id)
            if launcher is None or launcher["token"] != token:
                return None
            tables.launchers.delete(launcher_id)
            if launcher["pair"] is not None:
                return self.launcher_pair(launcher)
            row = tables.users.get(launcher["user"])
            if row is None or row["institution"] is None:
                return None
            scope = [f"/api/v2/institution/{row['institution']}/*"]
            iat = int(self._state.clock.now())
            if row.get("learner"):
                claims = access_claims(group="learners", sub=row["learner_id"], type_="learner", pk=row["id"],
                                       scope=scope, iat=iat)
                return self._pair(claims, LEARNER_REFRESH_MINUTES)
            claims = access_claims(group="users", sub=row["uid"], type_="user", pk=row["id"], scope=scope, iat=iat)
            return self._pair(claims, USER_REFRESH_MINUTES)

    def profile(self, user_id: int | None) -> dict[str, Any]:
        """The caller's profile (a person the token named a moment ago)."""
        tables = self._tables
        with self._state.lock:
            row = tables.users.get(user_id)
            assert row is not None, "the caller's token named this person a moment ago"
            roles = roles_of(row)
            institution = tables.institutions.get(row["institution"]) if row["institution"] is not None else None
            entry = None
            if institution is not None:
                entry = {"id": institution["id"], "acronym": institution["acronym"], "uid": row["uid"], "roles": roles,
                         "locale": row["locale"], "learner_id": row.get("learner_id") if row.get("learner") else None}
            full_name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
            return {"id": row["id"], "first_name": row["first_name"], "last_name": row["last_name"],
                    "username": row["username"], "email": row["email"], "is_admin": bool(row["is_staff"]),
                    "full_name": full_name, "uid": row["uid"], "locale": row["locale"], "institution": entry,
                    "institutions": [entry] if entry else [], "roles": roles,
                    "routes": self._ui_options.routes_for(row["id"], row["institution"], roles)}
