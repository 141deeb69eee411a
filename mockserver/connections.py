"""What one HTTP connection may cost the server, enforced where bytes arrive (the protocol).

A shared mock must stay up for everyone while one client misbehaves:
- a request head (request line and headers) larger than `max_header_bytes` is answered 431 as
  soon as the parser sees it, so a 1 MiB header is never buffered, journaled or routed;
- a connection that has not finished its request head within `header_timeout` (an idle socket,
  a slowloris trickle) is closed, with a 408 if it sent part of a head;
- a body that stalls for `body_timeout` between two reads is abandoned;
- past `max_connections` open connections a new one evicts the oldest connection that is
  waiting for a request, so idle sockets can never lock out a fresh client; only when every
  connection is busy is the newcomer turned away (503 with Retry-After);
- a request the parser cannot read gets a 400 that says why, and the connection is closed
  after the client has finished sending (a lingering close): closing at once with unread input
  makes the kernel send a reset, and the client then sees no answer at all.
"""

from __future__ import annotations

import asyncio
import resource
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any

import orjson

MOCK_SOURCE = "lms-mockserver"
LINGER_SECONDS = 2.0


def default_max_connections() -> int:
    """Room below the open-file soft limit for the listening socket, files and the event loop."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 4096
    return max(16, min(4096, soft - 128))


@dataclass(frozen=True)
class ConnectionLimits:
    max_header_bytes: int = 64 * 1024
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keepalive_timeout: float = 5.0
    max_connections: int = 0  # 0: derived from the open-file limit at start (default_max_connections)

    def resolved(self) -> "ConnectionLimits":
        if self.max_connections:
            return self
        return ConnectionLimits(self.max_header_bytes, self.header_timeout, self.body_timeout,
                                self.keepalive_timeout, default_max_connections())


def plain_answer(status: int, reason: str, code: str, message: str, extra: dict[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 response of the mock's own, closing the connection."""
    body = orjson.dumps({"error": code, "message": message, "source": MOCK_SOURCE})
    head = [f"HTTP/1.1 {status} {reason}", "content-type: application/json", f"content-length: {len(body)}",
            "connection: close", f"x-mock-source: {MOCK_SOURCE}"]
    head += [f"{name}: {value}" for name, value in (extra or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class ConnectionGuard:
    """The per-connection bookkeeping a protocol delegates to: head size, timers, linger."""

    def __init__(self, limits: ConnectionLimits, loop: asyncio.AbstractEventLoop, transport: asyncio.Transport) -> None:
        self.limits = limits
        self.loop = loop
        self.transport = transport
        self.head_bytes = 0
        self.overflowed = False
        self.lingering = False
        self.since = time.monotonic()  # when it last started waiting for a request
        self.saw_bytes = False
        self._timer: asyncio.TimerHandle | None = None
        self.await_head()

    # -- timers ---------------------------------------------------------------------------------
    def _arm(self, seconds: float, callback) -> None:
        self.cancel()
        if seconds > 0:
            self._timer = self.loop.call_later(seconds, callback)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def await_head(self) -> None:
        """A new request may start: its head must be complete within the header timeout."""
        self.head_bytes = 0
        self.saw_bytes = False
        self.since = time.monotonic()
        self._arm(self.limits.header_timeout, self._head_timed_out)

    def head_complete(self) -> None:
        self.cancel()

    def body_progress(self) -> None:
        self._arm(self.limits.body_timeout, self._body_timed_out)

    def _head_timed_out(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if self.saw_bytes:
            self.answer_and_close(plain_answer(408, "Request Timeout", "request_timeout",
                                               f"the request head did not arrive within {self.limits.header_timeout:g} s"))
        else:
            self.transport.close()

    def _body_timed_out(self) -> None:
        self._timer = None
        if not self.transport.is_closing():
            self.transport.close()

    # -- sizes ----------------------------------------------------------------------------------
    def count_head(self, size: int) -> bool:
        """Add `size` bytes of request head; False once the head is over the limit."""
        self.head_bytes += size
        if self.head_bytes > self.limits.max_header_bytes:
            self.overflowed = True
        return not self.overflowed

    def too_large_answer(self) -> bytes:
        return plain_answer(431, "Request Header Fields Too Large", "header_too_large",
                            f"the request line and headers exceed {self.limits.max_header_bytes} bytes")

    # -- closing --------------------------------------------------------------------------------
    def answer_and_close(self, answer: bytes) -> None:
        """Write `answer`, stop writing, and close once the client stops sending (or soon)."""
        self.cancel()
        self.lingering = True
        self.transport.write(answer)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._timer = self.loop.call_later(LINGER_SECONDS, self.transport.close)

    @property
    def waiting_for_request(self) -> bool:
        return not self.saw_bytes and not self.lingering


class ConnectionControl:
    """Lets a fault rule end a real TCP connection (middleware/faults.py); the serving protocol
    puts one in each request's scope under context.CONNECTION."""

    def __init__(self, transport: Any) -> None:
        self._transport = transport

    def drop(self) -> None:
        self._transport.close()

    def reset(self) -> None:
        sock = self._transport.get_extra_info("socket")
        if sock is not None:
            try:  # linger 0: close() sends RST instead of FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self._transport.abort()
