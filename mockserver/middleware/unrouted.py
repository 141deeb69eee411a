"""Paths no API owns get the mock's own 404 before any framework sees them (and `/`, when no
API owns it, a landing page: landing.py)."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from ..context import RequestContext
from ..core.errors import ErrorKind, MockError
from ..landing import landing_page
from ..mounts import render
from .base import HttpMiddleware
from .wire import send_wire


class UnroutedMiddleware(HttpMiddleware):
    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        mount, path = context.mount, scope["path"]
        if mount is None and path == "/" and scope["method"] in ("GET", "HEAD"):
            # No API owns the root: a page pointing at the dashboard and each vendor's API.
            await send_wire(send, landing_page(context.mounts, context.base_path), scope["method"] == "HEAD")
            return
        if mount is None:
            error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no API is mounted at {path}")
        elif mount.prefix and path == mount.prefix:
            # The bare mount root is no route of any API (Starlette would answer a 307).
            error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no route for {path}")
        elif "\n" in path:
            # Starlette's mount pattern (`.*`) stops at a newline, so Connexion would leave the
            # request unrouted (no security, no operation) while Flask still dispatched it.
            error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no route for {path!r}")
        else:
            await self.app(scope, receive, send)
            return
        await send_wire(send, render(scope, error))
