"""Shared pieces of the Titus Connect tests: demo tokens, the base path, error and state readers."""

from __future__ import annotations

from typing import Any

ADMIN = {"Authorization": "Bearer titus-admin-token"}
READONLY = {"Authorization": "Bearer titus-readonly-token"}
TENANT_A = {"Authorization": "Bearer titus-tenant-a-token"}
BASE = "/api/v1"


def error(response: Any) -> tuple[int, str]:
    """Status and Moodle errorcode of an error answer."""
    return response.status_code, response.json()["errorcode"]


def state(client: Any) -> dict[str, Any]:
    """The whole Titus state, as the admin API exports it."""
    return client.get("/__admin/state/titus").json()
