"""A synchronous httpx client that runs the ASGI app in the calling thread.

Starlette's TestClient runs every request of a client used outside a `with` block through a new
blocking portal: a new thread with a new event loop, then about ten hand-offs between that thread
and the test's for one request. That was ~6 ms of a 7 ms health check, and most of the unit
suite's time. Here each request runs the app in the test's own thread, on an event loop the
client keeps for that thread: whatever the app leaves pending is cancelled when it answers, as
`asyncio.run` (and TestClient) would, without a thread, and without a new loop per request (its
selector and wake-up socket pair were half of what this client added to a request). What the app sees is what TestClient gives it: the same
scope (client `testclient:50000`, server `testserver:80`, `http.response.debug`), the body in one
`http.request` message, then `http.disconnect` once the answer is complete.

The answer is read whole before the client gets it (no streaming): the mock's answers are finite.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any
from urllib.parse import unquote

import httpx
from starlette.types import ASGIApp, Message

DEFAULT_PORTS = {"http": 80, "https": 443}


class InlineASGITransport(httpx.BaseTransport):
    """Each request: one `asyncio.run` of the app in this thread, the answer collected whole."""

    def __init__(self, app: ASGIApp, raise_server_exceptions: bool = True,
                 client: tuple[str, int] = ("testclient", 50000)) -> None:
        self.app = app
        self.raise_server_exceptions = raise_server_exceptions
        self.client = client
        self._local = threading.local()  # each thread's event loop
        self._loops: list[asyncio.AbstractEventLoop] = []

    def _run(self, coroutine: Any) -> None:
        """`asyncio.run(coroutine)` on this thread's kept loop: what is still pending when it
        ends (a task the app started) is cancelled and awaited, as asyncio.run does."""
        loop = getattr(self._local, "loop", None)
        if loop is None:
            loop = self._local.loop = asyncio.new_event_loop()
            self._loops.append(loop)
        try:
            loop.run_until_complete(coroutine)
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))

    def close(self) -> None:
        for loop in self._loops:
            if not loop.is_closed() and not loop.is_running():
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
                loop.close()
        self._loops.clear()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        headers = [] if "host" in request.headers else [(b"host", url.netloc)]
        headers += [(key.lower().encode(), value.encode()) for key, value in request.headers.multi_items()]
        scope = {
            "type": "http", "http_version": "1.1", "method": request.method,
            "path": unquote(url.path), "raw_path": url.raw_path.split(b"?", 1)[0], "root_path": "",
            "scheme": url.scheme, "query_string": url.query, "headers": headers, "client": self.client,
            "server": [url.raw_host.decode("ascii"), url.port or DEFAULT_PORTS[url.scheme]],
            "extensions": {"http.response.debug": {}}, "state": {},
        }
        body = request.read()
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def run() -> None:
            complete = asyncio.Event()
            request_sent = False

            async def receive() -> Message:
                nonlocal request_sent
                if request_sent:  # a second receive waits for the answer, then the client leaves
                    await complete.wait()
                    return {"type": "http.disconnect"}
                request_sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            async def send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    assert not start, 'two "http.response.start" messages'
                    start.update(status=message["status"], headers=[
                        (key.decode(), value.decode()) for key, value in message.get("headers", [])])
                elif message["type"] == "http.response.body":
                    assert start and not complete.is_set(), '"http.response.body" out of order'
                    chunks.append(bytes(message.get("body", b"")))
                    if not message.get("more_body", False):
                        complete.set()

            await self.app(scope, receive, send)

        try:
            self._run(run())
        except Exception:
            if self.raise_server_exceptions:
                raise
            if not start:  # as TestClient: an app that fails before answering is an empty 500
                return httpx.Response(500, stream=httpx.ByteStream(b""), request=request)
        if not start:
            raise AssertionError("the app returned without sending a response")
        content = b"" if request.method == "HEAD" else b"".join(chunks)
        # A stream, not content=: httpx would add a Content-Length the app did not send.
        return httpx.Response(start["status"], headers=start["headers"], stream=httpx.ByteStream(content),
                              request=request)


class InlineClient(httpx.Client):
    """TestClient's defaults (base URL http://testserver, redirects followed, user-agent testclient,
    server errors raised unless told otherwise) over `InlineASGITransport`; `.app` is the app."""

    def __init__(self, app: ASGIApp, raise_server_exceptions: bool = True, base_url: str = "http://testserver",
                 **kwargs: Any) -> None:
        self.app = app
        headers = {"user-agent": "testclient", **kwargs.pop("headers", {})}
        super().__init__(transport=InlineASGITransport(app, raise_server_exceptions), base_url=base_url,
                         follow_redirects=kwargs.pop("follow_redirects", True), headers=headers, **kwargs)
