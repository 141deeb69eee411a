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


def _tesla_login(target: Target) -> dict[str, str]:
    """A JWT for the seeded user holding every institution-1 admin flag (15 minutes of mock time)."""
    answer = target.client().post(
        f"{target.prefix('tesla')}/api/v2/auth/login",
        json={"email": "manager@tesla.example", "password": "tesla-admin"},
    )
    answer.raise_for_status()
    return {"Authorization": f"JWT {answer.json()['token']['access_token']}"}


# TeSLA's real answers that Schemathesis's defaults call failures; both are marked in the spec.
TESLA_EXCEPTIONS: dict[str, Any] = {
    # `x-missing-header-status: 403`: the real server answers a missing Authorization with 403,
    # and Schemathesis hard-codes 401 for that one header.
    "checks": {"missing_required_header": {"enabled": False}},
    # `x-positive-data-400`: a taken username/email/uid or mismatched passwords is DRF's 400,
    # which no schema can express.
    "operations": [
        {
            "include-operation-id-regex": "^(create_user|update_user|partial_update_user)$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}},
        }
    ],
    # The manager's own institution: other ids are 403 before any lookup, as on the real server.
    "parameters": {"institution_id": "1"},
}


@dataclass
class VendorRun:
    headers: Callable[[Target], dict[str, str]] = lambda target: {}
    hooks: dict[str, Callable[..., Any]] = field(default_factory=dict)
    max_examples: int = 50
    stateful: bool = True  # the spec has links, so the stateful phase must run (and pass)
    config: dict[str, Any] = field(default_factory=dict)  # extra Schemathesis settings


VENDOR_RUNS: dict[str, VendorRun] = {
    "titus": VendorRun(
        headers=lambda target: {"Authorization": "Bearer titus-admin-token"},
        hooks={"map_body": _titus_existing_tenant},
    ),
    "litmos": VendorRun(headers=lambda target: {"apikey": "litmos-demo-key"}),
    "tesla": VendorRun(headers=_tesla_login, config=TESLA_EXCEPTIONS),
    "admin": VendorRun(max_examples=25, stateful=False),
}
