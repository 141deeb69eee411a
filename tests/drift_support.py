"""A stand-in vendor that has drifted: a proxy in front of a mock process that changes some of
its answers (a status, an XML element dropped or reordered, a date's format, a header dropped),
for the record -> compare tests. Imported as `from drift_support import ...`."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from server_support import free_port


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


Drift = Callable[[str, str, Answer], Answer]  # (method, path) -> the answer as the drifted vendor gives it


class DriftingVendor:
    """ASGI: forward to `upstream`, then let `drift` change the answer."""

    def __init__(self, upstream: str, drift: Drift) -> None:
        self.upstream = upstream
        self.drift = drift
        self.client = httpx.AsyncClient(trust_env=False, timeout=30)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        query = scope["query_string"].decode()
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k.lower() not in (b"host", b"content-length")]
        answer = await self.client.request(scope["method"], f"{self.upstream}{scope['path']}{'?' + query if query else ''}",
                                           headers=headers, content=body)
        drifted = self.drift(scope["method"], scope["path"], Answer(
            answer.status_code, {k: v for k, v in answer.headers.items() if k not in ("content-length", "content-encoding")},
            answer.content))
        await send({"type": "http.response.start", "status": drifted.status,
                    "headers": [(k.encode(), v.encode()) for k, v in drifted.headers.items()]
                    + [(b"content-length", str(len(drifted.body)).encode())]})
        await send({"type": "http.response.body", "body": drifted.body})


@contextmanager
def drifting_vendor(upstream: str, drift: Drift) -> Iterator[str]:
    """The drifted vendor served on a free loopback port for the block; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(DriftingVendor(upstream, drift), host="127.0.0.1", port=free_port(),
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


def swap_elements(body: bytes, first: str, second: str) -> bytes:
    """Each `<first>..</first><second>..</second>` pair in the other order."""
    pattern = rf"(<{first}>[^<]*</{first}>)(<{second}>[^<]*</{second}>)".encode()
    return re.sub(pattern, rb"\2\1", body)


def drop_element(body: bytes, name: str) -> bytes:
    return re.sub(rf"<{name}>[^<]*</{name}>|<{name}\s*/>".encode(), b"", body)
