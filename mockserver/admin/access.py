"""Who may use the admin API, decided before the call reaches Connexion.

- With an admin token set (`--admin-token`), every admin route but health needs
  `Authorization: Bearer <token>`, compared in constant time; without it the answer is 401.
- Whatever the token, a write refuses what a page on another site can make a browser send
  without asking first (CSRF): an `Origin` other than the server's own, `Sec-Fetch-Site:
  cross-site`, or a body typed as a form or as text/plain. The admin API takes JSON and YAML
  only; a cross-site page cannot send those without a CORS preflight, which the admin API never
  grants. No cookie is read anywhere, so a browser's ambient credentials are worth nothing here.
"""

from __future__ import annotations

import hmac
from typing import Any

from ..core.errors import ErrorKind, MockError

# Relative to /__admin: container health checks, the API's own description and Swagger UI
# (`/docs/`), and the dashboard's page, script and style sheet (`/ui/`) are static and hold no
# state: they need no token. Every call that reads or changes state does (the dashboard asks for it).
OPEN_PATHS = frozenset({"/health", "/openapi.json", "/openapi.yaml", "/ui", "/docs"})
OPEN_PREFIXES = ("/ui/", "/docs/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What an HTML form or a no-cors fetch can send across sites without a preflight.
SIMPLE_MEDIA_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
AUTH_CHALLENGE = 'Bearer realm="lms-mockserver admin"'


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1").strip()
    return None


def own_origin(scope: dict[str, Any]) -> str | None:
    host = _header(scope, b"host")
    return f"{scope.get('scheme', 'http')}://{host}".lower() if host else None


def refusal(scope: dict[str, Any], relative_path: str, token: str) -> MockError | None:
    """Why this admin request may not go on, or None."""
    if relative_path in OPEN_PATHS or relative_path.startswith(OPEN_PREFIXES):
        return None
    if token and not _token_matches(_header(scope, b"authorization"), token):
        return MockError(ErrorKind.UNAUTHORIZED, "this mock's admin API needs Authorization: Bearer <admin token>",
                         code="admin_token_required", headers={"WWW-Authenticate": AUTH_CHALLENGE})
    if scope["method"] in SAFE_METHODS:
        return None
    origin = _header(scope, b"origin")
    if origin is not None and origin.lower() != own_origin(scope):
        return _cross_site(f"Origin {origin} is not this server")
    if origin is None and (_header(scope, b"sec-fetch-site") or "").lower() == "cross-site":
        return _cross_site("the browser says the request comes from another site")
    media = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
    if media in SIMPLE_MEDIA_TYPES:
        return _cross_site(f"an admin write takes JSON or YAML, not {media} (what a cross-site form can send)")
    return None


def _token_matches(authorization: str | None, token: str) -> bool:
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _cross_site(reason: str) -> MockError:
    return MockError(ErrorKind.FORBIDDEN, f"cross-site admin write refused: {reason}", code="cross_site_request")
