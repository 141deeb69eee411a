"""Litmos credentials: an API key (header or query) that acts as a user, plus `source`.

Runs in Connexion's security layer, before parameter validation. The spec OR-s two schemes
(header and query key), so Connexion may call this twice for one request; the outcome is kept
in the scope so the rate limiter counts the request once.
"""

from __future__ import annotations

from typing import Any

from ...core.errors import ErrorKind, MockError
from .access import allowed_levels, operation_id
from .models import LitmosBackend
from .wire import QueryNames, header, query_value

OUTCOME = "mockserver.litmos.auth"
MSG_BAD_KEY = ("The API key that you have used for this request is either not valid or your account is not "
               "enabled for API access.")
MSG_SOURCE = "Forbidden. Please check your API key, content-type, parameters, etc."
MSG_LEVEL = "You do not have the proper permissions for this call."
MSG_RATE = "Rating Limit Exceeded"
MAX_SOURCE = 50


def api_key(scope: dict[str, Any]) -> str | None:
    """The `apikey` header, else the `apikey` query parameter (any letter case)."""
    value = header(scope, "apikey")
    if value and value.strip():
        return value.strip()
    value = query_value(scope, "apikey")
    return value.strip() if value and value.strip() else None


def authenticate(request: Any, backend: LitmosBackend, names: QueryNames, bad_key_status: int) -> dict[str, Any]:
    scope = request.scope
    outcome = scope.get(OUTCOME)
    if outcome is None:
        try:
            outcome = _check(scope, backend, names, bad_key_status)
        except MockError as exc:
            outcome = exc
        scope[OUTCOME] = outcome
    if isinstance(outcome, MockError):
        raise outcome
    return outcome


def _check(scope: dict[str, Any], backend: LitmosBackend, names: QueryNames, bad_key_status: int) -> dict[str, Any]:
    names.apply(scope)
    key = api_key(scope)
    owner = backend.key_owner(key) if key else None
    if owner is None:
        raise MockError(ErrorKind.UNAUTHORIZED, MSG_BAD_KEY, status=bad_key_status)
    if not backend.rate_limiter.hit(key):
        raise MockError(ErrorKind.RATE_LIMITED, MSG_RATE)
    source = query_value(scope, "source")
    if not source or len(source) > MAX_SOURCE:
        raise MockError(ErrorKind.FORBIDDEN, MSG_SOURCE)
    if owner["AccessLevel"] not in allowed_levels(operation_id(scope)):
        raise MockError(ErrorKind.FORBIDDEN, MSG_LEVEL)
    return {"sub": owner["Id"], "key": key, "access_level": owner["AccessLevel"]}
