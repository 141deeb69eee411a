"""Titus Connect credentials: a Moodle web-service token in `Authorization`."""

from __future__ import annotations

from typing import Any

from ...core.errors import ErrorKind, MockError
from .models import Principal, TitusBackend


def token_from_header(value: str | None) -> str:
    """`Bearer <token>`, or the raw token alone (webservice_restful precedent)."""
    if value is None or not value.strip():
        raise MockError(ErrorKind.UNAUTHORIZED, "No Authorization header found in request sent to Moodle",
                        code="noauthheader")
    parts = value.split()
    if len(parts) == 2 and parts[0].lower() == "bearer":
        return parts[1]
    if len(parts) == 1:
        return parts[0]
    raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token - token not found", code="invalidtoken")


def accepts_json(accept: str | None) -> bool:
    """A missing Accept is tolerated; otherwise some JSON-compatible range must be listed."""
    if not accept or not accept.strip():
        return True
    for item in accept.split(","):
        media = item.split(";")[0].strip().lower()
        if media in ("*/*", "application/*", "application/json") or media.endswith("+json"):
            return True
    return False


def authenticate(request: Any, backend: TitusBackend) -> dict[str, Any]:
    principal: Principal = backend.tokens.principal_for(token_from_header(request.headers.get("authorization")))
    if not accepts_json(request.headers.get("accept")):
        raise MockError(ErrorKind.NOT_ACCEPTABLE, "The Accept header must allow application/json",
                        code="noacceptheader")
    return {"sub": principal.userid, "principal": principal}
