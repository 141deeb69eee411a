"""`mockserver run ...`: start the mock. Every flag also reads `MOCKSERVER_<NAME>`."""

from __future__ import annotations

import argparse
import gc
import socket
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Connexion imports Starlette's test client, which warns about its httpx; nothing to act on.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from . import __version__  # noqa: E402
from .config import VENDOR_CHOICES, Settings, from_environ  # noqa: E402


DESCRIPTION = """\
lms-mockserver: a stateful mock of the Titus Connect, Litmos and TeSLA CE LMS APIs.

With --vendor all (the default) the APIs share one port under their own prefixes:
  Titus Connect  /titus/api/v1     Litmos  /litmos/v1.svc     TeSLA CE  /tesla/api/v2/...
With --vendor NAME only that API is served, at its real-world root (/api/v1, /v1.svc,
/api/v2/...), so a client with hard-coded paths only changes its host.
The mock's own control API is at /__admin (health, reset, journal, state, clock, faults,
scenarios, rate limits, namespaces); Swagger UI for each API at <prefix>/ui/.
Any URL prefixed with /ns/<name> runs against a namespace of its own (one per CI job).
QA headers on any vendor call: `Prefer: code=409` or `X-Mock-Status: 409`, `X-Mock-Delay: 250`.
"""

EPILOG = """\
Every option can also be set by an environment variable MOCKSERVER_<OPTION> (for example
MOCKSERVER_PORT=9000, MOCKSERVER_VENDOR=litmos); a flag wins over the variable.
Exit codes:
  0  run: stopped cleanly (SIGINT/SIGTERM); check: valid; health: the mock is up
  1  run: the server stopped on an error after it started; health: no healthy mock answered
  2  bad settings or arguments, invalid fixtures or scenarios (one line on stderr says which)
  3  run: cannot listen on --host/--port (the port is in use, or the address is not this machine's)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockserver", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"lms-mockserver {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "run", help="start the mock server", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check = commands.add_parser(
        "check", help="load and validate the fixtures and scenarios, then exit (0 valid, 2 not)",
        description="Build the whole mock as `run` would, without serving: every fixture is validated against "
                    "its spec and every scenario is applied once. Also fills the parse cache, so the next start "
                    "is faster.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for command in (run, check):
        add_server_options(command)
    health = commands.add_parser(
        "health", help="ask a running mock on this machine whether it is up (exit 0) or not (exit 1)",
        description="GET /__admin/health of the mock on --host/--port (MOCKSERVER_HOST/MOCKSERVER_PORT); "
                    "a host of 0.0.0.0 is asked on 127.0.0.1. For container health checks.",
    )
    record = commands.add_parser(
        "record", help="a proxy that forwards to the real vendor and records every exchange (credentials redacted)",
        description="Listen on --host/--port; forward every request to --target (the vendor's base URL) with "
                    "the same path, query, headers and body; answer with the vendor's answer; write each "
                    "exchange as one JSON line to --out, credentials, passwords and tokens redacted before "
                    "they are written (docs/drift.md).",
    )
    record.add_argument("--vendor", required=True, choices=[v for v in VENDOR_CHOICES if v != "all"],
                        help="which vendor the target is")
    record.add_argument("--target", required=True, metavar="URL", help="the vendor's base URL, http:// or https://")
    record.add_argument("--out", required=True, metavar="FILE", help="the recording (JSON lines; replaced)")
    record.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    record.add_argument("--port", type=int, default=8081, help="port to listen on (default 8081; 0: any free)")
    record.add_argument("--target-ca", metavar="FILE", help="PEM authorities to verify an HTTPS target with")
    record.add_argument("--insecure", action="store_true", help="do not verify an HTTPS target's certificate")
    record.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the target (default 60)")
    compare = commands.add_parser(
        "compare", help="replay a recording against the mock (or --against URL) and report what differs",
        description="Replay the recorded requests in order against a fresh namespace of a mock started here "
                    "(or --against any live base URL) and report, per exchange, where the answer differs from "
                    "the recorded one: status, content type, meaningful headers, body shape, date formats, "
                    "echoed values (docs/drift.md). Exit 0 when nothing differs, 1 when something does, 2 for "
                    "bad input.",
    )
    compare.add_argument("recording", metavar="FILE", help="a recording made by `mockserver record`")
    compare.add_argument("--against", metavar="URL", help="replay against this vendor base URL instead of the mock")
    compare.add_argument("--format", choices=("text", "json", "junit"), default="text", help="report format")
    compare.add_argument("--report", metavar="FILE", help="write the report here (default: standard output)")
    compare.add_argument("--ignore", action="append", default=[], metavar="NAME",
                         help="a JSON key, XML element or header name to leave out of the comparison; repeatable")
    compare.add_argument("--credentials", metavar="FILE", help="YAML credentials for the replay (docs/drift.md)")
    compare.add_argument("--fixtures", metavar="DIR", help="the mock's seed files (default: the packaged ones)")
    seed = commands.add_parser(
        "seed", help="write fixture files holding the records a recording's answers hold",
        description="Read every successful answer of a recording made by `mockserver record`, take the records "
                    "the vendor returned (the spec's x-seed-from rules say which), merge them over a base seed "
                    "(the packaged fixtures, or --fixtures) and write <vendor>.yaml into --out for each vendor "
                    "the recording holds, checked as `mockserver run` checks fixtures (docs/drift.md). Exit 0 "
                    "written, 2 for bad input or records the vendor's seed rules refuse (nothing is written).",
    )
    seed.add_argument("recording", metavar="FILE", help="a recording made by `mockserver record`")
    seed.add_argument("--out", required=True, metavar="DIR", help="the folder to write the seed files into "
                      "(made if missing); use it with `mockserver run --fixtures DIR`")
    seed.add_argument("--fixtures", metavar="DIR", help="the base seed the records are merged over "
                      "(default: the packaged fixtures; a vendor file it lacks comes from them)")
    seed.add_argument("--force", action="store_true", help="replace seed files already in --out")
    health.add_argument("--host", help="address the mock listens on (default 127.0.0.1)")
    health.add_argument("--port", type=int, help="its port (default 8080)")
    health.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for the answer (default 2)")
    health.add_argument("--https", action="store_true",
                        help="ask over HTTPS, the certificate unchecked (implied by MOCKSERVER_TLS_CERT)")
    return parser


def add_server_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    command.add_argument("--port", type=int, help="port to listen on, 1-65535, or 0 for any free port (default 8080)")
    command.add_argument("--vendor", choices=VENDOR_CHOICES, help="which API to serve (default all)")
    command.add_argument("--fixtures", help="directory with titus.yaml, litmos.yaml and/or tesla.yaml; a file it "
                         "lacks comes from the packaged fixtures (default: the packaged fixtures)")
    command.add_argument("--seed", type=int, help="seed for generated ids and values (default 1)")
    command.add_argument("--log-level", choices=("critical", "error", "warning", "info", "debug"),
                         help="default info: one access line per vendor request")
    command.add_argument("--log-format", choices=("text", "json"), help="text (default) or json, one object a line")
    command.add_argument("--framework-logs", action="store_true", default=None,
                         help="let Connexion, uvicorn and Werkzeug log at --log-level too (default: warnings only); "
                              "credentials are masked in every line either way")
    command.add_argument("--litmos-rate-limit", metavar="N/WINDOW",
                         help="Litmos requests per API key per rolling window (default 100/60s)")
    command.add_argument("--litmos-auth-status", type=int, choices=(401, 403),
                         help="status for a missing or bad Litmos API key (default 401)")
    command.add_argument("--admin-token", metavar="TOKEN",
                         help="require Authorization: Bearer TOKEN on every /__admin call but health "
                              "(prefer MOCKSERVER_ADMIN_TOKEN: a flag shows in the process list)")
    command.add_argument("--quirks", action="store_true", default=None,
                         help="reproduce documented vendor crashes (TeSLA's HTML 500s) instead of clean 4xx answers")
    command.add_argument("--scenario", action="append", metavar="FILE",
                         help="QA scenario (YAML or JSON) applied at startup and after every reset; repeatable "
                              "(MOCKSERVER_SCENARIO takes a comma-separated list)")
    command.add_argument("--journal-size", type=int, help="requests kept in each namespace's journal (default 1000)")
    command.add_argument("--journal-max-bytes", type=int,
                         help="memory each journal may hold, about; the oldest entries make way (default 8 MiB)")
    command.add_argument("--max-namespaces", type=int, help="live /ns/{name} namespaces allowed at once (default 64)")
    command.add_argument("--namespace-ttl", metavar="DURATION", help="drop a namespace unused this long (default 30m)")
    limits = command.add_argument_group("limits (docs/security.md)")
    limits.add_argument("--max-body-bytes", type=int, help="largest vendor request body, 413 beyond, unless the operation's spec allows more "
                        "(default 1 MiB; Litmos bulk imports take 2000 KB)")
    limits.add_argument("--max-admin-body-bytes", type=int,
                        help="largest admin request body, such as a state import (default 64 MiB)")
    limits.add_argument("--max-header-bytes", type=int, help="largest request line plus headers, 431 beyond (default 64 KiB)")
    limits.add_argument("--max-connections", type=int, help="open connections at once; past it a new one evicts the "
                        "oldest idle one (default: the open-file limit less 128, at most 4096)")
    limits.add_argument("--header-timeout", type=float, help="seconds for a request head to arrive (default 10)")
    limits.add_argument("--body-timeout", type=float, help="seconds a request body may stall (default 30)")
    limits.add_argument("--keepalive-timeout", type=float, help="seconds an idle keep-alive connection stays (default 5)")
    state = command.add_argument_group("state that survives restarts (docs/observability.md)")
    state.add_argument("--state-file", metavar="PATH",
                       help="load the data from PATH at start (when it exists) and save it there every "
                            "--state-save-interval seconds and at shutdown; a reset still returns to the seed")
    state.add_argument("--state-save-interval", type=float, metavar="SECONDS", help="default 10")
    state.add_argument("--state-file-reset", action="store_true", default=None,
                       help="a state file that cannot be loaded is set aside (renamed) and the start goes on "
                            "from the seed, instead of stopping")
    tls = command.add_argument_group("HTTPS (docs/https.md)")
    tls.add_argument("--tls-cert", metavar="FILE", help="PEM certificate (chain): serve every vendor over HTTPS")
    tls.add_argument("--tls-key", metavar="FILE", help="the certificate's unencrypted PEM private key")
    command.add_argument("--cors", metavar="off|vendor|ORIGINS",
                         help="CORS answers: vendor (default; each vendor's real configuration, TeSLA's "
                              "django-cors-headers included), off, or comma-separated origins that alone "
                              "get Access-Control-Allow-Origin")


def banner(settings: Settings, vendors: dict) -> str:
    base = f"{settings.scheme}://{settings.host}:{settings.port}"
    lines = [f"lms-mockserver {__version__} listening on {base}  (seed {settings.seed})"]
    for name, vendor in vendors.items():
        prefix = vendor.mount_prefix if settings.vendor == "all" else vendor.real_prefix
        lines.append(f"  {vendor.title:<14} {base}{prefix}   (Swagger UI: {base}{prefix}/ui/)")
        lines.extend(f"      {line}" for line in vendor.demo_credentials())
    lines.append(f"  admin          {base}/__admin   (health, reset, requests, state, clock, faults, scenarios, "
                 "ratelimits, namespaces)")
    lines.append(f"  namespaces     {base}/ns/<name>/...   (an isolated copy per CI job)")
    lines.append("Stop with Ctrl+C.")
    return "\n".join(lines)


def settings_from(args: argparse.Namespace) -> Settings:
    return from_environ(
        host=args.host, port=args.port, vendor=args.vendor, fixtures=args.fixtures, seed=args.seed,
        log_level=args.log_level, log_format=args.log_format, framework_logs=args.framework_logs,
        litmos_rate_limit=args.litmos_rate_limit,
        litmos_auth_status=args.litmos_auth_status, quirks=args.quirks,
        scenario=",".join(args.scenario) if args.scenario else None, journal_size=args.journal_size,
        journal_max_bytes=args.journal_max_bytes, admin_token=args.admin_token,
        max_namespaces=args.max_namespaces, namespace_ttl=args.namespace_ttl, cors=args.cors,
        state_file=args.state_file, state_save_interval=args.state_save_interval,
        state_file_reset=args.state_file_reset, tls_cert=args.tls_cert, tls_key=args.tls_key,
        max_body_bytes=args.max_body_bytes, max_admin_body_bytes=args.max_admin_body_bytes,
        max_header_bytes=args.max_header_bytes, max_connections=args.max_connections,
        header_timeout=args.header_timeout, body_timeout=args.body_timeout, keepalive_timeout=args.keepalive_timeout,
    )


def build(args: argparse.Namespace) -> tuple[Settings, Any] | int:
    """Settings and the app, or the exit code 2 after saying what is wrong. Settings and TLS files
    are checked before the framework is imported: a refusal comes in a fraction of a second."""
    from .tls import TlsError, check_files

    try:
        settings = settings_from(args)
    except (ValueError, TypeError) as exc:
        print(f"mockserver: bad setting: {exc}", file=sys.stderr)
        return 2
    if settings.tls_cert:
        try:
            check_files(settings.tls_cert, settings.tls_key)
        except TlsError as exc:
            print(f"mockserver: HTTPS: {exc}", file=sys.stderr)
            return 2

    from .app import create_app
    from .core.fixtures import FixtureError
    from .core.progress import StartupProgress
    from .core.resolver import HandlerMismatch
    from .observe.log_setup import configure_logging
    from .scenarios import ScenarioError

    configure_logging(settings.log_level, settings.log_format, settings.framework_logs)
    progress = StartupProgress()
    try:
        return settings, create_app(settings, progress)
    except FixtureError as exc:
        print(f"mockserver: invalid fixture: {exc}", file=sys.stderr)
    except ScenarioError as exc:
        print(f"mockserver: invalid scenario: {exc}", file=sys.stderr)
    except HandlerMismatch as exc:
        print(f"mockserver: spec and handlers disagree: {exc}", file=sys.stderr)
    finally:
        progress.done()
    return 2


EXIT_CANNOT_LISTEN = 3
OPEN_ADMIN_WARNING = """\
WARNING: listening on {host}:{port} with no admin token. Anyone who can reach this port can
WARNING: reset the mock, change its state and clock, and export every vendor credential it holds
WARNING: (secrets are masked unless asked for). Set MOCKSERVER_ADMIN_TOKEN (or --admin-token) to
WARNING: require it on /__admin, or listen on 127.0.0.1 only. See docs/security.md."""


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything claims to listen (uvicorn would print
    "Started server process" and only then fail on a port in use)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    built = build(args)
    if isinstance(built, int):
        return built
    from .serving import make_server

    settings, app = built
    try:
        sock = listening_socket(settings.host, settings.port)
    except OSError as exc:
        print(f"mockserver: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    saver = keep_state(settings, app.runtime)
    if isinstance(saver, int):
        sock.close()
        return saver
    settings.port = sock.getsockname()[1]  # the real one when 0 asked for any free port
    print(banner(settings, app.runtime.vendors), flush=True)
    if not settings.loopback_only and not settings.admin_token:
        print(OPEN_ADMIN_WARNING.format(host=settings.host, port=settings.port), file=sys.stderr, flush=True)
    # Specs, schemas and seed data live for the whole run: keep them out of every GC pass.
    gc.collect()
    gc.freeze()
    tls = (settings.tls_cert, settings.tls_key) if settings.tls_cert else None
    server = make_server(app, settings.host, settings.port, settings.log_level, settings.connection_limits, tls)
    try:
        with sock:
            server.run(sockets=[sock])
    finally:
        if saver is not None:
            saver.stop()  # the last save, after the last request
    return 0 if server.started else 1


def keep_state(settings: Settings, runtime: Any) -> Any:
    """Load the state file into the default namespace and start saving it; None without one,
    or the exit code 2 after one line saying what is wrong."""
    if not settings.state_file:
        return None
    from .state_file import StateFileError, StateSaver, load, set_aside

    path = Path(settings.state_file).expanduser()
    if path.exists():
        try:
            loaded = load(path, runtime.default, runtime.seed_shape)
            print(f"state: loaded {', '.join(loaded) or 'no vendor'} from {path}", file=sys.stderr, flush=True)
        except StateFileError as exc:
            if not settings.state_file_reset:
                print(f"mockserver: state file {path}: {exc} (--state-file-reset sets it aside and starts from "
                      "the seed)", file=sys.stderr)
                return 2
            runtime.default.reset()
            print(f"state: {path} set aside as {set_aside(path).name} ({exc}); starting from the seed",
                  file=sys.stderr, flush=True)
    saver = StateSaver(path, lambda: runtime.default, settings.state_save_interval)
    try:
        saver.save()
    except OSError as exc:
        print(f"mockserver: state file {path}: cannot be written: {exc.strerror or exc}", file=sys.stderr)
        return 2
    saver.start()
    return saver


def check(args: argparse.Namespace) -> int:
    built = build(args)
    if isinstance(built, int):
        return built
    settings, app = built
    runtime = app.runtime
    for name, backend in runtime.default.backends.items():
        rows = sum(len(table) for table in backend.tables.values())
        print(f"{name}: {runtime.vendors[name].fixture_path(settings.fixtures)} valid, {rows} records")
    for scenario in runtime.default.scenarios:
        print(f"scenario {scenario['name']}: applies ({len(scenario['faults'])} fault rules)")
    return 0


def health(args: argparse.Namespace) -> int:
    """Exit 0 when the mock set up by the same flags and environment answers its health check.
    Over HTTPS (MOCKSERVER_TLS_CERT set) the certificate is not verified: this asks a server on
    this machine whether it is up, which its own, often self-signed, certificate cannot tell."""
    import ssl
    import urllib.error
    import urllib.request

    try:
        settings = from_environ(host=args.host, port=args.port)
    except (ValueError, TypeError) as exc:
        print(f"mockserver: bad setting: {exc}", file=sys.stderr)
        return 2
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    scheme = "https" if args.https else settings.scheme
    url = f"{scheme}://{host}:{settings.port}/__admin/health"
    context = None
    if scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(url, timeout=args.timeout, context=context) as answer:  # noqa: S310 (local)
            ok = answer.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"mockserver: not healthy at {url}: {exc}", file=sys.stderr)
        return 1
    print(f"healthy: {url}" if ok else f"unhealthy: {url}")
    return 0 if ok else 1


def record(args: argparse.Namespace) -> int:
    """The recording proxy until SIGINT/SIGTERM; 2 for bad arguments, 3 when it cannot listen."""
    import os

    import uvicorn

    from .serving import MockServer
    from .traffic.recorder import RecordingProxy, Target, client_for

    try:
        target = Target.parse(args.target)
        if not 0 <= args.port <= 65535:
            raise ValueError(f"port must be from 1 to 65535 (0: any free port), not {args.port}")
        if not 0 < args.timeout <= 3600:
            raise ValueError("timeout must be a number of seconds above 0 and at most 3600")
        if args.target_ca and args.insecure:
            raise ValueError("--target-ca and --insecure contradict each other: give one")
        if args.target_ca and not Path(args.target_ca).is_file():
            raise ValueError(f"--target-ca {args.target_ca} is not a readable file")
        out_path = Path(args.out).expanduser()
        if not out_path.parent.is_dir() or out_path.is_dir():
            raise ValueError(f"--out {args.out}: name a file in an existing folder")
    except ValueError as exc:
        print(f"mockserver: bad setting: {exc}", file=sys.stderr)
        return 2
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as exc:
        print(f"mockserver: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    try:
        client = client_for(args.target_ca, args.insecure, args.timeout)
    except OSError as exc:  # ssl.SSLError included: not a PEM file of authorities
        sock.close()
        print(f"mockserver: bad setting: --target-ca {args.target_ca}: {exc}", file=sys.stderr)
        return 2
    # The recording may hold personal data: readable by its owner only.
    with open(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        proxy = RecordingProxy(args.vendor, target, out, client)
        port = sock.getsockname()[1]
        sock.listen(2048)  # before the line that says so: a client may connect the moment it reads it
        print(f"lms-mockserver {__version__} recording {args.vendor}: point your client at http://{args.host}:{port} "
              f"instead of {target.url}; writing {out_path}. Stop with Ctrl+C.", flush=True)
        config = uvicorn.Config(proxy, lifespan="off", log_config=None, access_log=False, server_header=False,
                                log_level="warning")
        server = MockServer(config)
        with sock:
            server.run(sockets=[sock])
    print(f"recorded {proxy.recorded} exchange(s) to {out_path}", flush=True)
    return 0 if server.started else 1


def compare(args: argparse.Namespace) -> int:
    """0: the replay answered as recorded; 1: differences (reported); 2: bad input."""
    import httpx

    from .traffic.compare import REPORTS, compare_file
    from .traffic.recorder import Target
    from .traffic.recording import RecordingError
    from .traffic.replay import Credentials

    try:
        credentials = Credentials.from_file(Path(args.credentials)) if args.credentials else Credentials()
        against = Target.parse(args.against).url if args.against else None
        fixtures = Path(args.fixtures) if args.fixtures else None
        if fixtures is not None and not fixtures.is_dir():
            raise ValueError(f"--fixtures {args.fixtures} is not a folder")
        if args.report and not Path(args.report).expanduser().parent.is_dir():
            raise ValueError(f"--report {args.report}: name a file in an existing folder")
        outcomes = compare_file(Path(args.recording), against=against, credentials=credentials,
                                ignore=frozenset(args.ignore) | {name.lower() for name in args.ignore},
                                fixtures=fixtures)
    except (ValueError, RecordingError) as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2
    except httpx.HTTPError as exc:
        print(f"mockserver: the replay's target did not answer: {exc}", file=sys.stderr)
        return 2
    report = REPORTS[args.format](outcomes)
    if args.report:
        Path(args.report).expanduser().write_text(report, encoding="utf-8")
        differing = sum(1 for outcome in outcomes if outcome.differences)
        print(f"{len(outcomes)} exchange(s), {differing} with differences; report: {args.report}")
    else:
        sys.stdout.write(report)
    return 1 if any(outcome.differences for outcome in outcomes) else 0


def seed(args: argparse.Namespace) -> int:
    """0: the seed files are written; 2: bad input, or records the checks refuse (nothing written)."""
    from .traffic.recording import RecordingError, read_recording
    from .traffic.seed_rules import SeedRuleError
    from .core.files import write_atomically
    from .traffic.seeding import SeedError, seed_from_recording
    from .vendors import VENDOR_NAMES, vendor_class

    out = Path(args.out).expanduser()
    try:
        if out.exists() and not out.is_dir():
            raise ValueError(f"--out {args.out} is a file, not a folder")
        base = Path(args.fixtures).expanduser() if args.fixtures else None
        if base is not None and not base.is_dir():
            raise ValueError(f"--fixtures {args.fixtures} is not a folder")
        settings = Settings(fixtures=base) if base is not None else Settings()
        recording = Path(args.recording)
        exchanges = read_recording(recording)
        if not exchanges:
            raise ValueError(f"{args.recording}: the recording holds no exchange")
        vendors = {name: vendor_class(name)(settings, settings.specs) for name in VENDOR_NAMES
                   if any(exchange.get("vendor") == name for exchange in exchanges)}
        names = {str(exchange.get("vendor")) for exchange in exchanges} - set(vendors)
        if names:
            raise ValueError(f"{args.recording}: vendor {', '.join(sorted(names))} is not one this mock serves")
        existing = [vendor.fixture_file for vendor in vendors.values() if (out / vendor.fixture_file).exists()]
        if existing and not args.force:
            raise ValueError(f"--out {args.out} already holds {', '.join(existing)} (--force replaces)")
        written = seed_from_recording(exchanges, vendors, settings.fixtures, recording.name,
                                      f"the seed in {args.fixtures}" if base else "the packaged seed")
    except (ValueError, RecordingError, SeedRuleError, SeedError) as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, (text, report) in written.items():
            # 0644: a seed file, read by the mock in a container as another user
            write_atomically(out / vendors[name].fixture_file, text.encode("utf-8"), 0o644)
            print(report.describe())
    except OSError as exc:
        print(f"mockserver: --out {args.out}: cannot be written: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {', '.join(vendors[name].fixture_file for name in written)} to {out}; "
          f"start the mock on them with `mockserver run --fixtures {args.out}`")
    return 0


COMMANDS = {"run": run, "check": check, "health": health, "record": record, "compare": compare, "seed": seed}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command not in COMMANDS:
        parser.print_help()
        return 0
    return COMMANDS[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
