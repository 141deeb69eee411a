"""Serving over HTTP with uvicorn, keeping vendor reason phrases.

ASGI has no field for an HTTP reason phrase, but Litmos puts its error message there
(`409 UserName already exists`). Responses carry the wanted phrase in the header
`x-mockserver-reason`; this protocol writes it into the status line and drops the header.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .qa import CONNECTION, ConnectionControl

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
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_ReasonTransport(transport))  # type: ignore[arg-type]

    def on_headers_complete(self) -> None:
        # Fault rules may drop or reset the connection: hand them this one's transport.
        self.scope[CONNECTION] = ConnectionControl(self.transport)  # type: ignore[index]
        super().on_headers_complete()


class MockServer(uvicorn.Server):
    """Stops gracefully on SIGINT/SIGTERM and returns, so `mockserver run` exits 0.

    uvicorn re-raises the captured signal after shutting down (the process then dies by the
    signal); a mock that was asked to stop has stopped cleanly, so the signal is not re-raised.
    """

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()


def make_server(app: Any, host: str, port: int, log_level: str = "info") -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=ReasonHttpToolsProtocol,
        lifespan="off",
        log_level=log_level,
        access_log=log_level == "debug",
        server_header=False,
        date_header=True,
    )
    return MockServer(config)
