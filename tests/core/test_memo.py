"""core/memo.py: what a process keeps between the servers it builds, and how a test forgets it."""

from __future__ import annotations

from mockserver.core.memo import Memo, forget_all


def test_a_memo_keeps_the_newest_values_and_builds_each_key_once() -> None:
    memo: Memo[list[int]] = Memo(2)
    built: list[str] = []

    def build(key: str) -> list[int]:
        built.append(key)
        return [len(built)]

    first = memo.get_or_build(("a",), lambda: build("a"))
    assert memo.get_or_build(("a",), lambda: build("a")) is first
    memo.get_or_build(("b",), lambda: build("b"))
    memo.get_or_build(("a",), lambda: build("a"))  # a is now the newest
    memo.get_or_build(("c",), lambda: build("c"))  # b, the least recently used, goes
    assert set(memo) == {("a",), ("c",)} and built == ["a", "b", "c"]
    forget_all()
    assert len(memo) == 0
    assert memo.get_or_build(("a",), lambda: build("a")) is not first


def test_a_failed_build_is_not_kept() -> None:
    memo: Memo[int] = Memo(4)

    def fail() -> int:
        raise ValueError("bad file")

    for _ in range(2):
        try:
            memo.get_or_build(("x",), fail)
        except ValueError:
            pass
    assert ("x",) not in memo
