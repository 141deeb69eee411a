"""Contract tests run against the in-process app, or a live server with --base-url."""

from __future__ import annotations

import pytest

from mockserver.vendors import VENDOR_NAMES

from .targets import Target


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Target:
    base_url = request.config.getoption("--base-url")
    if base_url:
        return Target.live(base_url, request.config.getoption("--admin-token"))
    vendor = request.config.getoption("--vendor")
    return Target.in_process(VENDOR_NAMES if vendor == "all" else (vendor,))
