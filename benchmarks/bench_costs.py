"""What a test suite pays the mock per test: start, reset, a new namespace, and the pytest plugin.

Usage: python benchmarks/bench_costs.py [--rounds 3] [--extra-users 20000] [--json out.json]

Starts `mockserver run` on free loopback ports (only 127.0.0.1 is contacted; every loop is
bounded) and measures, each as a median:
- start: process start to a healthy `/__admin/health`, and the server's RSS then;
- reset: `POST /__admin/reset` over one kept-alive connection, with the default fixtures and
  with `--extra-users` more Titus users in the seed;
- namespace: the first request into a new namespace against the same request in a known one,
  and the memory each namespace that has written nothing adds;
- plugin: what pytest itself times for empty tests taking `lms_mock` against the same tests without it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from statistics import median

import yaml

from bench_get import HOST, free_port, stop, wait_until

REPO = Path(__file__).resolve().parent.parent
TITUS_USER = "/titus/api/v1/user/5"
TITUS_AUTH = {"Authorization": "Bearer titus-admin-token"}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def server(*args: str, timeout: float = 60, env: dict[str, str] | None = None
           ) -> Iterator[tuple[subprocess.Popen[bytes], int, float]]:
    """A running mock on a free port: (process, port, seconds from start to healthy)."""
    port = free_port()
    command = [sys.executable, "-m", "mockserver", "run", "--host", HOST, "--port", str(port),
               "--log-level", "warning", *args]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=None if env is None else {**os.environ, **env})
    try:
        # Asked every 5 ms with a bare http.client call, so the start is timed to a few ms.
        if not wait_until(lambda: healthy(port), timeout, lambda: proc.poll() is not None, interval=0.005):
            raise RuntimeError(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
        yield proc, port, time.perf_counter() - started
    finally:
        stop(proc)


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=1)
        conn.request("GET", "/__admin/health")
        return conn.getresponse().status == 200
    except OSError:
        return False


def timed(conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str],
          expect: int = 200) -> float:
    """Milliseconds for one request and its whole answer."""
    started = time.perf_counter()
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != expect:
        raise RuntimeError(f"{method} {path}: {response.status}")
    return elapsed


def per_request_costs(port: int, pid: int, namespaces: int) -> dict[str, float]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    for _ in range(20):
        timed(conn, "GET", TITUS_USER, TITUS_AUTH)
        timed(conn, "POST", "/__admin/reset", {})
    reset = median(timed(conn, "POST", "/__admin/reset", {}) for _ in range(100))
    normal = median(timed(conn, "GET", TITUS_USER, TITUS_AUTH) for _ in range(300))
    before = rss_mib(pid)
    first = [timed(conn, "GET", f"/ns/bench-{i}{TITUS_USER}", TITUS_AUTH) for i in range(namespaces)]
    after = rss_mib(pid)
    again = median(timed(conn, "GET", f"/ns/bench-0{TITUS_USER}", TITUS_AUTH) for _ in range(300))
    return {"reset_ms": reset, "get_ms": normal, "namespace_first_ms": median(first),
            "namespace_get_ms": again, "namespace_extra_ms": median(first) - normal,
            "namespace_mib": (after - before) / namespaces}


def big_fixtures(folder: Path, extra: int) -> Path:
    """A fixtures folder whose Titus seed has `extra` more users (the other vendors packaged)."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = yaml.safe_load((REPO / "fixtures" / "titus.yaml").read_text())
    template = dict(seed["generated_users"][0])
    seed["generated_users"] = seed["generated_users"] + [
        {**template, "id": 100_000 + n, "username": f"bench.user{n}", "email": f"bench.user{n}@example.org",
         "idnumber": f"BENCH{n:06d}"} for n in range(extra)]
    (folder / "titus.yaml").write_text(json.dumps(seed))  # JSON is YAML, and much faster to write
    return folder


PLUGIN_TESTS = """
import pytest

@pytest.mark.parametrize("n", range(COUNT))
def test_with_lms_mock(lms_mock, n):
    pass

@pytest.mark.parametrize("n", range(COUNT))
def test_plain(n):
    pass
"""

DURATIONS_CONFTEST = """
import json, os, time
from collections import defaultdict

spent = defaultdict(float)


def pytest_runtest_logreport(report):
    spent[report.nodeid.split("[")[0]] += report.duration  # setup + call + teardown


def pytest_sessionfinish(session):
    with open(os.environ["BENCH_DURATIONS"], "w") as out:
        json.dump(spent, out)
"""


