"""Which TeSLA CE route a request reaches, and which permission classes guard it: read once from
the spec (`specs/tesla/openapi.yaml`) when the vendor starts.

Every operation names its view's classes in `x-permission` (see `permissions.py`); DRF checks a
view's classes for every method, so the operations of one path item must agree. Django's router
takes any id segment without a dot or a slash (`[^/.]+`), looser than the spec's typed parameters,
so a path is looked up here among the templates with any segment; a dot in an id means no route.
Where a path item declares `x-django-prefix`, Django resolves every path under that prefix with
its own URL patterns instead (a path parameter's `x-django-pattern`, else its `pattern`): there a
path that fits none of them is no route at all, whatever else is wrong with the request. A
Django pattern is Python's regex (its `\\w` takes any Unicode letter), which a JSON Schema
`pattern` (ECMA-262) cannot always say: then the spec gives it as `x-django-pattern` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...core.routes import HTTP_METHODS, RouteTable
from ...core.schema import SpecDocument
from .permissions import Policy

PERMISSION = "x-permission"
MEMBER_DENIED = "x-permission-denied"
DJANGO_PREFIX = "x-django-prefix"
DJANGO_PATTERN = "x-django-pattern"
_PARAM = re.compile(r"^\{([^/{}]+)\}$")


@dataclass(frozen=True)
class Route:
    """A DRF route of the spec: its template, its view's permission policy and its list operation."""

    template: str
    policy: Policy
    get_operation: str | None  # the GET operationId (whose list rules word a refused query)


@dataclass(frozen=True)
class _Template:
    template: str
    policy: Policy
    get_operation: str | None
    patterns: dict[str, re.Pattern[str]]  # path parameter -> its own URL pattern, where it has one


def _policy_of(operation: dict[str, Any], where: str) -> Policy:
    if PERMISSION not in operation:
        raise ValueError(f"{where} has no {PERMISSION}")
    return Policy.of(operation[PERMISSION], operation.get(MEMBER_DENIED))


def _patterns(item: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for holder in (item, *(item[m] for m in HTTP_METHODS if isinstance(item.get(m), dict))):
        for parameter in holder.get("parameters") or []:
            schema = parameter.get("schema") or {}
            pattern = schema.get(DJANGO_PATTERN, schema.get("pattern"))
            if parameter.get("in") == "path" and pattern:
                found[parameter["name"]] = re.compile(pattern)
    return found


def _prefix(template: str) -> re.Pattern[str]:
    """A `x-django-prefix` as a pattern: any segment (even an empty one) where it has a parameter."""
    parts = [("[^/]*" if _PARAM.match(part) else re.escape(part)) for part in template.split("/")]
    return re.compile("^" + "/".join(parts))


class RouteBook:
    """The spec's routes with their permission policies, for one vendor instance."""

    def __init__(self, spec: SpecDocument) -> None:
        paths = spec.resolved["paths"]
        self._table = RouteTable(paths)
        self._templates: dict[str, _Template] = {}
        self._by_operation: dict[str, Policy] = {}
        self._families: list[re.Pattern[str]] = []
        for template, item in paths.items():
            operations = {method: item[method] for method in HTTP_METHODS if isinstance(item.get(method), dict)}
            policies = {}
            for method, operation in operations.items():
                policy = _policy_of(operation, f"{method.upper()} {template}")
                policies[method] = policy
                self._by_operation[operation["operationId"]] = policy
            if len(set(policies.values())) > 1:
                raise ValueError(f"the operations of {template} name different permission classes")
            get = operations.get("get")
            self._templates[template] = _Template(template, next(iter(policies.values())),
                                                  get["operationId"] if get else None, _patterns(item))
            if item.get(DJANGO_PREFIX):
                self._families.append(_prefix(item[DJANGO_PREFIX]))

    def policy(self, operation_id: str) -> Policy:
        return self._by_operation[operation_id]

    def template(self, path: str) -> str | None:
        """The spec template `path` (relative to the mount) falls under, any segment in a parameter."""
        for method in self._table.allowed(path) or ():
            found = self._table.match(method, path)
            if found is not None:
                return found.template
        return None

    def resolvable(self, path: str) -> bool:
        """False for a path under a `x-django-prefix` that fits none of that family's URL patterns."""
        if not any(family.match(path) for family in self._families):
            return True
        template = self.template(path)
        entry = self._templates.get(template) if template else None
        return entry is not None and entry.patterns != {} and self._ids_fit(entry, path)

    def route(self, path: str) -> Route | None:
        """The DRF route `path` reaches (None: no route, a view outside DRF, or an id with a dot)."""
        if not self.resolvable(path):
            return None
        template = self.template(path)
        entry = self._templates.get(template) if template else None
        if entry is None or not entry.policy.authenticates or not self._ids_fit(entry, path):
            return None
        return Route(entry.template, entry.policy, entry.get_operation)

    @staticmethod
    def _ids_fit(entry: _Template, path: str) -> bool:
        """Each id segment as Django's URL patterns take it: its parameter's own pattern, else no dot."""
        for part, segment in zip(entry.template.split("/"), path.split("/")):
            name = _PARAM.match(part)
            if name is None:
                continue
            pattern = entry.patterns.get(name.group(1))
            if not segment or "." in segment or (pattern is not None and not pattern.fullmatch(segment)):
                return False
        return True
