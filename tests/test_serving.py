"""The HTTP layer: vendor reason phrases on the status line, inline WSGI bridge."""

from __future__ import annotations

import asyncio

from mockserver.core.wsgi_inline import InlineWSGI
from mockserver.serving import _ReasonTransport, rewrite_head


def test_reason_header_becomes_the_status_line_and_disappears() -> None:
    head = b"HTTP/1.1 409 Conflict\r\ncontent-type: application/json\r\nx-mockserver-reason: UserName already exists\r\ncontent-length: 2\r\n\r\n"
    assert rewrite_head(head) == (
        b"HTTP/1.1 409 UserName already exists\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n"
    )


def test_heads_without_the_marker_and_bodies_pass_untouched() -> None:
    written: list[bytes] = []

    class Sink:
        def write(self, data: bytes) -> None:
            written.append(data)

        def get_extra_info(self, name: str) -> str:
            return f"info:{name}"

    transport = _ReasonTransport(Sink())  # type: ignore[arg-type]
    plain = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"
    body = b'{"x-mockserver-reason: no": 1}'
    transport.write(plain)
    transport.write(body)
    assert written == [plain, body]
    assert transport.get_extra_info("peername") == "info:peername"


def test_inline_wsgi_runs_the_app_on_the_calling_task_and_sends_its_answer() -> None:
    seen: dict[str, object] = {}

    def app(environ, start_response):
        seen["body"] = environ["wsgi.input"].read()
        seen["path"] = environ["PATH_INFO"]
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-Thing", "1")])
        return [b"made"]

    messages = iter([{"type": "http.request", "body": b"ab", "more_body": True}, {"type": "http.request", "body": b"c"}])
    sent: list[dict] = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/x", "query_string": b"", "headers": [], "http_version": "1.1"}
    asyncio.run(InlineWSGI(app)(scope, receive, send))
    assert seen == {"body": b"abc", "path": "/x"}
    assert sent[0]["status"] == 201 and (b"x-thing", b"1") in sent[0]["headers"]
    assert sent[1]["body"] == b"made"
