"""CORS on a vendor mount, under `--cors` (core/cors.py holds the policies and their rules).

A preflight is answered here, before fault rules, forced statuses, the rate limit,
authentication and the vendor's own routing (TeSLA's slash redirect): a browser's preflight
carries no credential and is the browser's call, not the client's. Every other answer of the
mount gets the access-control headers the vendor's policy gives it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..context import RequestContext
from ..core.cors import Cors, CorsPolicy, Preflight
from ..mounts import Mount, MountTable
from ..runtime import Runtime
from ..vendors.base import WireResponse
from .base import HttpMiddleware
from .wire import send_wire


def request_headers(scope: Scope) -> dict[str, str]:
    """Lower-case request headers (repeated ones joined with ", ")."""
    found: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        found[name] = f"{found[name]}, {value}" if name in found else value
    return found


class CorsMiddleware(HttpMiddleware):
    """Each vendor mount's policy under the `--cors` setting; nothing for the admin API."""

    def __init__(self, app: ASGIApp, server: Runtime, mounts: MountTable) -> None:
        super().__init__(app, server, mounts)
        setting = server.settings.cors_setting
        self._by_mount: dict[str, Cors] = {
            mount.name: Cors(mount.cors, setting)
            for mount in mounts if setting.enabled and isinstance(mount.cors, CorsPolicy)
        }

    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        mount = context.mount
        cors = self._by_mount.get(mount.name) if mount is not None else None
        if cors is None or mount is None:
            await self.app(scope, receive, send)
            return
        headers = request_headers(scope)
        methods = _route_methods(scope, mount)
        if cors.is_preflight(scope["method"], headers):
            context.answered_by_cors = True
            answer: Preflight = cors.preflight(headers, methods)
            await send_wire(send, WireResponse(answer.status, b"", answer.content_type, dict(answer.headers)))
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                current = [(bytes(k).decode("latin-1").lower(), bytes(v).decode("latin-1"))
                           for k, v in message.get("headers", [])]
                changed = cors.response_headers(scope["method"], headers, current, methods)
                message = {**message, "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in changed]}
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _route_methods(scope: Scope, mount: Mount) -> Callable[[], tuple[str, ...] | None]:
    """The spec's methods for the request's path (asked only when a policy needs them)."""

    def methods() -> tuple[str, ...] | None:
        found = mount.routes.allowed(mount.relative(scope["path"]))
        return tuple(m for m in found if m not in ("HEAD", "OPTIONS")) if found is not None else None

    return methods
