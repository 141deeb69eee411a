"""The admin API's door (admin/access.py decides): refused before any namespace is created."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from ..admin.access import refusal
from ..context import RequestContext
from ..mounts import MOCK_OWN_ERRORS
from ..namespaces import split_path
from .base import HttpMiddleware
from .wire import send_wire


class AdminAccessMiddleware(HttpMiddleware):
    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        mount = context.mount
        if mount is not None and mount.name == "admin":
            namespaced = split_path(scope["path"])
            path = scope["path"] if namespaced is None else namespaced[1]
            refused = refusal(scope, mount.relative(path), self.settings.admin_token)
            if refused is not None:
                await send_wire(send, MOCK_OWN_ERRORS.render_error(refused, scope))
                return
        await self.app(scope, receive, send)
