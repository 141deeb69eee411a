"""`mockserver record`: a proxy on a local port that forwards each request to the real vendor and
writes the exchange down (recording.py), credentials redacted before the line is written.

The team points its client at the proxy instead of the vendor's base URL; every request is sent
on to `target` + the same path and query, with the same method, headers (but the hop-by-hop ones
and Host) and body, and the vendor's answer comes back unchanged but for its transfer encoding:
the body is passed on decoded (no gzip), with its own Content-Length. HTTPS targets are verified
against the system's authorities, or `--target-ca FILE`; `--insecure` skips the check.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

import httpx

from .recording import body_record, exchange_line, redact_header_pairs, redact_query_in_place

# The hop-by-hop headers, and Host and Content-Length, which the client to the target sets itself.
NOT_FORWARDED = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                           "transfer-encoding", "upgrade", "host", "content-length"})
NOT_PASSED_BACK = NOT_FORWARDED | {"content-encoding"}  # the body is passed back decoded
MAX_REQUEST_BODY = 64 * 1024 * 1024


@dataclass(frozen=True)
class Target:
    """The vendor's base URL: scheme, host and port, and the path every request goes under."""

    url: str

    @classmethod
    def parse(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"target must be an http:// or https:// URL with a host, not {url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"target is a base URL: no query or fragment ({url!r})")
        return cls(url.rstrip("/"))

    def join(self, path: str, query: str) -> str:
        return f"{self.url}{path}{'?' + query if query else ''}"


def client_for(ca_file: str | None, insecure: bool, timeout: float) -> httpx.AsyncClient:
    verify: ssl.SSLContext | bool = True
    if insecure:
        verify = False
    elif ca_file:
        verify = ssl.create_default_context(cafile=ca_file)
    # trust_env off: the proxy talks to the target it was given, never through an environment proxy.
    return httpx.AsyncClient(verify=verify, timeout=timeout, trust_env=False, follow_redirects=False)


class RecordingProxy:
    """The ASGI app: forward, answer, write the exchange (one line, flushed at once)."""

    def __init__(self, vendor: str, target: Target, out: IO[str], client: httpx.AsyncClient) -> None:
        self.vendor = vendor
        self.target = target
        self.out = out
        self.client = client
        self.recorded = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await self._body(receive)
        if body is None:
            await self._answer(send, 413, b"recording proxy: request body over 64 MiB\n")
            return
        path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        request_pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        forwarded = [(k, v) for k, v in request_pairs if k.lower() not in NOT_FORWARDED]
        started, clock = time.time(), time.perf_counter()
        try:
            answer = await self.client.request(scope["method"], self.target.join(path, query),
                                               headers=forwarded, content=body)
        except httpx.HTTPError as exc:
            await self._answer(send, 502, f"recording proxy: {self.target.url} did not answer: {exc}\n".encode())
            return
        duration_ms = (time.perf_counter() - clock) * 1000
        content = answer.content
        headers = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in NOT_PASSED_BACK]
        await send({"type": "http.response.start", "status": answer.status_code,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
                    + [(b"content-length", str(len(content)).encode())]})
        await send({"type": "http.response.body", "body": content})
        self._write(scope["method"], path, query, request_pairs, body, answer, content, started, duration_ms)

    def _write(self, method: str, path: str, query: str, request_pairs: list[tuple[str, str]], body: bytes,
               answer: httpx.Response, content: bytes, started: float, duration_ms: float) -> None:
        request_headers = redact_header_pairs(request_pairs)
        response_headers = redact_header_pairs(answer.headers.multi_items())
        request = {"method": method, "path": path, "query": redact_query_in_place(query), "headers": request_headers,
                   **body_record(body, request_headers.get("content-type"))}
        response = {"status": answer.status_code, "headers": response_headers,
                    **body_record(content, response_headers.get("content-type"))}
        self.recorded += 1
        self.out.write(exchange_line(self.recorded, self.vendor, self.target.url, started, duration_ms,
                                     request, response))
        self.out.flush()

    @staticmethod
    async def _body(receive: Any) -> bytes | None:
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_REQUEST_BODY:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    @staticmethod
    async def _answer(send: Any, status: int, text: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(text)).encode())]})
        await send({"type": "http.response.body", "body": text})
