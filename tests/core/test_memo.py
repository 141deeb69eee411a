"""core/memo.py: what a process keeps between the servers it builds, and how a test forgets it."""

from __future__ import annotations

from mockserver.core.memo import Memo, forget_all, forgotten


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
    with forgotten():  # the servers this process kept come back after the block
        memo.update({("a",): first})
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


def test_forgotten_empties_every_memo_for_a_block_and_gives_back_what_was_kept() -> None:
    memo: Memo[list[int]] = Memo(2)
    kept = memo.get_or_build(("a",), lambda: [1])
    with forgotten():
        assert len(memo) == 0
        inside = memo.get_or_build(("a",), lambda: [2])
        assert inside is not kept
        memo.get_or_build(("b",), lambda: [3])
    assert list(memo.items()) == [(("a",), kept)]  # what was built inside is gone
