"""TeSLA CE credentials: `Authorization: <any word> <JWT>`, then the route's permission check.

Both run in Connexion's security layer (before parameter validation), which is where DRF runs
its authentication and permission classes: a caller without the permission gets 403 even when
a query parameter is bad or the record does not exist. Which classes guard an operation is the
spec's `x-permission`, read once at startup (`routes.RouteBook`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ...core.errors import ErrorKind, MockError
from ..base import relative_path_of, routed_operation_id, vendor_of
from .permissions import ANONYMOUS, Policy, Principal, Request
from .routes import Route, RouteBook

if TYPE_CHECKING:
    from .models.backend import TeslaBackend
    from .vendor import TeslaVendor

NO_CREDENTIALS = "Invalid token header. No credentials provided."
SPACES = "Invalid token header. Token string should not contain spaces."


def header(scope: dict[str, Any], name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value
    return None


def route_book(scope: dict[str, Any]) -> RouteBook:
    """The serving TeSLA vendor's routes (built from its spec when it started)."""
    return cast("TeslaVendor", vendor_of(scope)).routes


def relative_path(scope: dict[str, Any]) -> str:
    return relative_path_of(scope)


def route(scope: dict[str, Any], path: str) -> Route | None:
    """The DRF route `path` (relative to the mount) reaches, or None (see `RouteBook.route`)."""
    return route_book(scope).route(path)


def resolvable(scope: dict[str, Any], path: str) -> bool:
    """False where Django's own URL patterns refuse a path the spec's templates would take."""
    return route_book(scope).resolvable(path)


def principal(raw: bytes | None, backend: TeslaBackend) -> Principal:
    """JWTAuthentication: no header (or only whitespace) is an anonymous caller, not a 401."""
    words = (raw or b"").split()
    if not words:
        return ANONYMOUS
    if len(words) == 1:
        raise MockError(ErrorKind.UNAUTHORIZED, NO_CREDENTIALS)
    if len(words) > 2:
        raise MockError(ErrorKind.UNAUTHORIZED, SPACES)
    return backend.logins.principal_for(words[1].decode("latin-1"))


def _checked(scope: dict[str, Any], path: str, policy: Policy, backend: TeslaBackend) -> Principal:
    caller = principal(header(scope, b"authorization"), backend)
    policy.check(Request(caller, scope["method"], path, backend.courses.roles))
    return caller


def authenticate(request: Any, backend: TeslaBackend) -> dict[str, Any]:
    """Connexion's security handler: the caller of the operation Connexion routed, checked."""
    scope = request.scope
    path = relative_path(scope)
    if route(scope, path) is None:  # an id with a dot: Django's router has no such path
        raise MockError(ErrorKind.ROUTE_NOT_FOUND, "no route")
    operation_id = routed_operation_id(scope)
    if operation_id is None:  # Connexion calls this hook only for an operation it routed
        raise LookupError("no operation was routed")
    caller = _checked(scope, path, route_book(scope).policy(operation_id), backend)
    return {"sub": caller.user_id, "principal": caller}


def precheck(scope: dict[str, Any], path: str, backend: TeslaBackend) -> MockError | None:
    """The 401/403 DRF gives before a 405 (it authenticates and checks permissions first)."""
    found = route(scope, path)
    if found is None:
        return None
    try:
        _checked(scope, path, found.policy, backend)
    except MockError as error:
        return error
    return None
