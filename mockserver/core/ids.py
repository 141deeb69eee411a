"""Reproducible generated values: every random-looking id comes from a seeded stream."""

from __future__ import annotations

import base64
import hashlib
import random
import uuid


class IdSource:
    """A seeded stream of random values for one vendor; a reset rebuilds it from the seed."""

    def __init__(self, seed: int, salt: str) -> None:
        digest = hashlib.sha256(f"{seed}:{salt}".encode()).digest()
        self._random = random.Random(int.from_bytes(digest[:8], "big"))

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
