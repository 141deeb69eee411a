"""`LmsMockContainer`: the mock's Docker image in a consumer's tests, through Testcontainers.

Teams meet a mock through their own tools; this one starts the image as `docker run` would, with
the options the image takes (vendor, scenario, a fixtures folder, seed, admin token), waits until
its health check answers, and gives each vendor's base URL and an admin client:

    with LmsMockContainer("lms-mockserver:latest", vendor="litmos") as mock:
        client = MyLitmosClient(mock.vendor_url("litmos"), api_key="litmos-demo-key")
        ...
        mock.admin().assert_requested(vendor="litmos", method="GET", path="/users")

The base URLs come from the running mock (its health answer names every mount), so they follow
whatever the image serves. Needs the `testcontainers` extra: `pip install "lms-mockserver[testcontainers]"`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from testcontainers.core.container import DockerContainer
from testcontainers.core.wait_strategies import HttpWaitStrategy

from .config import VENDOR_CHOICES
from .testing.client import MockClient

PORT = 8080  # the image's port (its MOCKSERVER_PORT)
DEFAULT_IMAGE = "lms-mockserver:latest"


def docker_run_options(*, vendor: str | None = None, scenario: str | Sequence[str] | None = None,
                       fixtures: str | os.PathLike[str] | None = None, scenarios: str | os.PathLike[str] | None = None,
                       seed: int | None = None, admin_token: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The image's environment and its read-only mounts (host folder -> container path) for these
    options, or ValueError: checked before Testcontainers reaches for Docker, so a bad option is
    named whether or not a Docker daemon answers."""
    if vendor is not None and vendor not in VENDOR_CHOICES:
        raise ValueError(f"vendor must be one of {', '.join(VENDOR_CHOICES)}, not {vendor!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError(f"seed must be an integer, not {seed!r}")
    if admin_token is not None and (len(admin_token) < 8 or any(c.isspace() for c in admin_token)):
        raise ValueError("admin_token must be at least 8 characters without spaces")
    settings = {"MOCKSERVER_VENDOR": vendor, "MOCKSERVER_SEED": None if seed is None else str(seed),
                "MOCKSERVER_ADMIN_TOKEN": admin_token,
                "MOCKSERVER_SCENARIO": ",".join([scenario] if isinstance(scenario, str) else scenario)
                if scenario else None}
    mounts = {}
    for folder, target in ((fixtures, "/data/fixtures"), (scenarios, "/data/scenarios")):
        if folder is not None:
            path = Path(folder).expanduser().resolve()
            if not path.is_dir():
                raise ValueError(f"{target.rsplit('/', 1)[1]}: {folder} is not a folder")
            mounts[str(path)] = target
    return {name: value for name, value in settings.items() if value is not None}, mounts


class LmsMockContainer(DockerContainer):
    """The mock's image, started with the options of `docker run` (README "Docker")."""

    def __init__(self, image: str = DEFAULT_IMAGE, *, vendor: str | None = None,
                 scenario: str | Sequence[str] | None = None, fixtures: str | os.PathLike[str] | None = None,
                 scenarios: str | os.PathLike[str] | None = None, seed: int | None = None,
                 admin_token: str | None = None, startup_timeout: float = 60, **kwargs: Any) -> None:
        """`vendor`: all (default), titus, litmos or tesla; `scenario`: shipped scenario names or
        files under the `scenarios` folder (mounted at /data/scenarios: name them `scenarios/x.yaml`);
        `fixtures`: a folder of seed files (mounted read-only at /data/fixtures); `seed`: generated
        ids and values; `admin_token`: required on the admin API, and sent by `admin()`."""
        env, mounts = docker_run_options(vendor=vendor, scenario=scenario, fixtures=fixtures, scenarios=scenarios,
                                         seed=seed, admin_token=admin_token)
        super().__init__(image, **kwargs)  # Testcontainers' Docker client: needs a daemon from here on
        self.admin_token = admin_token
        self.with_exposed_ports(PORT)
        self.with_envs(**env)
        for host, target in mounts.items():
            self.with_volume_mapping(host, target, "ro")
        self.waiting_for(HttpWaitStrategy(PORT, "/__admin/health").for_status_code(200)
                         .with_startup_timeout(int(startup_timeout)))
        self._mounts: dict[str, str] = {}

    def start(self) -> LmsMockContainer:
        super().start()
        with self.admin() as admin:
            self._mounts = {name: prefix.rstrip("/") for name, prefix in admin.health()["mounts"].items()}
        return self

    @property
    def base_url(self) -> str:
        """`http://<host>:<port>`: the mock's root on the Docker host."""
        return f"http://{self.get_container_host_ip()}:{self.get_exposed_port(PORT)}"

    @property
    def vendors(self) -> list[str]:
        return [name for name in self._mounts if name != "admin"]

    def vendor_url(self, vendor: str, namespace: str | None = None) -> str:
        """A vendor's base URL (`.../titus/api/v1`; at its real root when served alone), in
        `namespace` when given (`.../ns/<name>/titus/api/v1`)."""
        if vendor not in self.vendors:
            raise KeyError(f"{vendor} is not served by this container (it serves {', '.join(self.vendors)})")
        return f"{self.base_url}{f'/ns/{namespace}' if namespace else ''}{self._mounts[vendor]}"

    @property
    def titus_url(self) -> str:
        return self.vendor_url("titus")

    @property
    def litmos_url(self) -> str:
        return self.vendor_url("litmos")

    @property
    def tesla_url(self) -> str:
        return self.vendor_url("tesla")

    def admin(self, namespace: str | None = None) -> MockClient:
        """An admin client (reset, state, clock, faults, verification) with the container's token."""
        return MockClient(self.base_url, namespace=namespace, admin_token=self.admin_token)
