"""The vendor a behaviour contract talks to: the in-process mock, a running mock (`--base-url`),
or the vendor's own instance (`--base-url <its base URL> --vendor X`, credentials from the
environment, read-only unless `--allow-writes`, paced under its rate limit).

A contract creates what it reads and never calls the admin API, so the same file holds against
any instance; against the vendor, a failure means drift, not a mock bug.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from ..targets import Target

# Credentials for a vendor's own instance, from the environment (never from a file in the repository).
ENVIRONMENT = {
    "titus": {"token": "LMS_TITUS_TOKEN"},
    "litmos": {"apikey": "LMS_LITMOS_API_KEY", "source": "LMS_LITMOS_SOURCE"},
    "tesla": {"email": "LMS_TESLA_EMAIL", "password": "LMS_TESLA_PASSWORD"},
}
# The mock's demo credentials (docs/<vendor>.md).
DEMO = {
    "titus": {"token": "titus-admin-token"},
    "litmos": {"apikey": "litmos-demo-key", "source": "behaviour-contract"},
    "tesla": {"email": "inst-admin@tesla.example", "password": "tesla-admin"},
}
REQUESTS_PER_MINUTE = {"litmos": 90}  # under Litmos's 100 a minute, on the vendor's instance


@dataclass
class VendorApi:
    """One vendor's base URL, a client onto it, its credentials and what a contract may do there."""

    name: str
    client: Any
    base: str  # prefix of every path: the mount on a mock, "" on the vendor's own instance
    credentials: dict[str, str]
    is_mock: bool
    writes_allowed: bool
    in_process: bool = False
    _interval: float = 0.0
    _last: float = field(default=0.0)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self._interval:
            wait = self._last + self._interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
        return self.client.request(method, f"{self.base}{path}", **kwargs)

    def needs_writes(self) -> None:
        if not self.writes_allowed:
            pytest.skip("writes to the vendor's own instance: run with --allow-writes")


def vendor_api(request: pytest.FixtureRequest, name: str) -> VendorApi:
    """The `name` vendor of this run, or a skip when the run is against another vendor's instance."""
    config = request.config
    base_url = config.getoption("--base-url")
    if base_url:
        health = None
        try:
            answer = httpx.get(f"{base_url.rstrip('/')}/__admin/health", timeout=10)
            health = answer.json() if answer.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            pass
        if isinstance(health, dict) and "mounts" in health:  # a running mock
            if name not in health["mounts"]:
                pytest.skip(f"{name} is not mounted on this server")
            prefix = health["mounts"][name].rstrip("/")
            return VendorApi(name, httpx.Client(base_url=base_url.rstrip("/"), timeout=30), prefix, DEMO[name],
                             is_mock=True, writes_allowed=True)
        vendor = config.getoption("--vendor")
        if vendor == "all":
            pytest.fail(f"{base_url} is not a mock (no /__admin/health): name its vendor with --vendor")
        if vendor != name:
            pytest.skip(f"this run is against {vendor}'s instance")
        missing = [variable for variable in ENVIRONMENT[name].values() if not os.environ.get(variable)]
        if missing:
            pytest.fail(f"against {name}'s own instance the credentials come from {', '.join(missing)}")
        credentials = {key: os.environ[variable] for key, variable in ENVIRONMENT[name].items()}
        interval = 60 / REQUESTS_PER_MINUTE[name] if name in REQUESTS_PER_MINUTE else 0.0
        return VendorApi(name, httpx.Client(base_url=base_url.rstrip("/"), timeout=60), "", credentials,
                         is_mock=False, writes_allowed=config.getoption("--allow-writes"), _interval=interval)
    target: Target = request.getfixturevalue("target")  # the in-process app the Schemathesis run uses too
    if name not in target.mounts:
        pytest.skip(f"{name} is not served in this run")
    return VendorApi(name, target.client(), target.prefix(name), DEMO[name], is_mock=True, writes_allowed=True,
                     in_process=True)
