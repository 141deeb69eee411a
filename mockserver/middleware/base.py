"""What every middleware of the stack shares: HTTP only, and the request context at hand."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ..context import RequestContext, context_of
from ..mounts import MountTable
from ..runtime import Runtime


class HttpMiddleware:
    """One concern of the stack. Lifespan and other non-HTTP scopes pass straight through."""

    def __init__(self, app: ASGIApp, server: Runtime, mounts: MountTable) -> None:
        self.app = app
        self.server = server
        self.mounts = mounts
        self.settings = server.settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(context_of(scope), scope, receive, send)

    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def is_vendor(context: RequestContext) -> bool:
    """Whether the request is for a vendor API (not the admin API, not an unmounted path)."""
    return context.mount is not None and context.mount.name != "admin"
