"""API keys: each seeded key acts as one user, whose access level decides what it may call (auth.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ....core.fixtures import FixtureError
from ....core.store import Row, Table, Unique, exact_key
from .state import Shared


def api_keys_table() -> Table:
    return Table("api_keys", unique=[Unique("Key", exact_key("Key"))], fields=("Key", "UserId"))


class ApiKeys:
    """The keys table, read on every request; keys come only from the seed (or a state import)."""

    def __init__(self, shared: Shared, table: Table, users: Table) -> None:
        self._shared = shared
        self.table = table
        self._users = users

    def load(self, seed_keys: list[dict[str, Any]]) -> None:
        for key in seed_keys:
            owner = self._users.find("UserName", key["UserName"].casefold())
            self.table.insert({"Key": key["Key"], "UserId": owner["Id"], "Note": key.get("Note", "")})

    def owner(self, key: str) -> Row | None:
        """The active user an API key acts as, or None (unknown key, deleted or inactive user)."""
        with self._shared.lock:
            record = self.table.find("Key", key)
            if record is None:
                return None
            owner = self._users.find("Id", record["UserId"])
            return owner if owner is not None and owner["Active"] else None


def check_seed_keys(path: Path, data: dict[str, Any], users: dict[str, int]) -> None:
    """Seeded keys unique, each acting as a seeded user: else FixtureError."""
    keys: set[str] = set()
    for index, key in enumerate(data["api_keys"]):
        label = f"api_keys[{index}] ({key['Key']})"
        if key["Key"] in keys:
            raise FixtureError(path, label, "Key", "duplicate key")
        keys.add(key["Key"])
        if key["UserName"].casefold() not in users:
            raise FixtureError(path, label, "UserName", f"no seeded user {key['UserName']!r}")
