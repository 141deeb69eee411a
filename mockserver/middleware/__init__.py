"""The mock's own ASGI middlewares, one concern each, composed by `build_stack` in this order
(outermost first); see ARCHITECTURE.md for the whole request path."""

from __future__ import annotations

from starlette.types import ASGIApp

from ..mounts import MountTable
from ..runtime import Runtime
from .admin_access import AdminAccessMiddleware
from .cors import CorsMiddleware
from .faults import FaultMiddleware
from .journal import JournalMiddleware
from .limits import BodyLimitMiddleware
from .mounting import MountMiddleware
from .namespace import NamespaceMiddleware
from .observe import ObserveMiddleware
from .ratelimit import RateLimitMiddleware
from .unrouted import UnroutedMiddleware

# Outermost first. Each name says what it decides; the order is the request's path through them.
STACK = (
    MountMiddleware,  # the request context: which realm (default) and which API the path is for
    AdminAccessMiddleware,  # the admin token and cross-site checks, before a namespace is created
    NamespaceMiddleware,  # `/ns/{name}/...`: that namespace's realm, the prefix taken off the path
    ObserveMiddleware,  # each vendor request's outcome to the access log and the metrics
    JournalMiddleware,  # what came in and what went out, redacted and bounded
    CorsMiddleware,  # preflights answered, access-control headers added (vendor mounts)
    UnroutedMiddleware,  # paths no API owns: the mock's 404
    BodyLimitMiddleware,  # 413 past the server's (or the operation's) body limit
    FaultMiddleware,  # forced statuses, delays and fault rules (vendor mounts)
    RateLimitMiddleware,  # the vendor's request limit per credential (Litmos)
)


def build_stack(app: ASGIApp, server: Runtime, mounts: MountTable) -> ASGIApp:
    """`app` (Connexion: routing, security, validation, the vendor handler) inside the stack."""
    for middleware in reversed(STACK):
        app = middleware(app, server, mounts)
    return app
