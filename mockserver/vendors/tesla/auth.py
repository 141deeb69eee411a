"""TeSLA CE credentials: `Authorization: <any word> <JWT>`, then the route's permission check.

Both run in Connexion's security layer (before parameter validation), which is where DRF runs
its authentication and permission classes: a caller without the permission gets 403 even when
a query parameter is bad or the record does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...core.errors import ErrorKind, MockError
from . import permissions
from .models import TeslaBackend
from .permissions import ANONYMOUS, Principal

NO_CREDENTIALS = "Invalid token header. No credentials provided."
SPACES = "Invalid token header. Token string should not contain spaces."


@dataclass(frozen=True)
class Route:
    """A protected route of this slice, found by its path (relative to the mount)."""

    group: str
    institution: str | None
    list_operation: str | None


# Paths relative to the mount; ids as Django's router takes them (no slash, no dot).
_ROUTES = (
    (re.compile(r"^/api/v2/institution/$"), permissions.INSTITUTION_LIST, "list_institutions"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/$"), permissions.INSTITUTION, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/user/$"), permissions.USER, "list_users"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/user/[^/.]+/$"), permissions.USER, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/instructor/$"), permissions.INSTRUCTOR, "list_instructors"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/instructor/[^/.]+/$"), permissions.INSTRUCTOR, None),
)


def route(path: str) -> Route | None:
    for pattern, group, list_operation in _ROUTES:
        match = pattern.match(path)
        if match:
            return Route(group, match.groupdict().get("iid"), list_operation)
    return None


def header(scope: dict[str, Any], name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value
    return None


def principal(raw: bytes | None, backend: TeslaBackend) -> Principal:
    """JWTAuthentication: no header (or only whitespace) is an anonymous caller, not a 401."""
    words = (raw or b"").split()
    if not words:
        return ANONYMOUS
    if len(words) == 1:
        raise MockError(ErrorKind.UNAUTHORIZED, NO_CREDENTIALS)
    if len(words) > 2:
        raise MockError(ErrorKind.UNAUTHORIZED, SPACES)
    return backend.principal_for(words[1].decode("latin-1"))


def _checked(scope: dict[str, Any], found: Route, backend: TeslaBackend) -> Principal:
    caller = principal(header(scope, b"authorization"), backend)
    permissions.check(caller, found.group, scope["method"], found.institution)
    return caller


def authenticate(request: Any, backend: TeslaBackend) -> dict[str, Any]:
    scope = request.scope
    found = route(scope["mockserver.mount"].relative(scope["path"]))
    if found is None:  # an id with a dot: Django's router has no such path
        raise MockError(ErrorKind.ROUTE_NOT_FOUND, "no route")
    caller = _checked(scope, found, backend)
    return {"sub": caller.user_id, "principal": caller}


def precheck(scope: dict[str, Any], path: str, backend: TeslaBackend) -> MockError | None:
    """The 401/403 DRF gives before a 405 (it authenticates and checks permissions first)."""
    found = route(path)
    if found is None:
        return None
    try:
        _checked(scope, found, backend)
    except MockError as error:
        return error
    return None
