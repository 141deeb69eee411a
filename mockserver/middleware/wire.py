"""ASGI plumbing the middlewares share: writing a rendered answer, reading headers and bodies."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from ..core.errors import MockError
from ..vendors.base import WireResponse

REASON_HEADER = b"x-mockserver-reason"  # serving.py writes its value into the status line


async def send_wire(send: Send, response: WireResponse, head_only: bool = False) -> None:
    """Write a rendered answer as ASGI messages."""
    headers: list[tuple[bytes, bytes]] = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                                          for k, v in response.headers.items()]
    if response.content_type:
        headers.append((b"content-type", response.content_type.encode("latin-1")))
    headers.append((b"content-length", str(len(response.body)).encode()))
    if response.reason:
        headers.append((REASON_HEADER, response.reason.encode("latin-1", "replace")))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head_only else response.body})


def header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == name), None)


def content_length(scope: Scope) -> int | None:
    value = header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class BodyTooLarge(MockError):
    """Raised by the bounded receive (limits.py) when the body passes its limit."""


async def read_all(receive: Receive) -> tuple[bytes, MockError | None]:
    """The whole request body (through the bounded receive), or the 413 that stopped it."""
    body = bytearray()
    try:
        while True:
            message = await receive()
            body += message.get("body", b"")
            if message["type"] != "http.request" or not message.get("more_body", False):
                return bytes(body), None
    except BodyTooLarge as error:
        return bytes(body), error


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app a body read ahead, then whatever the connection says."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed
