"""Web-service tokens: who each speaks for, until when, and which of them still work."""

from __future__ import annotations

import copy
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row
from .caller import Principal
from .store import Store
from .tenants import Tenants


class Tokens:
    """Kept outside the tables (a token is its own key); exported and imported with the state."""

    def __init__(self, store: Store, tenants: Tenants) -> None:
        self.store = store
        self.users = store.tables.users
        self.tenants = tenants
        self.records: dict[str, dict[str, Any]] = {}

    def seed(self, records: list[Row]) -> None:
        for token in records:
            self.records[token["token"]] = {"validuntil": 0, "tenantid": None, **token}

    def export(self) -> list[dict[str, Any]]:
        return copy.deepcopy(list(self.records.values()))

    def load(self, records: list[Any]) -> None:
        """Replace every token from an export; entries that are not token records are skipped."""
        self.records = {t["token"]: dict(t) for t in records if isinstance(t, dict) and "token" in t}

    def principal_for(self, token: str) -> Principal:
        """401 for an unknown or expired token (or one whose user is gone), 403 for a suspended user or tenant."""
        record = self.records.get(token)
        if record is None:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token - token not found", code="invalidtoken")
        if record["validuntil"] and record["validuntil"] < self.store.clock.now():
            raise MockError(
                ErrorKind.UNAUTHORIZED,
                "Invalid token - token expired - check validuntil time for the token",
                code="invalidtimedtoken",
            )
        user = self.users.get(record["userid"])
        if user is None:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token - token not found", code="invalidtoken")
        if user["suspended"] or self.tenants.suspended(user["tenantid"]):
            raise MockError(ErrorKind.FORBIDDEN, "Access control exception (User suspended)", code="accessexception")
        return Principal(token, user["id"], record["profile"], record.get("tenantid"))

    def forget_user(self, user_id: int) -> None:
        """A deleted user's tokens stop working."""
        for token in [t for t, record in self.records.items() if record["userid"] == user_id]:
            del self.records[token]
