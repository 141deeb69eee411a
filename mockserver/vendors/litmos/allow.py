"""The `Allow` header of a Litmos 405: the methods of the one path template that owns the path.

`/users/details` also matches `/users/{userId}`; a router tries literal segments before
parameters, so the literal template alone owns the path and only its methods are allowed.
"""

from __future__ import annotations

import re
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_PARAM = re.compile(r"^\{[^/{}]+\}$")


class AllowTable:
    def __init__(self, paths: dict[str, dict[str, Any]]) -> None:
        self._templates = [(template.strip("/").split("/"), tuple(m.upper() for m in METHODS if m in item))
                           for template, item in paths.items()]

    def allowed(self, path: str) -> tuple[str, ...] | None:
        """Methods of the most literal template matching `path` (relative to the mount), or None."""
        segments = path.strip("/").split("/")
        best: tuple[tuple[bool, ...], tuple[str, ...]] | None = None
        for template, methods in self._templates:
            if len(template) != len(segments):
                continue
            literal = tuple(not _PARAM.match(part) for part in template)
            if all(not is_literal or part == seg for part, seg, is_literal in zip(template, segments, literal)):
                if best is None or literal > best[0]:
                    best = (literal, methods)
        return best[1] if best else None
