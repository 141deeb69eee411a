"""Per-API settings for the Schemathesis run: credentials and realistic references.

Credentials are the documented demo ones. Hooks only steer generated *references* to records
that exist in the seed (a schema cannot know which tenant ids exist); every other value is
Schemathesis's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import litmos_xml  # noqa: F401  (registers Schemathesis's XML (de)serializers for Litmos)
from .targets import Target

SEEDED_TITUS_TENANTS = (1, 2)


def _titus_existing_tenant(context: Any, body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("tenantid"), int) and not isinstance(body["tenantid"], bool):
        body["tenantid"] = SEEDED_TITUS_TENANTS[body["tenantid"] % len(SEEDED_TITUS_TENANTS)]
    return body


@dataclass
class VendorRun:
    headers: Callable[[Target], dict[str, str]] = lambda target: {}
    query: dict[str, Any] = field(default_factory=dict)
    hooks: dict[str, Callable[..., Any]] = field(default_factory=dict)
    max_examples: int = 50
    stateful: bool = True  # the spec has links, so the stateful phase must run (and pass)


VENDOR_RUNS: dict[str, VendorRun] = {
    "titus": VendorRun(
        headers=lambda target: {"Authorization": "Bearer titus-admin-token"},
        hooks={"map_body": _titus_existing_tenant},
    ),
    "litmos": VendorRun(headers=lambda target: {"apikey": "litmos-demo-key"}),
    "admin": VendorRun(max_examples=25, stateful=False),
}
