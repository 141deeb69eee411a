"""pytest plugin (entry point `pytest11`): the `lms_mock` fixture, a mock server reset for every test.

    def test_sync_creates_one_user(lms_mock):
        my_sync(base_url=lms_mock.url("/titus/api/v1"), token="titus-admin-token")
        assert lms_mock.count(method="POST", path="/user", body={"username": "jane.doe"}) == 1

Fixtures:
- `lms_mock_settings` (session): the `mockserver.config.Settings` to serve. Override it in a
  conftest.py (keep it session-scoped) to change the seed, fixtures, scenarios, rate limit...
  Default: all three vendors, or the one named by `--lms-mock-vendor` / ini `lms_mock_vendor`
  (a single vendor is served at its real path prefix, not under /titus, /litmos, /tesla).
- `lms_mock_server` (session): one `MockServerThread`, uvicorn on a free loopback port in a
  daemon thread of the test process, stopped at the end of the session.
- `lms_mock` (function): a `MockClient` for that server. Before each test the default namespace
  is reset (state, ids, clock, fault rules, rate-limit counters and journal) and every other
  namespace is dropped, so each test starts from the seed.

pytest-xdist: every worker is its own process with its own session, so each gets its own server
on its own port; nothing to configure, and tests on different workers never share state.

Only pytest is imported here: the plugin loads in every pytest run where lms-mockserver is
installed, and the app (Connexion, the seed) is built only when a test asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import httpx

    from ..config import Settings
    from .client import MockClient
    from .server import MockServerThread

VENDORS = ("all", "titus", "litmos", "tesla")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lms-mock", "lms-mockserver (the lms_mock fixture)")
    group.addoption("--lms-mock-vendor", choices=VENDORS, default=None,
                    help="vendor(s) the lms_mock server serves (default: ini lms_mock_vendor, else all)")
    parser.addini("lms_mock_vendor", "vendor(s) the lms_mock server serves: all, titus, litmos or tesla",
                  default="all")


@pytest.fixture(scope="session")
def lms_mock_settings(pytestconfig: pytest.Config) -> Settings:
    """What the session's mock serves; override (session scope) to change any setting."""
    from ..config import Settings

    vendor = pytestconfig.getoption("lms_mock_vendor") or pytestconfig.getini("lms_mock_vendor") or "all"
    return Settings(vendor=str(vendor).strip(), log_level="warning")


@pytest.fixture(scope="session")
def lms_mock_server(lms_mock_settings: Settings) -> Iterator[MockServerThread]:
    """One in-process mock server per session (per xdist worker)."""
    from .server import MockServerThread

    with MockServerThread(lms_mock_settings) as server:
        yield server


@pytest.fixture(scope="session")
def _lms_mock_http(lms_mock_server: MockServerThread) -> Iterator[httpx.Client]:
    """One connection pool for every test's `lms_mock`: building an httpx client loads the CA
    bundle (about 60 ms), which per test was most of the fixture's cost."""
    import httpx

    with httpx.Client(base_url=lms_mock_server.base_url, timeout=10) as http:
        yield http


@pytest.fixture
def lms_mock(lms_mock_server: MockServerThread, _lms_mock_http: httpx.Client) -> Iterator[MockClient]:
    """A `MockClient` on the session's server, which starts this test from the seed."""
    from .client import MockClient

    with MockClient(lms_mock_server.base_url, _http=_lms_mock_http) as client:
        client.reset(drop_namespaces=True)
        yield client
