"""Serving over HTTP with uvicorn, keeping vendor reason phrases and bounding connections.

ASGI has no field for an HTTP reason phrase, but Litmos puts its error message there
(`409 UserName already exists`). Responses carry the wanted phrase in the header
`x-mockserver-reason`; this protocol writes it into the status line and drops the header.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, ClassVar

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .connections import ConnectionControl, ConnectionGuard, ConnectionLimits, plain_answer
from .context import CONNECTION

log = logging.getLogger("mockserver")

MARKER = b"\r\nx-mockserver-reason: "
_STATUS_LINE = re.compile(rb"^(HTTP/1\.[01] \d{3}) [^\r\n]*")


def rewrite_head(head: bytes) -> bytes:
    """Move the marker header's value into the status line of one response head."""
    start = head.find(MARKER)
    end = head.find(b"\r\n", start + len(MARKER))
    if start < 0 or end < 0:
        return head
    reason = head[start + len(MARKER):end].strip()
    head = head[:start] + head[end:]
    return _STATUS_LINE.sub(lambda m: m.group(1) + b" " + reason.replace(b"\\", b"\\\\"), head, count=1)


class _ReasonTransport:
    """Transport proxy that edits response heads on their way out; everything else passes."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport

    def write(self, data: bytes) -> None:
        if data.startswith(b"HTTP/1.") and MARKER in data:
            data = rewrite_head(data)
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class ReasonHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with vendor reason phrases and the limits of connections.py."""

    limits: ClassVar[ConnectionLimits] = ConnectionLimits().resolved()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_ReasonTransport(transport))  # type: ignore[arg-type]
        self.guard = ConnectionGuard(self.limits, self.loop, transport)
        self.in_body = False
        self._make_room()

    def _make_room(self) -> None:
        """Past the connection cap the oldest connection waiting for a request makes way."""
        if len(self.connections) <= self.limits.max_connections:
            return
        idle = [other for other in self.connections if other is not self and _waiting(other)]
        if idle:
            victim = min(idle, key=lambda other: other.guard.since)  # type: ignore[attr-defined]
            victim.transport.close()
            return
        self.guard.answer_and_close(plain_answer(
            503, "Service Unavailable", "too_many_connections",
            f"all {self.limits.max_connections} connections are busy; try again", {"retry-after": "1"}))

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        guard = self.guard
        if guard.lingering:  # an answer went out; what still arrives is read and dropped
            return
        self._unset_keepalive_if_required()
        if self.in_body:
            guard.body_progress()
        else:
            guard.saw_bytes = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError as exc:
            if guard.overflowed:
                guard.answer_and_close(guard.too_large_answer())
                return
            reason = str(exc) or type(exc).__name__
            log.warning("malformed HTTP request from %s: %s", _peer(self.client), reason)
            guard.answer_and_close(plain_answer(400, "Bad Request", "bad_http", f"malformed HTTP request: {reason}"))

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_body = False

    def on_url(self, url: bytes) -> None:
        if not self.guard.count_head(len(url)):
            raise HeadTooLarge
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self.guard.count_head(len(name) + len(value) + 4):
            raise HeadTooLarge
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self.guard.head_complete()
        self.guard.body_progress()  # a body, if one follows, must keep arriving
        self.in_body = True
        # Fault rules may drop or reset the connection: hand them this one's transport.
        self.scope[CONNECTION] = ConnectionControl(self.transport)  # type: ignore[index]
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.in_body = False
        self.guard.cancel()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self.guard.await_head()


class HeadTooLarge(Exception):
    """Raised from a parser callback to stop reading a head that is over the limit."""


def _waiting(protocol: object) -> bool:
    guard = getattr(protocol, "guard", None)
    cycle = getattr(protocol, "cycle", None)
    return guard is not None and guard.waiting_for_request and (cycle is None or cycle.response_complete)


def _peer(client: tuple[str, int] | None) -> str:
    return f"{client[0]}:{client[1]}" if client else "a client"


def protocol_with(limits: ConnectionLimits) -> type[ReasonHttpToolsProtocol]:
    """The protocol class uvicorn instantiates per connection, bound to these limits."""
    return type("LimitedHttpProtocol", (ReasonHttpToolsProtocol,), {"limits": limits.resolved()})


class MockServer(uvicorn.Server):
    """Stops gracefully on SIGINT/SIGTERM and returns, so `mockserver run` exits 0.

    uvicorn re-raises the captured signal after shutting down (the process then dies by the
    signal); a mock that was asked to stop has stopped cleanly, so the signal is not re-raised.
    """

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()


def make_server(app: Any, host: str, port: int, log_level: str = "info",
                limits: ConnectionLimits | None = None, tls: tuple[str, str] | None = None) -> uvicorn.Server:
    """`tls`: (certificate, key) PEM files, checked already (tls.py): uvicorn's own HTTPS."""
    limits = (limits or ConnectionLimits()).resolved()
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol_with(limits),
        ws="none",  # no vendor speaks WebSocket: an upgrade request is served as the plain request it is
        timeout_keep_alive=limits.keepalive_timeout,  # type: ignore[arg-type]  (uvicorn waits any float)
        lifespan="off",
        log_level=log_level,
        log_config=None,  # the CLI's logging (observe/log_setup.py): one handler, credentials masked
        access_log=False,  # the mock writes its own access line (observe/access_log.py)
        server_header=False,
        date_header=True,
        ssl_certfile=tls[0] if tls else None,
        ssl_keyfile=tls[1] if tls else None,
    )
    return MockServer(config)
