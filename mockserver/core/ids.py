"""Reproducible generated values: every random-looking id comes from a seeded stream."""

from __future__ import annotations

import base64
import copy
import hashlib
import random
import uuid
from typing import Any


class IdSource:
    """A seeded stream of random values for one vendor; a reset rebuilds it from the seed."""

    def __init__(self, seed: int, salt: str) -> None:
        digest = hashlib.sha256(f"{seed}:{salt}".encode()).digest()
        self._random = random.Random(int.from_bytes(digest[:8], "big"))

    def __deepcopy__(self, memo: dict[int, Any]) -> "IdSource":
        """The same stream at the same place (a backend's fork): the generator's state is a
        tuple of 625 integers, which a deep copy would walk one by one."""
        twin = IdSource.__new__(IdSource)
        twin._random = copy.copy(self._random)
        return twin

    def randbytes(self, count: int) -> bytes:
        return self._random.randbytes(count)

    def randint(self, low: int, high: int) -> int:
        return self._random.randint(low, high)

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(bytes=self.randbytes(16), version=4)

    def url_token(self, size: int = 8) -> str:
        """ASP.NET `UrlTokenEncode` shape: base64url without padding, then the pad count digit."""
        raw = base64.urlsafe_b64encode(self.randbytes(size)).decode("ascii")
        stripped = raw.rstrip("=")
        return f"{stripped}{len(raw) - len(stripped)}"

    def random(self) -> float:
        return self._random.random()

    def getstate(self) -> object:
        return self._random.getstate()

    def setstate(self, state: object) -> None:
        self._random.setstate(state)
