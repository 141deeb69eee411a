"""Which methods a path allows, straight from the spec: the source of 405 `Allow` headers."""

from __future__ import annotations

import re
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_PARAM = re.compile(r"\{[^/{}]+\}")


class RouteTable:
    def __init__(self, paths: dict[str, dict[str, Any]]) -> None:
        self._routes: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
        for template, item in paths.items():
            pattern = "^" + _PARAM.sub("[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
            methods = tuple(m.upper() for m in HTTP_METHODS if m in item)
            self._routes.append((re.compile(pattern), methods))

    def allowed(self, path: str) -> tuple[str, ...] | None:
        """Methods the spec declares for `path` (relative to the mount), or None if unknown."""
        found: list[str] = []
        matched = False
        for pattern, methods in self._routes:
            if pattern.match(path):
                matched = True
                found.extend(m for m in methods if m not in found)
        return tuple(found) if matched else None
