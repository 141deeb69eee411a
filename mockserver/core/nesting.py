"""How deep a parsed document nests, measured without recursion.

Parsers and validators recurse once per level; a hostile file or body nested a few thousand
levels deep ends in RecursionError far from where it came in. Measuring first (iteratively)
turns that into one clear refusal at the door.
"""

from __future__ import annotations

from typing import Any

# Deeper than any seed, scenario or vendor body has reason to be, far below Python's recursion limit.
MAX_DEPTH = 64


def nests_deeper_than(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and mappings in `value` nest more than `limit` levels deep."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
