"""Options of the contract tests, registered at the root so `pytest -m contract --base-url URL`
works from the repository root as well as `pytest contract_tests --base-url URL`."""

from __future__ import annotations

import os

import pytest

from mockserver.vendors import VENDOR_NAMES
from xdist_longest_first import LongestFirstScheduling  # tests/ is on the path (pyproject's pythonpath)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--base-url",
        default=None,
        help="run the contract tests against a live mock (e.g. http://127.0.0.1:8080) instead of the in-process app; "
        "start it with MOCKSERVER_LITMOS_RATE_LIMIT=100000000/60s so fuzzing is not rate limited",
    )
    parser.addoption(
        "--admin-token",
        default=os.environ.get("MOCKSERVER_ADMIN_TOKEN", ""),
        help="with --base-url: the live mock's admin token (default: MOCKSERVER_ADMIN_TOKEN)",
    )
    parser.addoption(
        "--vendor",
        default="all",
        choices=(*VENDOR_NAMES, "all"),
        help="in-process: serve just this vendor (at its real root) instead of all three; with a --base-url "
        "that is the vendor's own instance (not a mock): which vendor it is (behaviour contracts only)",
    )
    parser.addoption(
        "--allow-writes",
        action="store_true",
        default=False,
        help="behaviour contracts against a vendor's own instance may create records (default: read-only)",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """A whole run starts the long Schemathesis files first, each on a worker of its own."""
    if config.getvalue("dist") == "loadfile":
        return LongestFirstScheduling(config, log)
    return None
