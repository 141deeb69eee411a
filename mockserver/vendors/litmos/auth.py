"""Litmos credentials: an API key (header or query) that acts as a user, plus `source`, and the
access level each operation asks of that user.

Runs in Connexion's security layer, before parameter validation, once per request (the security
hook of vendors/base.py keeps the outcome). A known key's request was already counted against the
rate limit by middleware/ratelimit.py, which asks `LitmosVendor.rate_limited_credential`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core.errors import ErrorKind, MockError
from ...core.routes import HTTP_METHODS
from ..base import routed_operation_id
from .models import LitmosBackend
from .wire import QueryNames, header, query_value

MSG_BAD_KEY = ("The API key that you have used for this request is either not valid or your account is not "
               "enabled for API access.")
MSG_SOURCE = "Forbidden. Please check your API key, content-type, parameters, etc."
MSG_LEVEL = "You do not have the proper permissions for this call."
MSG_RATE = "Rating Limit Exceeded"
MAX_SOURCE = 50
ACCESS_LEVELS = "x-access-levels"  # on each operation of specs/litmos/openapi.yaml that needs a key
OWNER_ONLY = frozenset({"Account_Owner"})


@dataclass(frozen=True)
class AccessPolicy:
    """Which access levels may call each operation: the `x-access-levels` of the spec's operations,
    read once at startup. A key acts as its user, so the user's `AccessLevel` decides."""

    levels: Mapping[str, frozenset[str]]

    @classmethod
    def from_paths(cls, paths: Mapping[str, Mapping[str, Any]]) -> "AccessPolicy":
        """Every operation that needs a key must name its levels; a spec that forgets one does not start."""
        levels: dict[str, frozenset[str]] = {}
        for template, item in paths.items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict) or operation.get("security") == []:
                    continue
                named = operation.get(ACCESS_LEVELS)
                if not isinstance(named, list) or not named:
                    raise ValueError(f"{method.upper()} {template}: no {ACCESS_LEVELS} in the Litmos spec")
                levels[operation["operationId"]] = frozenset(named)
        return cls(levels)

    def admits(self, operation_id: str | None, level: str) -> bool:
        """Whether a user of `level` may call the operation (Account Owners only for one not known)."""
        return level in self.levels.get(operation_id or "", OWNER_ONLY)


def api_key(scope: dict[str, Any]) -> str | None:
    """The `apikey` header, else the `apikey` query parameter (any letter case)."""
    value = header(scope, "apikey")
    if value and value.strip():
        return value.strip()
    value = query_value(scope, "apikey")
    return value.strip() if value and value.strip() else None


def authenticate(request: Any, backend: LitmosBackend, names: QueryNames, access: AccessPolicy,
                 bad_key_status: int) -> dict[str, Any]:
    scope = request.scope
    names.apply(scope)
    key = api_key(scope)
    owner = backend.api_keys.owner(key) if key else None
    if owner is None:
        raise MockError(ErrorKind.UNAUTHORIZED, MSG_BAD_KEY, status=bad_key_status)
    source = query_value(scope, "source")
    if not source or len(source) > MAX_SOURCE:
        raise MockError(ErrorKind.FORBIDDEN, MSG_SOURCE)
    if not access.admits(routed_operation_id(scope), owner["AccessLevel"]):
        raise MockError(ErrorKind.FORBIDDEN, MSG_LEVEL)
    return {"sub": owner["Id"], "key": key, "access_level": owner["AccessLevel"]}
