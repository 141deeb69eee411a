"""What the contract run talks to: the in-process app, or a live server given by --base-url."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import httpx

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.config import Settings

# Fuzzing sends thousands of requests; Litmos's 100/min limit would answer most with 503.
RAISED_LITMOS_LIMIT = "100000000/60s"
# The in-process server runs with an admin token, so the admin API's contract holds with one set.
CONTRACT_ADMIN_TOKEN = "contract-admin-token"


@dataclass
class Target:
    """One server under test and a plain HTTP client onto it."""

    base_url: str | None = None
    app: Any = None
    mounts: dict[str, str] = field(default_factory=dict)
    admin_token: str = ""

    @classmethod
    def in_process(cls, vendors: tuple[str, ...]) -> "Target":
        vendor = "all" if len(vendors) == 3 else vendors[0]
        app = create_app(Settings(vendor=vendor, litmos_rate_limit=RAISED_LITMOS_LIMIT, admin_token=CONTRACT_ADMIN_TOKEN))
        target = cls(app=app, admin_token=CONTRACT_ADMIN_TOKEN)
        target.mounts = target.client().get("/__admin/health").json()["mounts"]
        return target

    @classmethod
    def live(cls, base_url: str, admin_token: str = "") -> "Target":
        target = cls(base_url=base_url.rstrip("/"), admin_token=admin_token)
        target.mounts = target.client().get("/__admin/health").json()["mounts"]
        return target

    def client(self) -> Any:
        if self.app is not None:
            return TestClient(self.app, base_url="http://testserver")
        return httpx.Client(base_url=self.base_url, timeout=30)

    def prefix(self, name: str) -> str:
        prefix = self.mounts[name]
        return "" if prefix == "/" else prefix

    def admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}

    def reset(self, vendor: str | None = None) -> None:
        """Back to the seed: one vendor (so runs of other vendors on the same server go on), or all."""
        params = {"vendor": vendor} if vendor and vendor in self.mounts and vendor != "admin" else {}
        self.client().post("/__admin/reset", headers=self.admin_headers(), params=params)
