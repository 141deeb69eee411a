"""GET of one record per vendor: the mock against a bare Starlette app, in the same run.

Usage: python benchmarks/bench_get.py [--duration 5] [--vendors titus,litmos,tesla]

Needs `wrk` (Debian package `wrk`). Starts `mockserver run` on a free loopback port, takes the
exact bytes it answers for one record, starts benchmarks/baseline_app.py returning those bytes,
and drives both with wrk at concurrency 32 and 1 (one wrk thread). Where `taskset` exists the
server is pinned to CPU 0 and wrk to CPU 1, so each server gets one core, as measured in the
issue. Prints req/s, p50 and p99 latency, and the ratio of the mock's req/s to Starlette's.
Only 127.0.0.1 is ever contacted; every run is bounded by --duration.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from statistics import median
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def pinned(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def wait_until(ready: Callable[[], bool], timeout: float, gone: Callable[[], bool] = lambda: False,
               interval: float = 0.1) -> bool:
    """Ask `ready` every `interval` seconds: True once it says so, False if `gone` (the process
    died) or `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not ready():
        if gone() or time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def answers(url: str, any_status: bool = True) -> bool:
    """Whether `url` answers: with any status (a peer may want credentials there), or only 2xx."""
    try:
        urllib.request.urlopen(url, timeout=1).read()
        return True
    except urllib.error.HTTPError:
        return any_status
    except Exception:
        return False


@contextmanager
def process(command: list[str], ready_url: str, env: dict[str, str] | None = None):
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    try:
        if not wait_until(lambda: answers(ready_url), 20, lambda: proc.poll() is not None):
            raise RuntimeError(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Ask a process to end; kill it if it has not within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def request(url: str, headers: dict[str, str], data: bytes | None = None) -> tuple[bytes, str]:
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=5) as response:
        return response.read(), response.headers.get("Content-Type", "")


def target(base: str, vendor: str) -> tuple[str, dict[str, str]]:
    """The URL of one seeded record of `vendor` and the headers a client sends for it."""
    if vendor == "titus":
        return f"{base}/titus/api/v1/user/5", {"Authorization": "Bearer titus-admin-token"}
    if vendor == "litmos":
        users, _ = request(f"{base}/litmos/v1.svc/users?source=bench&format=json&limit=1", {"apikey": "litmos-demo-key"})
        return f"{base}/litmos/v1.svc/users/{json.loads(users)[0]['Id']}?source=bench", {"apikey": "litmos-demo-key"}
    login = json.dumps({"email": "admin@tesla.example", "password": "tesla-admin"}).encode()
    body, _ = request(f"{base}/tesla/api/v2/auth/login", {"Content-Type": "application/json"}, login)
    token = json.loads(body)["token"]["access_token"]
    return f"{base}/tesla/api/v2/institution/1/", {"Authorization": f"JWT {token}"}


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_PCT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, headers: dict[str, str], connections: int, duration: int,
        script: str | None = None) -> dict[str, float]:
    """wrk's req/s, p50 and p99 (ms) and non-2xx count; `script`: a Lua file making each request."""
    command = [*pinned(1), "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 30).stdout
    rps = WRK_RPS.search(output)
    percentiles = {p: float(v) * UNIT_MS[u] for p, v, u in WRK_PCT.findall(output)}
    if not rps or "50" not in percentiles:
        raise RuntimeError(f"could not read wrk output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(rps.group(1)), "p50": percentiles["50"], "p99": percentiles.get("99", float("nan")),
            "non2xx": float(errors.group(1)) if errors else 0.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds before each run (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="mock/baseline pairs per case; medians are shown (default 3)")
    parser.add_argument("--vendors", default="titus,litmos,tesla")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("bench_get: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    vendors = args.vendors.split(",")
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = [*pinned(0), sys.executable, "-m", "mockserver", "run", "--port", str(port), "--log-level", "warning",
              "--litmos-rate-limit", "1000000000/60s"]
    results: dict[tuple[str, int], list[tuple[dict[str, float], dict[str, float]]]] = {}
    with process(server, f"{base}/__admin/health"), tempfile.TemporaryDirectory() as tmp, ExitStack() as baselines:
        plan = {}
        for vendor in vendors:
            url, headers = target(base, vendor)
            body, content_type = request(url, headers)
            body_file = Path(tmp) / f"{vendor}.body"
            body_file.write_bytes(body)
            baseline_port = free_port()
            baseline_url = f"http://{HOST}:{baseline_port}/record"
            env = {"BASELINE_BODY_FILE": str(body_file), "BASELINE_CONTENT_TYPE": content_type}
            command = [*pinned(0), sys.executable, str(HERE / "baseline_app.py"), str(baseline_port)]
            baselines.enter_context(process(command, baseline_url, env))
            plan[vendor] = (url, headers, baseline_url)
        # Each mock run is followed at once by its baseline run, so drift in the machine's speed
        # moves both sides of a ratio alike; with several rounds the median is reported.
        for vendor in vendors:
            url, headers, baseline_url = plan[vendor]
            for connections in (32, 1):
                for _ in range(args.rounds):
                    # A short unmeasured run first: caches, the interpreter's specialisation and
                    # first-request work settle before either side is timed.
                    wrk(url, headers, connections, args.warmup)
                    mock = wrk(url, headers, connections, args.duration)
                    wrk(baseline_url, {}, connections, args.warmup)
                    baseline = wrk(baseline_url, {}, connections, args.duration)
                    results.setdefault((vendor, connections), []).append((mock, baseline))
    print(f"GET one record, wrk 1 thread, {args.duration}s per run, median of {args.rounds} rounds (latencies in ms)")
    print(f"{'vendor':<8}{'conc':>5}{'mock req/s':>12}{'p50':>8}{'p99':>8}{'starlette req/s':>17}{'p50':>8}{'p99':>8}{'ratio':>8}")
    for vendor in vendors:
        for connections in (32, 1):
            rounds = results[(vendor, connections)]
            mock = {key: median(m[key] for m, _ in rounds) for key in ("rps", "p50", "p99", "non2xx")}
            base_run = {key: median(b[key] for _, b in rounds) for key in ("rps", "p50", "p99")}
            ratio = median(m["rps"] / b["rps"] for m, b in rounds)
            flag = "" if mock["non2xx"] == 0 else f"  ({int(mock['non2xx'])} non-2xx!)"
            print(f"{vendor:<8}{connections:>5}{mock['rps']:>12.0f}{mock['p50']:>8.2f}{mock['p99']:>8.2f}"
                  f"{base_run['rps']:>17.0f}{base_run['p50']:>8.2f}{base_run['p99']:>8.2f}{ratio:>8.3f}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
