"""The outermost ASGI layer: tags each request with its mount, bounds bodies, keeps the journal."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .core.errors import ErrorKind, MockError
from .core.journal import redact_headers, redact_query
from .mounts import MountTable, render
from .runtime import Runtime
from .vendors.base import WireResponse

log = logging.getLogger("mockserver")

REASON_HEADER = b"x-mockserver-reason"


class BodyTooLarge(MockError):
    pass


async def send_wire(send: Send, response: WireResponse, head_only: bool = False) -> None:
    """Write a rendered vendor answer as ASGI messages."""
    headers: list[tuple[bytes, bytes]] = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
    if response.content_type:
        headers.append((b"content-type", response.content_type.encode("latin-1")))
    headers.append((b"content-length", str(len(response.body)).encode()))
    if response.reason:
        headers.append((REASON_HEADER, response.reason.encode("latin-1", "replace")))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head_only else response.body})


class Gateway:
    def __init__(self, app: ASGIApp, runtime: Runtime, mounts: MountTable) -> None:
        self.app = app
        self.runtime = runtime
        self.mounts = mounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        mount = self.mounts.resolve(scope["path"])
        scope["mockserver.runtime"] = self.runtime
        scope["mockserver.mount"] = mount
        scope["mockserver.mounts"] = self.mounts
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500, "headers": [], "size": 0}
        request_size = 0
        limit = self.runtime.settings.max_body_bytes

        async def receive_bounded() -> Message:
            nonlocal request_size
            message = await receive()
            if message["type"] == "http.request":
                request_size += len(message.get("body", b""))
                if request_size > limit:
                    raise BodyTooLarge(ErrorKind.PAYLOAD_TOO_LARGE, f"request body exceeds {limit} bytes")
            return message

        async def send_recorded(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                status_holder["size"] += len(message.get("body", b""))
            await send(message)

        # As received: a vendor's security hook may respell query names (Litmos matches any case).
        received_query = scope.get("query_string", b"")
        try:
            declared = _content_length(scope)
            if mount is None:
                error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no API is mounted at {scope['path']}")
                await send_wire(send_recorded, render(scope, error))
            elif mount.prefix and scope["path"] == mount.prefix:
                # The bare mount root is no route of any API (Starlette would answer a 307).
                error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no route for {scope['path']}")
                await send_wire(send_recorded, render(scope, error))
            elif "\n" in scope["path"]:
                # Starlette's mount pattern (`.*`) stops at a newline, so Connexion would leave the
                # request unrouted (no security, no operation) while Flask still dispatched it.
                error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no route for {scope['path']!r}")
                await send_wire(send_recorded, render(scope, error))
            elif declared is not None and declared > limit:
                error = MockError(ErrorKind.PAYLOAD_TOO_LARGE, f"request body exceeds {limit} bytes")
                await send_wire(send_recorded, render(scope, error))
            else:
                await self.app(scope, receive_bounded, send_recorded)
        finally:
            self.runtime.journal.record(
                time=self.runtime.clock.now(),
                vendor=mount.name if mount else None,
                method=scope["method"],
                path=scope["path"],
                query=redact_query(received_query.decode("latin-1")),
                status=status_holder["status"],
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                request_headers=redact_headers(scope.get("headers", [])),
                response_headers=redact_headers(h for h in status_holder["headers"] if h[0] != REASON_HEADER),
                request_body_size=request_size,
                response_body_size=status_holder["size"],
            )


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
