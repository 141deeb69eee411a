"""What a process builds once and shares between the servers it runs, keyed by content.

A test run builds hundreds of servers from the same spec and fixture files; each thing kept here
(a sealed seed, the configured Connexion app, a resolved spec) is a pure function of its key,
which names the exact bytes of the files it came from, so an edited file is a new key. Failures
are never kept: a bad file fails again, in its own words, on every server that tries it.

The code is not part of a key: a test that patches a handler, a model or a vendor before building
a server calls `forget_all()` first, so its server is built with the patch; `forgotten()` does
that for a block and gives the process back what it had, so later servers do not rebuild it.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Key = tuple[Hashable, ...]


class Memo(OrderedDict[Key, T]):
    """The last `size` values by key, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        _ALL.append(self)

    def get_or_build(self, key: Key, build: Callable[[], T]) -> T:
        value = self.get(key)
        if value is None:
            value = self[key] = build()
            while len(self) > self.size:
                self.popitem(last=False)
        else:
            self.move_to_end(key)
        return value


_ALL: list[Memo[Any]] = []


def forget_all() -> None:
    """Empty every memo of the process: the next server builds everything again."""
    for memo in _ALL:
        memo.clear()


@contextmanager
def forgotten() -> Iterator[None]:
    """Every memo empty inside the block (as in a new process), and as it was before it afterwards:
    what is built inside (from patched code, say) is dropped, what was kept comes back."""
    kept = [(memo, list(memo.items())) for memo in _ALL]
    forget_all()
    try:
        yield
    finally:
        for memo, items in kept:
            memo.clear()
            memo.update(items)


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes (raises OSError when it cannot be read)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
