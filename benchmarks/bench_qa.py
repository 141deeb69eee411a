"""What the QA toolkit costs per request, measured in-process (no network, no wrk).

Usage: python benchmarks/bench_qa.py [--requests 3000] [--rounds 3]

Calls the whole ASGI app (the middleware stack, Connexion, the vendor) directly, GET of one record
per vendor, and prints microseconds per request and the ratio to the plain request measured in the
same process: with 10 fault rules that never match, with 10 rules that need the body, through a
namespace (`/ns/bench/...`), and with `X-Mock-Delay: 0`. Nothing is sent over a socket.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import warnings
from typing import Any

warnings.filterwarnings("ignore")

from mockserver.app import create_app  # noqa: E402
from mockserver.config import Settings  # noqa: E402

CASES: dict[str, tuple[str, bytes, list[tuple[bytes, bytes]]]] = {
    "titus": ("/titus/api/v1/user/5", b"", [(b"authorization", b"Bearer titus-admin-token")]),
    "litmos": ("/litmos/v1.svc/users", b"source=bench&limit=1", [(b"apikey", b"litmos-demo-key")]),
    "tesla": ("/tesla/api/v2/institution/1/vle/1/", b"", []),  # 401 without a token: still the full path
}


def scope(path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *headers], "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8080)}


async def per_request(app: Any, path: str, query: bytes, headers: list[tuple[bytes, bytes]], count: int,
                      rounds: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        pass

    for _ in range(count // 10):  # warm-up
        await app(scope(path, query, headers), receive, send)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(count):
            await app(scope(path, query, headers), receive, send)
        best = min(best, (time.perf_counter() - started) / count)
    return best * 1e6


def add_rules(app: Any, body: bool) -> None:
    faults = app.runtime.default.faults
    faults.clear()
    for index in range(10):
        match: dict[str, Any] = {"vendor": "titus", "method": "POST", "path": f"/nowhere/{index}"}
        if body:
            match = {"body": {"never": index}}
        faults.add({"match": match, "action": {"type": "status", "status": 409}})


async def main(count: int, rounds: int) -> None:
    app = create_app(Settings(litmos_rate_limit="100000000/60s"))
    print(f"GET one record through the ASGI app, best of {rounds} x {count} requests (microseconds per request)")
    print(f"{'vendor':8}{'plain':>8}{'10 rules':>10}{'ratio':>7}{'10 body rules':>15}{'ratio':>7}"
          f"{'namespace':>11}{'ratio':>7}{'delay 0':>9}{'ratio':>7}")
    for name, (path, query, headers) in CASES.items():
        app.runtime.default.faults.clear()
        plain = await per_request(app, path, query, headers, count, rounds)
        add_rules(app, body=False)
        rules = await per_request(app, path, query, headers, count, rounds)
        add_rules(app, body=True)
        body_rules = await per_request(app, path, query, headers, count, rounds)
        app.runtime.default.faults.clear()
        spaced = await per_request(app, "/ns/bench" + path, query, headers, count, rounds)
        delayed = await per_request(app, path, query, [*headers, (b"x-mock-delay", b"0")], count, rounds)
        print(f"{name:8}{plain:8.0f}{rules:10.0f}{rules / plain:7.2f}{body_rules:15.0f}{body_rules / plain:7.2f}"
              f"{spaced:11.0f}{spaced / plain:7.2f}{delayed:9.0f}{delayed / plain:7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.rounds))
