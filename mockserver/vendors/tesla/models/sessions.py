"""The session side of `/api/v2/auth/`: launcher tokens, the caller's profile, logout (§1.3).

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
from collections.abc import Callable
from typing import Any

from ....core.store import Row, Table, Unique
from ..tokens import access_claims

ROLE_ORDER = ("INSTRUCTOR", "LEARNER", "ADMIN", "SEND", "LEGAL", "DATA", "GLOBAL_ADMIN")
LEARNER_REFRESH_MINUTES = 120
USER_REFRESH_MINUTES = 24 * 60
LAUNCHER_FIELDS = ("id", "token", "user", "pair", "issued_at", "refresh_minutes", "session", "expires_at")
USER_PAIR = "user"  # DASHBOARD launchers
LEARNER_PAIR = "learner"  # LAPI launchers
LAPI_SCOPE = ["/lapi/*"]


def launcher_table() -> Table:
    return Table("launchers", unique=[Unique("token", lambda row: row["token"])], fields=LAUNCHER_FIELDS)


def launcher_token(seed: int, launcher_id: int) -> str:
    """The launcher's token: a UUID, as upstream, drawn from the seed and the id (reproducible)."""
    digest = hashlib.sha256(f"tesla:{seed}:launcher:{launcher_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def roles_of(row: Row) -> list[str]:
    held = {"INSTRUCTOR": row.get("instructor"), "LEARNER": row.get("learner"), "ADMIN": row.get("inst_admin"),
            "SEND": row.get("send_admin"), "LEGAL": row.get("legal_admin"), "DATA": row.get("data_admin"),
            "GLOBAL_ADMIN": row.get("is_staff")}
    return [role for role in ROLE_ORDER if held[role]]


class SessionRules:
    """Launcher exchange and profile, mixed into the backend (which owns users, tokens and the lock)."""

    launchers: Table
    users: Table
    institutions: Table
    lock: Any
    clock: Any
    seed: int
    token_pair: Callable[[dict[str, Any], int], dict[str, str]]
    routes_for: Callable[[int | None, int | None, list[str]], list[str]]

    def _load_launchers(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            self.launchers.insert({"pair": None, "issued_at": None, "refresh_minutes": None, "session": None,
                                   "expires_at": None, **copy.deepcopy(record)})

    def create_launcher(self, user: Row, pair: str, refresh_minutes: int, session: int | None, now: int) -> Row:
        """A one-shot launcher for `user` whose pair (`USER_PAIR` or `LEARNER_PAIR`) is issued now."""
        launcher_id = self.launchers.allocate_id()
        return self.launchers.insert({
            "id": launcher_id, "token": launcher_token(self.seed, launcher_id), "user": user["id"], "pair": pair,
            "issued_at": now // 1_000_000, "refresh_minutes": refresh_minutes, "session": session,
            "expires_at": now + refresh_minutes * 60_000_000})

    def launcher_pair(self, launcher: Row) -> dict[str, str] | None:
        """The token pair a launcher holds (None: its person is gone, or is no longer a learner)."""
        row = self.users.get(launcher["user"])
        if row is None or row["institution"] is None:
            return None
        iat = launcher["issued_at"]
        if launcher["pair"] == USER_PAIR:
            claims = access_claims(group="users", sub=row["uid"], type_="user", pk=row["id"],
                                   scope=[f"/api/v2/institution/{row['institution']}/user/{row['id']}/*"], iat=iat)
            return self.token_pair(claims, launcher["refresh_minutes"])
        if not row.get("learner"):
            return None
        claims = access_claims(group="learners", sub=row["learner_id"], type_="learner", pk=row["id"],
                               scope=list(LAPI_SCOPE), iat=iat)
        return self.token_pair(claims, launcher["refresh_minutes"])

    def launcher_exchange(self, launcher_id: int, token: str) -> dict[str, str] | None:
        """A token pair for the launcher's person, once (None: no such pair, or the person is gone).

        `expires_at` is not checked, as upstream."""
        with self.lock:
            launcher = self.launchers.get(launcher_id)
            if launcher is None or launcher["token"] != token:
                return None
            self.launchers.delete(launcher_id)
            if launcher["pair"] is not None:
                return self.launcher_pair(launcher)
            row = self.users.get(launcher["user"])
            if row is None or row["institution"] is None:
                return None
            scope = [f"/api/v2/institution/{row['institution']}/*"]
            iat = int(self.clock.now())
            if row.get("learner"):
                claims = access_claims(group="learners", sub=row["learner_id"], type_="learner", pk=row["id"],
                                       scope=scope, iat=iat)
                return self.token_pair(claims, LEARNER_REFRESH_MINUTES)
            claims = access_claims(group="users", sub=row["uid"], type_="user", pk=row["id"], scope=scope, iat=iat)
            return self.token_pair(claims, USER_REFRESH_MINUTES)

    def profile(self, user_id: int) -> dict[str, Any]:
        with self.lock:
            row = self.users.get(user_id)
            roles = roles_of(row)
            institution = self.institutions.get(row["institution"]) if row["institution"] is not None else None
            entry = None
            if institution is not None:
                entry = {"id": institution["id"], "acronym": institution["acronym"], "uid": row["uid"], "roles": roles,
                         "locale": row["locale"], "learner_id": row.get("learner_id") if row.get("learner") else None}
            full_name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
            return {"id": row["id"], "first_name": row["first_name"], "last_name": row["last_name"],
                    "username": row["username"], "email": row["email"], "is_admin": bool(row["is_staff"]),
                    "full_name": full_name, "uid": row["uid"], "locale": row["locale"], "institution": entry,
                    "institutions": [entry] if entry else [], "roles": roles,
                    "routes": self.routes_for(row["id"], row["institution"], roles)}
