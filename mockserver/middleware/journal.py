"""The journal: every request a realm serves, as it came in and as it went out.

It wraps `receive` to keep the body (up to the journal's bound) and `send` to see the status,
headers and size, then records once the answer is out, whatever happened inside.
"""

from __future__ import annotations

import time

from starlette.types import Message, Receive, Scope, Send

from ..context import RequestContext
from ..core.journal import redact_headers, redact_query
from ..vendors.base import routed_operation_id
from .base import HttpMiddleware, is_vendor
from .wire import REASON_HEADER, header


class Exchange:
    """What the journal learns about one request while it is served."""

    def __init__(self, scope: Scope, body_cap: int) -> None:
        self.started = time.perf_counter()
        self.status = 500
        self.response_headers: list[tuple[bytes, bytes]] = []
        self.response_size = 0
        self.body = bytearray()
        self.body_size = 0
        self.body_cap = body_cap
        # A browser's preflight (OPTIONS + Access-Control-Request-Method): verification leaves it out.
        self.preflight = scope["method"] == "OPTIONS" and any(
            name == b"access-control-request-method" for name, _ in scope.get("headers", ()))
        # As received: a vendor's security hook may respell query names (Litmos matches any case).
        self.query = scope.get("query_string", b"")

    def receive_recorded(self, receive: Receive) -> Receive:
        async def recorded() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                self.body_size += len(chunk)
                if len(self.body) <= self.body_cap:
                    self.body += chunk
            return message

        return recorded

    def send_recorded(self, send: Send) -> Send:
        async def recorded(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.response_headers = message.get("headers", [])
            elif message["type"] == "http.response.body":
                self.response_size += len(message.get("body", b""))
            await send(message)

        return recorded


class JournalMiddleware(HttpMiddleware):
    """Vendor calls (and paths no API owns) into the realm's journal; the admin API's calls into
    its small admin ring; health checks into neither (Docker asks every few seconds)."""

    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        if _health_check(context, scope):
            await self.app(scope, receive, send)
            return
        exchange = Exchange(scope, context.realm.journal.body_limit)
        try:
            await self.app(scope, exchange.receive_recorded(receive), exchange.send_recorded(send))
        finally:
            self._record(context, scope, exchange)

    def _record(self, context: RequestContext, scope: Scope, exchange: Exchange) -> None:
        realm, mount = context.realm, context.mount
        vendor = is_vendor(context)
        journal = realm.admin_journal if mount is not None and mount.name == "admin" else realm.journal
        journal.record(
            time=realm.clock.now(),
            namespace=realm.name,
            vendor=mount.name if mount else None,
            method=scope["method"],
            path=context.base_path + scope["path"],
            vendor_path=context.relative_path(scope["path"]) if vendor else None,
            route=_route(context, scope) if vendor else None,
            query=redact_query(exchange.query.decode("latin-1")),
            status=0 if context.connection_cut else exchange.status,
            duration_ms=round((time.perf_counter() - exchange.started) * 1000, 3),
            request_headers=redact_headers(scope.get("headers", [])),
            response_headers=redact_headers(h for h in exchange.response_headers if h[0] != REASON_HEADER),
            content_type=header(scope, b"content-type"),
            request_body=bytes(exchange.body),  # redacted and bounded by the journal
            parsed_body=context.parsed_body,  # so a long JSON body is not parsed again for that
            request_body_truncated=exchange.body_size > len(exchange.body),
            request_body_size=exchange.body_size,
            response_body_size=exchange.response_size,
            credential_id=context.credential_id(scope) if vendor else None,
            fault=context.fault,
            preflight=exchange.preflight,
        )


def _health_check(context: RequestContext, scope: Scope) -> bool:
    mount = context.mount
    return mount is not None and mount.name == "admin" and scope["method"] in ("GET", "HEAD") \
        and context.relative_path(scope["path"]).rstrip("/") == "/health"


def _route(context: RequestContext, scope: Scope) -> str | None:
    """The spec path the request reached: Connexion's operation, else the mount's route table."""
    mount = context.mount
    if mount is None or context.answered_by_cors:
        return None
    operation = routed_operation_id(scope)
    if operation and operation in mount.operations:
        return mount.operations[operation]
    match = mount.routes.match(scope["method"], mount.relative(scope["path"]))
    return match.template if match else None
