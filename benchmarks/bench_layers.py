"""Where a GET-one's time goes, layer by layer, inside the process.

Usage: python benchmarks/bench_layers.py [--calls 2000] [--json out.json]

Builds the whole server in this process and calls its ASGI app directly (no socket, no HTTP
server) for one seeded record per vendor, as benchmarks/bench_get.py asks for it over HTTP:
first untimed calls to warm up, then `--calls` timed calls (the per-request time in-process),
then the same calls under cProfile, whose self time is grouped by the package it was spent in.
Each layer's share of the profile, times the unprofiled per-request time, estimates what that
layer costs a request. run.py puts it beside the p50 over HTTP: the difference is the HTTP
server (uvicorn, httptools, the socket) and the client.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from mockserver.app import create_app
from mockserver.config import Settings

# First match wins: (label, a fragment of the file's path).
LAYERS: list[tuple[str, str]] = [
    ("mockserver: vendor handlers and models", "/mockserver/vendors/"),
    ("mockserver: middlewares", "/mockserver/middleware/"),
    ("mockserver: core (routes, store, params, journal)", "/mockserver/core/"),
    ("mockserver: admin", "/mockserver/admin/"),
    ("mockserver: app, realms, context", "/mockserver/"),
    ("connexion (routing, security, parameter validation)", "/connexion/"),
    ("starlette", "/starlette/"),
    ("flask and werkzeug", "/flask/"),
    ("flask and werkzeug", "/werkzeug/"),
    ("jsonschema", "/jsonschema"),
    ("lxml", "/lxml/"),
]
OTHER = "Python and the rest (asyncio, stdlib, orjson, C builtins)"

App = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]],
               Awaitable[None]]


async def targets(app: App) -> dict[str, tuple[str, str, dict[str, str]]]:
    """(path, query, headers) of one seeded record per vendor, found the way a client would."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        users = await client.get("/litmos/v1.svc/users", params={"source": "bench", "format": "json", "limit": 1},
                                 headers={"apikey": "litmos-demo-key"})
        litmos_id = users.json()[0]["Id"]
        login = await client.post("/tesla/api/v2/auth/login",
                                  json={"email": "admin@tesla.example", "password": "tesla-admin"})
        token = login.json()["token"]["access_token"]
    return {
        "titus GET one": ("/titus/api/v1/user/5", "", {"authorization": "Bearer titus-admin-token"}),
        "litmos GET one (JSON)": (f"/litmos/v1.svc/users/{litmos_id}", "source=bench&format=json",
                                  {"apikey": "litmos-demo-key"}),
        "litmos GET one (XML)": (f"/litmos/v1.svc/users/{litmos_id}", "source=bench", {"apikey": "litmos-demo-key"}),
        "tesla GET one": ("/tesla/api/v2/institution/1/", "", {"authorization": f"JWT {token}"}),
    }


def scope_of(path: str, query: str, headers: dict[str, str]) -> dict[str, Any]:
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"127.0.0.1")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8080)}


async def call(app: App, scope: dict[str, Any]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def calls(app: App, scope: dict[str, Any], count: int) -> float:
    """Seconds for `count` calls one after another; every answer must be a 200. Each call gets
    its own copy of the scope, as from a server (the middlewares write into it)."""
    started = time.perf_counter()
    for _ in range(count):
        if await call(app, {**scope, "headers": list(scope["headers"])}) != 200:
            raise RuntimeError(f"{scope['path']} did not answer 200")
    return time.perf_counter() - started


def layer_of(filename: str) -> str:
    for label, fragment in LAYERS:
        if fragment in filename:
            return label
    return OTHER


def measure(count: int = 2000) -> dict[str, dict[str, float]]:
    app = create_app(Settings(log_level="warning", litmos_rate_limit="1000000000/60s"))
    loop = asyncio.new_event_loop()
    try:
        cases = loop.run_until_complete(targets(app))
        results: dict[str, dict[str, float]] = {}
        for label, (path, query, headers) in cases.items():
            scope = scope_of(path, query, headers)
            loop.run_until_complete(calls(app, scope, 200))
            plain_ms = loop.run_until_complete(calls(app, scope, count)) * 1000 / count
            profile = cProfile.Profile()
            profile.enable()
            loop.run_until_complete(calls(app, scope, count))
            profile.disable()
            spent: dict[str, float] = {}
            stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
            for (filename, _, _), (_, _, self_time, _, _) in stats.items():
                spent[layer_of(filename)] = spent.get(layer_of(filename), 0.0) + self_time
            total = sum(spent.values()) or 1.0
            results[label] = {"in_process_ms": plain_ms,
                              **{layer: plain_ms * seconds / total for layer, seconds in
                                 sorted(spent.items(), key=lambda item: -item[1])}}
        return results
    finally:
        loop.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, choices=range(100, 100_001), metavar="100..100000")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = measure(args.calls)
    for label, layers in results.items():
        print(f"{label}: {layers['in_process_ms']:.3f} ms a request in-process")
        for layer, ms in layers.items():
            if layer != "in_process_ms":
                print(f"  {ms:7.3f} ms  {layer}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