def plugin_overhead(count: int = 300) -> dict[str, float]:
    """Milliseconds per test the `lms_mock` fixture adds (setup + reset + teardown), from pytest's
    own durations in one session: `count` empty tests taking it against `count` that do not. The
    session's first `lms_mock` test (which starts the server) runs before and is not counted."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "pytest.ini").write_text("[pytest]\n")
        (folder / "conftest.py").write_text(DURATIONS_CONFTEST)
        (folder / "test_0_start.py").write_text("def test_start(lms_mock):\n    pass\n")
        (folder / "test_costs.py").write_text(PLUGIN_TESTS.replace("COUNT", str(count)))
        out = folder / "durations.json"
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                        "-p", "no:randomly", "."], cwd=folder, check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "BENCH_DURATIONS": str(out)})
        spent = json.loads(out.read_text())
    mock, plain = spent["test_costs.py::test_with_lms_mock"], spent["test_costs.py::test_plain"]
    return {"plugin_per_test_ms": (mock - plain) * 1000 / count, "plain_test_ms": plain * 1000 / count}


START_STEPS = """
import json, logging, sys, time
started = time.perf_counter()
import mockserver.app
imported = time.perf_counter()
import mockserver.core.progress as progress
from mockserver.config import Settings
marks = []
class Mark(logging.Handler):
    def emit(self, record):
        marks.append((record.getMessage(), time.perf_counter()))
log = logging.getLogger("mockserver.startup")
log.setLevel(logging.INFO)
log.addHandler(Mark())
steps = progress.StartupProgress(log, quiet_for=0.0)
time.sleep(0.05)  # the timer speaks first, so every step after it is marked
begun = time.perf_counter()
mockserver.app.create_app(Settings(log_level="warning"), steps)
steps.done()
spans = {"imports": imported - started}
names = [name for name, _ in marks[1:]]
times = [at for _, at in marks[1:]]
for name, at, end in zip(names, times, times[1:]):
    group = "seeds" if " seed: " in name else name
    spans[group] = spans.get(group, 0.0) + end - at
print(json.dumps(spans))
"""


def start_steps() -> dict[str, float]:
    """Where a start's time goes, in a fresh process with the packaged seed: the imports, then
    each step the start names (core/progress.py), the three seeds summed."""
    out = subprocess.run([sys.executable, "-c", START_STEPS], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    return {f"start_{name.replace(' ', '_')}_s": seconds for name, seconds in json.loads(out).items()}


def huge_start(users: int) -> dict[str, float]:
    """Start to healthy with `users` more Titus users, twice: the first start checks every seed
    record (a parse cache of its own, empty), the second finds them checked before."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = big_fixtures(Path(scratch) / "fixtures", users)
        env = {"MOCKSERVER_CACHE_DIR": str(Path(scratch) / "cache")}
        results: dict[str, float] = {"huge_users": users}
        for label in ("first", "again"):
            with server("--vendor", "titus", "--fixtures", str(folder), timeout=300, env=env) as (proc, _, seconds):
                results[f"huge_start_{label}_s"] = seconds
                results["huge_rss_mib"] = rss_mib(proc.pid)
    return results


def measure(rounds: int, extra_users: int, namespaces: int, huge_users: int = 0) -> dict[str, float]:
    results: dict[str, float] = {}
    starts, rss = [], []
    for _ in range(rounds + 1):  # the first start is the cold one
        with server() as (proc, _, seconds):
            starts.append(seconds)
            rss.append(rss_mib(proc.pid))
    results.update(start_cold_s=starts[0], start_warm_s=median(starts[1:]), rss_at_start_mib=median(rss))
    results.update(start_steps())
    with server() as (proc, port, _):
        results.update(per_request_costs(port, proc.pid, namespaces))
    with tempfile.TemporaryDirectory() as scratch:
        folder = big_fixtures(Path(scratch), extra_users)
        with server("--fixtures", str(folder), timeout=120) as (proc, port, seconds):
            big = per_request_costs(port, proc.pid, namespaces)
            results.update({f"big_{key}": value for key, value in big.items()})
            results.update(big_start_s=seconds, big_rss_mib=rss_mib(proc.pid), extra_users=extra_users)
    results.update(plugin_overhead())
    if huge_users:
        results.update(huge_start(huge_users))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, choices=range(1, 11), metavar="1..10")
    parser.add_argument("--extra-users", type=int, default=20_000, choices=range(0, 200_001), metavar="0..200000")
    parser.add_argument("--namespaces", type=int, default=50, choices=range(1, 61), metavar="1..60")
    parser.add_argument("--huge-users", type=int, default=100_000, choices=range(0, 200_001), metavar="0..200000",
                        help="also time a Titus-only start with this many more users (0: skip)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = measure(args.rounds, args.extra_users, args.namespaces, args.huge_users)
    for key, value in results.items():
        print(f"{key:28} {value:10.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
