"""Which operation a request reaches, straight from the spec: the source of 405 `Allow` headers,
of the journal's `route` field and of near-miss hints."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_PARAM = re.compile(r"\{[^/{}]+\}")


BODY_LIMIT = "x-max-body-bytes"  # an operation's own body limit, when it takes larger bodies than the server's


@dataclass(frozen=True)
class RouteMatch:
    """The operation a request reaches: its method, path template, declared status codes and
    its own body limit (`x-max-body-bytes`), if it has one."""

    method: str
    template: str
    statuses: frozenset[int]
    max_body_bytes: int | None = None
    secured: bool = False  # the operation asks for a credential (its own `security`, else the spec's)
    operation_id: str | None = None


@dataclass(frozen=True)
class _Route:
    order: int
    template: str
    pattern: re.Pattern[str]
    literal: int
    # method -> declared numeric statuses, in spec order of the path item
    operations: dict[str, frozenset[int]]
    body_limits: dict[str, int]  # method -> `x-max-body-bytes`, for the operations that have one
    secured: frozenset[str]  # the methods whose operation asks for a credential
    operation_ids: dict[str, str]  # method -> operationId
    params: tuple[str, ...]  # the template's parameter names, in order (groups p0, p1, ... of `pattern`)


def _statuses(operation: Any) -> frozenset[int]:
    """Numeric response keys only: `default` and ranges like `4XX` name no single status."""
    responses = operation.get("responses") if isinstance(operation, dict) else None
    if not isinstance(responses, dict):
        return frozenset()
    found = set()
    for key in responses:
        text = str(key)
        if len(text) == 3 and text.isdigit():
            found.add(int(text))
    return frozenset(found)


def _compile(template: str, flags: int) -> re.Pattern[str]:
    """The template as a regex whose groups p0, p1, ... hold its parameters' values."""
    escaped = re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
    numbers = itertools.count()
    return re.compile("^" + _PARAM.sub(lambda _: f"(?P<p{next(numbers)}>[^/]+)", escaped) + r"\Z", flags)


class RouteTable:
    """The spec's `paths`, precompiled once; lookups only run regexes already built.

    Templates are bucketed by their number of "/" (a parameter never spans a "/", so a path can
    only match templates with as many) and, within a bucket, ordered most literal first, so a
    lookup stops as soon as the literal count drops below the best match found.
    """

    def __init__(self, paths: dict[str, dict[str, Any]], case_sensitive: bool = True,
                 default_security: list[Any] | None = None) -> None:
        flags = 0 if case_sensitive else re.IGNORECASE
        self._case_sensitive = case_sensitive
        self._routes: list[_Route] = []
        self._by_template: dict[str, _Route] = {}
        self._buckets: dict[int, list[_Route]] = {}
        # templates without parameters, by (case-folded) text: no other template can beat them
        self._exact: dict[str, list[_Route]] = {}
        for order, (template, item) in enumerate(paths.items()):
            item = item if isinstance(item, dict) else {}
            operations = {str(key).upper(): _statuses(value) for key, value in item.items()
                          if str(key).lower() in HTTP_METHODS}
            body_limits = {str(key).upper(): value[BODY_LIMIT] for key, value in item.items()
                           if str(key).lower() in HTTP_METHODS and isinstance(value, dict)
                           and isinstance(value.get(BODY_LIMIT), int)}
            secured = frozenset(str(key).upper() for key, value in item.items()
                                if str(key).lower() in HTTP_METHODS and isinstance(value, dict)
                                and bool(value.get("security", default_security)))
            operation_ids = {str(key).upper(): value["operationId"] for key, value in item.items()
                             if str(key).lower() in HTTP_METHODS and isinstance(value, dict)
                             and isinstance(value.get("operationId"), str)}
            literal = sum(1 for segment in template.split("/") if segment and not _PARAM.search(segment))
            route = _Route(order, template, _compile(template, flags), literal, operations, body_limits, secured,
                           operation_ids, tuple(name[1:-1] for name in _PARAM.findall(template)))
            self._routes.append(route)
            self._by_template[template] = route
            self._buckets.setdefault(template.count("/"), []).append(route)
            if not _PARAM.search(template):
                self._exact.setdefault(template if case_sensitive else template.lower(), []).append(route)
        for bucket in self._buckets.values():
            bucket.sort(key=lambda r: (-r.literal, r.order))

    def _best(self, path: str) -> list[_Route]:
        """The matching templates with the most literal segments, in spec order."""
        exact = self._exact.get(path if self._case_sensitive else path.lower())
        if exact is not None:
            return exact
        best: list[_Route] = []
        for route in self._buckets.get(path.count("/"), ()):
            if best and route.literal < best[0].literal:
                break
            if route.pattern.match(path):
                best.append(route)
        return best

    def allowed(self, path: str) -> tuple[str, ...] | None:
        """Methods the spec declares for `path` (relative to the mount), or None if unknown.

        When several templates match, the most literal ones win, as in every router:
        `/users/details` is its own resource, not `/users/{id}` with id "details".
        """
        best = self._best(path)
        if not best:
            return None
        found: list[str] = []
        for route in best:
            for method in HTTP_METHODS:
                upper = method.upper()
                if upper in route.operations and upper not in found:
                    found.append(upper)
        return tuple(found)

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The operation `method path` reaches, or None (no template matches, or method undeclared).

        Among equally literal templates the first in spec order that declares the method wins.
        """
        upper = method.upper()
        for route in self._best(path):
            statuses = route.operations.get(upper)
            if statuses is not None:
                return RouteMatch(upper, route.template, statuses, route.body_limits.get(upper), upper in route.secured,
                                  route.operation_ids.get(upper))
        return None

    def path_params(self, template: str, path: str) -> dict[str, str]:
        """The values `path` gives the parameters of `template` (one `match` returned for it)."""
        route = self._by_template.get(template)
        found = route.pattern.match(path) if route is not None else None
        if route is None or found is None:
            return {}
        return {name: found.group(f"p{index}") for index, name in enumerate(route.params)}

    def operations(self) -> list[tuple[str, str]]:
        """Every (METHOD, template) pair, paths in spec order and methods as the path item lists them."""
        return [(method, route.template) for route in self._routes for method in route.operations]
