"""The whole benchmark in one run: the mock against Prism, WireMock and a bare Starlette app, plus
the per-test costs. Writes benchmarks/results/<date>.md and .json.

Usage: python benchmarks/run.py [--duration 5] [--rounds 3] [--image] [--scratch DIR]

- Peers: Prism (@stoplight/prism-cli 5.14) and WireMock (3.13, run with the machine's Java) are
  installed from the npm registry into a scratch folder (default benchmarks/.peers, not in git);
  a peer that cannot be installed or started is skipped with a note in the results.
- Each server runs alone, pinned to CPU 0 (taskset), with wrk (one thread) pinned to CPU 1. Per
  round every server is measured in turn, so drift in the machine's speed moves all alike; the
  medians of the rounds are reported, and the ratios are taken within each round.
- GET one record: the mock for each vendor (Litmos in JSON and in XML); Prism quiet
  (`--verboseLevel warn`) on the Titus spec's GET /user/{id}; WireMock and Starlette answering the
  mock's own Titus bytes. Writes: a Titus JSON user create and a Litmos XML user create, each
  request a new user (a wrk Lua script numbers them), against that vendor's GET one.
- `--image`: also builds the Docker image (scripts/docker-smoke, which proves it first) and
  measures it the same way (`--cpuset-cpus 0`, host networking on a loopback port).
- Per-test costs: benchmarks/bench_costs.py (start, reset, namespaces, the pytest plugin).
Only 127.0.0.1 is ever contacted; every run is bounded by --duration and by timeouts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from statistics import median
from typing import Any

import bench_costs
import bench_layers
from bench_get import HERE, HOST, answers, free_port, pinned, process, request, stop, target, wait_until, wrk

REPO = HERE.parent
PRISM = "@stoplight/prism-cli@5.14"
WIREMOCK = "wiremock@3.13"
TITUS_AUTH = {"Authorization": "Bearer titus-admin-token"}
LITMOS_KEY = {"apikey": "litmos-demo-key"}
IMAGE = "lms-mockserver:smoke"  # what scripts/docker-smoke builds

# url, headers, and for a write a function giving a new wrk Lua script (None: a plain GET)
Case = tuple[str, dict[str, str], "Callable[[], str] | None"]
_RUNS = itertools.count(1)


def install_peers(scratch: Path, notes: list[str]) -> dict[str, list[str]]:
    """Command prefixes that start each peer (the port and spec follow), for those installed."""
    peers: dict[str, list[str]] = {}
    if not shutil.which("npm"):
        notes.append("Prism and WireMock skipped: npm is not installed.")
        return peers
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(["npm", "install", "--prefix", str(scratch), "--no-audit", "--no-fund", "--loglevel=error",
                        PRISM, WIREMOCK], check=True, capture_output=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        notes.append(f"Prism and WireMock skipped: npm install failed ({exc}).")
        return peers
    prism = scratch / "node_modules" / ".bin" / "prism"
    if prism.exists():
        peers["prism"] = [str(prism), "mock", "--verboseLevel", "warn", "--host", HOST]
    else:
        notes.append("Prism skipped: the npm package has no prism command.")
    jars = sorted((scratch / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
    if not shutil.which("java"):
        notes.append("WireMock skipped: java is not installed.")
    elif not jars:
        notes.append("WireMock skipped: the npm package holds no standalone jar.")
    else:
        peers["wiremock"] = ["java", "-jar", str(jars[-1]), "--bind-address", HOST, "--disable-request-logging",
                             "--no-request-journal", "--disable-banner"]
    return peers


def version_of(scratch: Path, package: str) -> str:
    try:
        return json.loads((scratch / "node_modules" / package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def script_maker(folder: Path, method: str, headers: dict[str, str], template: str) -> Callable[[], str]:
    """Each call writes a wrk script sending `template` with every `%d` replaced by a number new in
    each request of each wrk run (runs are numbered too), so no two requests create the same user."""
    def make() -> str:
        mark = f"{os.getpid()}x{next(_RUNS)}x"
        pieces = [json.dumps(piece) for piece in template.split("%d")]  # JSON strings read as Lua strings
        body = f" .. {json.dumps(mark)} .. counter .. ".join(pieces)
        lines = [f"wrk.headers[{json.dumps(key)}] = {json.dumps(value)}" for key, value in headers.items()]
        script = folder / f"{mark}.lua"
        script.write_text("\n".join([*lines, "counter = 0", "request = function()", "  counter = counter + 1",
                                     f'  return wrk.format("{method}", nil, nil, {body})', "end", ""]))
        return str(script)

    return make


def wrk_run(case: Case, connections: int, duration: int, warmup: int) -> dict[str, float]:
    """A short unmeasured run first (caches and the interpreter's specialisation settle), then the timed one."""
    url, headers, make_script = case
    if warmup:
        wrk(url, headers, connections, warmup, make_script() if make_script else None)
    return wrk(url, headers, connections, duration, make_script() if make_script else None)


@contextmanager
def mock_server(rate_limit: str = "1000000000/60s") -> Iterator[str]:
    port = free_port()
    base = f"http://{HOST}:{port}"
    command = [*pinned(0), sys.executable, "-m", "mockserver", "run", "--port", str(port), "--log-level", "warning",
               "--litmos-rate-limit", rate_limit]
    with process(command, f"{base}/__admin/health"):
        yield base


@contextmanager
def docker_daemon(notes: list[str]) -> Iterator[bool]:
    """A Docker daemon for the image's run: the one running, or dockerd started here (as root) and
    stopped at the end. False when there is none."""
    def docker_answers() -> bool:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0

    if not shutil.which("docker"):
        notes.append("Docker image skipped: docker is not installed.")
        yield False
        return
    if docker_answers():
        yield True
        return
    if not shutil.which("dockerd") or os.geteuid() != 0:
        notes.append("Docker image skipped: no Docker daemon answers, and none can be started here.")
        yield False
        return
    daemon = subprocess.Popen(["dockerd"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = wait_until(docker_answers, 60, lambda: daemon.poll() is not None, interval=0.5)
        if not started:
            notes.append("Docker image skipped: dockerd did not start.")
        yield started
    finally:
        stop(daemon, timeout=30)


def build_image(notes: list[str]) -> bool:
    """The image as scripts/docker-smoke builds and proves it (base image, offline wheelhouse), kept."""
    built = subprocess.run(["bash", str(REPO / "scripts" / "docker-smoke")], cwd=REPO, capture_output=True,
                           text=True, timeout=3600, env={**os.environ, "SMOKE_KEEP_IMAGE": "1"})
    if built.returncode != 0:
        notes.append(f"Docker image skipped: scripts/docker-smoke failed ({built.stderr.strip()[-300:]}).")
    return built.returncode == 0


@contextmanager
def docker_mock(notes: list[str]) -> Iterator[str | None]:
    """The built image, run on CPU 0 with host networking on a loopback port; None when it cannot be."""
    port = free_port()
    name = f"lms-mockserver-bench-{os.getpid()}-{next(_RUNS)}"
    started = subprocess.run(["docker", "run", "-d", "--rm", "--name", name, "--cpuset-cpus", "0", "--network", "host",
                              "-e", "MOCKSERVER_HOST=127.0.0.1", "-e", f"MOCKSERVER_PORT={port}",
                              "-e", "MOCKSERVER_LITMOS_RATE_LIMIT=1000000000/60s", IMAGE],
                             capture_output=True, text=True, timeout=120)
    if started.returncode != 0:
        notes.append(f"Docker image skipped: it did not start ({started.stderr.strip()[-300:]}).")
        yield None
        return
    base = f"http://{HOST}:{port}"
    try:
        if not wait_until(lambda: answers(f"{base}/__admin/health", any_status=False), 60):
            raise RuntimeError("the container did not answer its health check")
        yield base
    finally:
        subprocess.run(["docker", "stop", "-t", "5", name], capture_output=True, timeout=60)


def mock_cases(base: str, scripts: Path) -> dict[str, Case]:
    titus_url, titus_headers = target(base, "titus")
    litmos_url, litmos_headers = target(base, "litmos")
    tesla_url, tesla_headers = target(base, "tesla")
    titus_user = ('{"username": "bench.%d", "firstname": "Bench", "lastname": "User", '
                  '"email": "bench.%d@example.org"}')
    litmos_user = ("<User><UserName>bench.%d@example.org</UserName><FirstName>Bench</FirstName>"
                   "<LastName>User</LastName></User>")
    return {
        "titus GET one": (titus_url, titus_headers, None),
        "litmos GET one (JSON)": (litmos_url + "&format=json", litmos_headers, None),
        "litmos GET one (XML)": (litmos_url, litmos_headers, None),
        "tesla GET one": (tesla_url, tesla_headers, None),
        "titus JSON create": (f"{base}/titus/api/v1/user", {}, script_maker(
            scripts, "POST", {**TITUS_AUTH, "Content-Type": "application/json"}, titus_user)),
        "litmos XML create": (f"{base}/litmos/v1.svc/users?source=bench", {}, script_maker(
            scripts, "POST", {**LITMOS_KEY, "Content-Type": "application/xml"}, litmos_user)),
    }


def measure_round(peers: dict[str, list[str]], scratch: Path, duration: int, warmup: int,
                  image: bool, notes: list[str]) -> dict[str, dict[str, dict[str, float]]]:
    """One round: every server alone in turn; {server/case: {"c32": wrk figures, "c1": ...}}."""
    out: dict[str, dict[str, dict[str, float]]] = {}

    def both(label: str, case: Case) -> None:
        out[label] = {f"c{c}": wrk_run(case, c, duration, warmup) for c in (32, 1)}

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with mock_server() as base:
            cases = mock_cases(base, folder)
            for label, case in cases.items():
                both(f"mock: {label}", case)
            body, content_type = request(cases["titus GET one"][0], TITUS_AUTH)
        body_file = folder / "titus.body"
        body_file.write_bytes(body)
        env = {"BASELINE_BODY_FILE": str(body_file), "BASELINE_CONTENT_TYPE": content_type}
        port = free_port()
        with process([*pinned(0), sys.executable, str(HERE / "baseline_app.py"), str(port)],
                     f"http://{HOST}:{port}/record", env):
            both("starlette: GET one", (f"http://{HOST}:{port}/record", {}, None))
        if "prism" in peers:
            # Prism twice: on the Titus spec (the same operation, answered from its schema, with
            # the spec's security and parameters checked), and at its cheapest, on a one-path spec
            # whose example is the mock's own bytes.
            example = folder / "example.json"
            example.write_text(json.dumps(example_spec(json.loads(body))))
            for label, spec, path, headers in (
                    ("prism: GET one", REPO / "specs" / "titus" / "openapi.yaml", "/user/5", TITUS_AUTH),
                    ("prism (static example): GET one", example, "/record", {})):
                port = free_port()
                try:
                    with process([*pinned(0), *peers["prism"], "--port", str(port), str(spec)],
                                 f"http://{HOST}:{port}{path}", None):
                        both(label, (f"http://{HOST}:{port}{path}", headers, None))
                except RuntimeError as exc:
                    notes.append(f"Prism did not start: {exc}")
        if "wiremock" in peers:
            port = free_port()
            try:
                with process([*pinned(0), *peers["wiremock"], "--port", str(port)],
                             f"http://{HOST}:{port}/__admin/mappings", None):
                    stub = {"request": {"method": "GET", "url": "/record"},
                            "response": {"status": 200, "body": body.decode(), "headers": {"Content-Type": content_type}}}
                    urllib.request.urlopen(urllib.request.Request(
                        f"http://{HOST}:{port}/__admin/mappings", data=json.dumps(stub).encode(),
                        headers={"Content-Type": "application/json"}, method="POST"), timeout=10).read()
                    both("wiremock: GET one", (f"http://{HOST}:{port}/record", {}, None))
            except RuntimeError as exc:
                notes.append(f"WireMock did not start: {exc}")
        if image:
            with docker_mock(notes) as base_url:
                if base_url is not None:
                    titus_url, titus_headers = target(base_url, "titus")
                    both("image: titus GET one", (titus_url, titus_headers, None))
    return out


def example_spec(answer: Any) -> dict[str, Any]:
    """A one-path OpenAPI document whose GET answers `answer` as its example (Prism's cheapest case)."""
    return {"openapi": "3.0.3", "info": {"title": "example", "version": "1"},
            "paths": {"/record": {"get": {"responses": {"200": {
                "description": "the record", "content": {"application/json": {"example": answer}}}}}}}}


def ratios(rounds: list[dict[str, dict[str, dict[str, float]]]]) -> dict[str, float]:
    """Median over rounds of mock req/s ÷ peer req/s (concurrency 32), taken within each round."""
    found: dict[str, list[float]] = {}
    for result in rounds:
        mocks = {label: runs["c32"]["rps"] for label, runs in result.items() if label.startswith(("mock:", "image:"))}
        peers = {label.split(":")[0]: runs["c32"]["rps"] for label, runs in result.items()
                 if label.split(":")[0] in ("prism", "prism (static example)", "wiremock", "starlette")}
        for mock_label, rps in mocks.items():
            for peer, peer_rps in peers.items():
                found.setdefault(f"{mock_label} ÷ {peer}", []).append(rps / peer_rps)
        for vendor, write in (("titus GET one", "titus JSON create"), ("litmos GET one (XML)", "litmos XML create")):
            if f"mock: {vendor}" in result and f"mock: {write}" in result:
                found.setdefault(f"mock: {write} ÷ its GET one", []).append(
                    result[f"mock: {write}"]["c32"]["rps"] / result[f"mock: {vendor}"]["c32"]["rps"])
    return {key: median(values) for key, values in found.items()}


def medians(rounds: list[dict[str, dict[str, dict[str, float]]]]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for label in rounds[0]:
        runs = [result[label] for result in rounds if label in result]
        table[label] = {"rps_c32": median(r["c32"]["rps"] for r in runs), "p50_c1_ms": median(r["c1"]["p50"] for r in runs),
                        "p99_c32_ms": median(r["c32"]["p99"] for r in runs),
                        "non2xx": max(r["c32"]["non2xx"] + r["c1"]["non2xx"] for r in runs)}
    return table


# (what, the figure's place in the result, at most or at least, the bound, unit)
TARGETS: list[tuple[str, tuple[str, ...], str, float, str]] = [
    ("reset, default seed", ("costs", "reset_ms"), "max", 5, "ms"),
    ("reset, 20,000 more users", ("costs", "big_reset_ms"), "max", 10, "ms"),
    ("first request into a new namespace, more than a normal one", ("costs", "namespace_extra_ms"), "max", 5, "ms"),
    ("the same with 20,000 more users", ("costs", "big_namespace_extra_ms"), "max", 5, "ms"),
    ("a namespace that wrote nothing", ("costs", "namespace_mib"), "max", 0.5, "MiB"),
    ("lms_mock per test", ("costs", "plugin_per_test_ms"), "max", 10, "ms"),
    ("start to healthy, first start", ("costs", "start_cold_s"), "max", 0.5, "s"),
    ("start to healthy, warm", ("costs", "start_warm_s"), "max", 0.5, "s"),
    ("RSS at start", ("costs", "rss_at_start_mib"), "max", 70, "MiB"),
    ("start with 100,000 more users, records never checked before", ("costs", "huge_start_first_s"), "max", 3, "s"),
    ("start with 100,000 more users, again", ("costs", "huge_start_again_s"), "max", 3, "s"),
]


def verdicts(result: dict[str, Any]) -> list[dict[str, str]]:
    """Each target of issue 16 beside its measured figure: met, or missed and by how much."""
    rows: list[dict[str, str]] = []

    def judge(target: str, value: float | None, kind: str, bound: float, unit: str) -> None:
        if value is None:
            rows.append({"target": target, "measured": "not measured", "verdict": "-"})
            return
        met = value <= bound if kind == "max" else value >= bound
        sign = "≤" if kind == "max" else "≥"
        verdict = "met" if met else f"missed by {abs(value - bound):,.2f} {unit} ({value / bound:.1f}× the bound)"
        rows.append({"target": f"{target} {sign} {bound:g} {unit}", "measured": f"{value:,.2f} {unit}",
                     "verdict": verdict})

    for what, (section, key), kind, bound, unit in TARGETS:
        judge(what, result.get(section, {}).get(key), kind, bound, unit)
    for key, value in result.get("ratios", {}).items():
        if key.endswith("÷ its GET one"):
            judge(key, value, "min", 0.5, "×")
        elif "GET one" in key and " ÷ prism" in key:
            judge(key, value, "min", 0.5, "×")
    for label, row in result.get("servers", {}).items():
        if label.startswith(("mock:", "image:")) and "GET one" in label:
            judge(f"{label}: p50 at one connection", row["p50_c1_ms"], "max", 0.2, "ms")
    return rows


def markdown(result: dict[str, Any]) -> str:
    lines = [f"# Benchmark {result['date']}", "",
             f"{result['machine']}; wrk 1 thread on CPU 1, each server alone on CPU 0; {result['duration']} s per "
             f"run, median of {result['rounds']} rounds. Prism {result['versions']['prism']}, WireMock "
             f"{result['versions']['wiremock']}. Command: `{result['command']}`.", "",
             "## Throughput and latency", "",
             "| server: case | req/s (32 connections) | p50 ms (1 connection) | p99 ms (32) | non-2xx |",
             "|---|---:|---:|---:|---:|"]
    for label, row in result["servers"].items():
        lines.append(f"| {label} | {row['rps_c32']:,.0f} | {row['p50_c1_ms']:.3f} | {row['p99_c32_ms']:.2f} | "
                     f"{int(row['non2xx'])} |")
    lines += ["", "## Ratios (within each round, then the median)", "", "| ratio | value |", "|---|---:|"]
    lines += [f"| {key} | {value:.2f} |" for key, value in result["ratios"].items()]
    lines += ["", "## Per-test costs (benchmarks/bench_costs.py)", "", "| figure | value |", "|---|---:|"]
    lines += [f"| {key} | {value:,.3f} |" for key, value in result["costs"].items()]
    if result.get("layers"):
        lines += ["", "## Where a GET-one's time goes (benchmarks/bench_layers.py)", "",
                  "In-process calls of the ASGI app (no socket), profiled; each layer's share of the profile's self "
                  "time times the unprofiled time. The HTTP server and client: the p50 over HTTP above less the "
                  "in-process time.", ""]
        for label, layers in result["layers"].items():
            http = result["servers"].get(f"mock: {label}", {}).get("p50_c1_ms")
            lines.append(f"- {label}: {layers['in_process_ms']:.3f} ms in-process"
                         + (f", {http - layers['in_process_ms']:.3f} ms more over HTTP (p50 {http:.3f})" if http else ""))
            lines += [f"  - {ms:.3f} ms {layer}" for layer, ms in layers.items() if layer != "in_process_ms"]
    if result.get("targets"):
        lines += ["", "## Targets (issue 16)", "", "| target | measured | verdict |", "|---|---:|---|"]
        lines += [f"| {row['target']} | {row['measured']} | {row['verdict']} |" for row in result["targets"]]
    if result["notes"]:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in result["notes"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, choices=range(1, 61), metavar="1..60")
    parser.add_argument("--warmup", type=int, default=2, choices=range(0, 31), metavar="0..30")
    parser.add_argument("--rounds", type=int, default=3, choices=range(1, 11), metavar="1..10")
    parser.add_argument("--scratch", type=Path, default=HERE / ".peers", help="where npm installs the peers")
    parser.add_argument("--image", action="store_true", help="also build and measure the Docker image")
    parser.add_argument("--skip-costs", action="store_true", help="leave out the per-test costs")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("run.py: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    notes: list[str] = []
    if not pinned(0):
        notes.append("taskset or a second CPU is missing: servers and wrk were not pinned.")
    peers = install_peers(args.scratch, notes)
    with docker_daemon(notes) if args.image else nullcontext(False) as docker:
        image = bool(docker) and build_image(notes)
        rounds = [measure_round(peers, args.scratch, args.duration, args.warmup, image, notes)
                  for _ in range(args.rounds)]
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "command": "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "duration": args.duration, "rounds": args.rounds,
        "versions": {"prism": version_of(args.scratch, "@stoplight/prism-cli"),
                     "wiremock": version_of(args.scratch, "wiremock")},
        "servers": medians(rounds), "ratios": ratios(rounds),
        "costs": {} if args.skip_costs else bench_costs.measure(args.rounds, 20_000, 50, 100_000),
        "layers": bench_layers.measure(),
        "notes": sorted(set(notes)), "rounds_raw": rounds,
    }
    result["targets"] = verdicts(result)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / result["date"]
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
