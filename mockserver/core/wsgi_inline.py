"""Run a WSGI app on the event-loop thread.

Connexion's FlaskApp hands every request to a thread pool (a2wsgi). The mock's handlers are
short and CPU-bound, so that hop costs more than the work itself; measured on one core it was
half of the time per request. This bridge reuses a2wsgi's environ builder and calls the app
inline. Slow work must not run inside handlers; delays are done by awaiting, outside them.
"""

from __future__ import annotations

import io
from typing import Any

from a2wsgi.wsgi import build_environ
from starlette.types import Receive, Scope, Send


class InlineWSGI:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)

        environ = build_environ(scope, io.BytesIO(bytes(body)))  # type: ignore[arg-type]
        environ["wsgi.multithread"] = False
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return lambda data: None

        result = self.app(environ, start_response)
        try:
            payload = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()

        status, headers = started
        await send(
            {
                "type": "http.response.start",
                "status": int(status.split(" ", 1)[0]),
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
            }
        )
        await send({"type": "http.response.body", "body": payload})


async def _lifespan(receive: Receive, send: Send) -> None:
    """A WSGI app has nothing to start or stop: acknowledge both events."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
