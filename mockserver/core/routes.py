"""Which methods a path allows, straight from the spec: the source of 405 `Allow` headers."""

from __future__ import annotations

import re
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_PARAM = re.compile(r"\{[^/{}]+\}")


class RouteTable:
    def __init__(self, paths: dict[str, dict[str, Any]]) -> None:
        # (pattern, number of literal segments, methods)
        self._routes: list[tuple[re.Pattern[str], int, tuple[str, ...]]] = []
        for template, item in paths.items():
            pattern = "^" + _PARAM.sub("[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
            literal = sum(1 for segment in template.split("/") if segment and not _PARAM.search(segment))
            methods = tuple(m.upper() for m in HTTP_METHODS if m in item)
            self._routes.append((re.compile(pattern), literal, methods))

    def allowed(self, path: str) -> tuple[str, ...] | None:
        """Methods the spec declares for `path` (relative to the mount), or None if unknown.

        When several templates match, the most literal ones win, as in every router:
        `/users/details` is its own resource, not `/users/{id}` with id "details".
        """
        matches = [(literal, methods) for pattern, literal, methods in self._routes if pattern.match(path)]
        if not matches:
            return None
        best = max(literal for literal, _ in matches)
        found: list[str] = []
        for literal, methods in matches:
            if literal == best:
                found.extend(m for m in methods if m not in found)
        return tuple(found)
