"""Depth is measured exactly at the limit, for lists and mappings alike."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.core.nesting import MAX_DEPTH, nests_deeper_than


def nested(levels: int, mapping: bool) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = {"next": value, "other": 1} if mapping else [1, value]
    return value


@pytest.mark.parametrize("mapping", [True, False])
def test_the_limit_is_exact(mapping: bool) -> None:
    assert not nests_deeper_than(nested(MAX_DEPTH, mapping))
    assert nests_deeper_than(nested(MAX_DEPTH + 1, mapping))
    assert not nests_deeper_than(nested(3, mapping), limit=3)
    assert nests_deeper_than(nested(4, mapping), limit=3)


def test_scalars_and_empty_containers() -> None:
    assert not nests_deeper_than("text", limit=0)
    assert nests_deeper_than([], limit=0)
    assert not nests_deeper_than({"a": [], "b": {}}, limit=2)
    assert nests_deeper_than({"a": [], "b": {"c": []}}, limit=2)


def test_a_deep_branch_beside_wide_shallow_ones_is_found() -> None:
    document = {"users": [{"id": n} for n in range(1000)], "deep": nested(10, True)}
    assert nests_deeper_than(document, limit=10)
    assert not nests_deeper_than(document, limit=11)
