"""Request bodies past the limit get a 413 before the app reads them.

The limit is the server's (`--max-body-bytes`; the admin API has its own), raised for an
operation whose spec says `x-max-body-bytes` (Litmos's bulk imports take up to 2000 KB). A
declared Content-Length over it is refused at once; a body that grows past it while it is read
is cut off there (BodyTooLarge, rendered by whoever was reading).
"""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from ..context import RequestContext
from ..core.errors import ErrorKind, MockError
from ..mounts import Mount, render
from .base import HttpMiddleware
from .wire import BodyTooLarge, content_length, send_wire


class BodyLimitMiddleware(HttpMiddleware):
    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        mount = context.mount
        admin = mount is not None and mount.name == "admin"
        limit = self.settings.max_admin_body_bytes if admin else self.settings.max_body_bytes
        declared = content_length(scope)
        if declared is not None and declared > limit and mount is not None:
            allowed = operation_limit(scope, mount, limit)
            if declared > allowed:
                error = MockError(ErrorKind.PAYLOAD_TOO_LARGE, f"request body exceeds {allowed} bytes")
                await send_wire(send, render(scope, error))
                return
        await self.app(scope, bounded(receive, scope, mount, limit), send)


def operation_limit(scope: Scope, mount: Mount | None, limit: int) -> int:
    """`limit`, or the operation's own when its spec allows more."""
    if mount is not None:
        match = mount.routes.match(scope["method"], mount.relative(scope["path"]))
        if match is not None and match.max_body_bytes is not None:
            limit = max(limit, match.max_body_bytes)
    return limit


def bounded(receive: Receive, scope: Scope, mount: Mount | None, limit: int) -> Receive:
    size = 0
    allowed: int | None = None  # looked up only for a body past the server's limit

    async def receive_bounded() -> Message:
        nonlocal size, allowed
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                if allowed is None:
                    allowed = operation_limit(scope, mount, limit)
                if size > allowed:
                    raise BodyTooLarge(ErrorKind.PAYLOAD_TOO_LARGE, f"request body exceeds {allowed} bytes")
        return message

    return receive_bounded
