"""`mockserver run ...`: start the mock. Every flag also reads `MOCKSERVER_<NAME>`."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import warnings
from collections.abc import Sequence

# Connexion imports Starlette's test client, which warns about its httpx; nothing to act on.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from . import __version__  # noqa: E402
from .config import VENDOR_CHOICES, Settings, from_environ  # noqa: E402
from .core.fixtures import FixtureError  # noqa: E402

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
Exit codes: 0 after a clean stop (SIGINT/SIGTERM), 2 for bad settings or invalid fixtures.
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
    run.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, help="port to listen on (default 8080)")
    run.add_argument("--vendor", choices=VENDOR_CHOICES, help="which API to serve (default all)")
    run.add_argument("--fixtures", help="directory with titus.yaml, litmos.yaml, tesla.yaml (default: the packaged fixtures)")
    run.add_argument("--seed", type=int, help="seed for generated ids and values (default 1)")
    run.add_argument("--log-level", choices=("critical", "error", "warning", "info", "debug"), help="default info")
    run.add_argument("--litmos-rate-limit", metavar="N/WINDOW", help="Litmos requests per API key per rolling window (default 100/60s)")
    run.add_argument("--litmos-auth-status", type=int, choices=(401, 403), help="status for a missing or bad Litmos API key (default 401)")
    run.add_argument("--quirks", action="store_true", default=None, help="reproduce documented vendor crashes (TeSLA's HTML 500s) instead of clean 4xx answers")
    run.add_argument("--scenario", action="append", metavar="FILE",
                     help="QA scenario (YAML or JSON) applied at startup and after every reset; repeatable "
                          "(MOCKSERVER_SCENARIO takes a comma-separated list)")
    run.add_argument("--journal-size", type=int, help="requests kept in each namespace's journal (default 1000)")
    run.add_argument("--max-namespaces", type=int, help="live /ns/{name} namespaces allowed at once (default 64)")
    run.add_argument("--namespace-ttl", metavar="DURATION", help="drop a namespace unused this long (default 30m)")
    return parser


def banner(settings: Settings, vendors: dict) -> str:
    base = f"http://{settings.host}:{settings.port}"
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


def run(args: argparse.Namespace) -> int:
    from .app import create_app
    from .scenarios import ScenarioError
    from .serving import make_server

    try:
        settings = from_environ(
            host=args.host, port=args.port, vendor=args.vendor, fixtures=args.fixtures, seed=args.seed,
            log_level=args.log_level, litmos_rate_limit=args.litmos_rate_limit,
            litmos_auth_status=args.litmos_auth_status, quirks=args.quirks,
            scenario=",".join(args.scenario) if args.scenario else None, journal_size=args.journal_size,
            max_namespaces=args.max_namespaces, namespace_ttl=args.namespace_ttl,
        )
    except (ValueError, TypeError) as exc:
        print(f"mockserver: bad setting: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    if settings.log_level != "debug":
        logging.getLogger("connexion").setLevel(logging.WARNING)
    try:
        app = create_app(settings)
    except FixtureError as exc:
        print(f"mockserver: invalid fixture: {exc}", file=sys.stderr)
        return 2
    except ScenarioError as exc:
        print(f"mockserver: invalid scenario: {exc}", file=sys.stderr)
        return 2
    print(banner(settings, app.runtime.vendors), flush=True)
    # Specs, schemas and seed data live for the whole run: keep them out of every GC pass.
    gc.collect()
    gc.freeze()
    server = make_server(app, settings.host, settings.port, settings.log_level)
    server.run()
    return 0 if server.started else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "run":
        parser.print_help()
        return 0
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
