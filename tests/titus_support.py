"""Shared pieces of the Titus Connect tests: demo tokens, the base path, error and state readers."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import orjson
import yaml

from mockserver.core.yamlcache import load_yaml

ADMIN = {"Authorization": "Bearer titus-admin-token"}
READONLY = {"Authorization": "Bearer titus-readonly-token"}
TENANT_A = {"Authorization": "Bearer titus-tenant-a-token"}
BASE = "/api/v1"


def error(response: Any) -> tuple[int, str]:
    """Status and Moodle errorcode of an error answer."""
    return response.status_code, response.json()["errorcode"]


def state(client: Any) -> dict[str, Any]:
    """The whole Titus state, as the admin API exports it (read with orjson: the stdlib's reader
    was a tenth of the Titus tests' time)."""
    return orjson.loads(client.get("/__admin/state/titus").content)


@functools.cache
def seed() -> dict[str, Any]:
    """fixtures/titus.yaml as parsed data, so expectations follow the seed instead of hard-coded counts."""
    return load_yaml(Path(__file__).parents[1] / "fixtures" / "titus.yaml", yaml.CSafeLoader)  # as the server reads it


def seed_users() -> list[dict[str, Any]]:
    """The hand-written users followed by the generated workforce, as the backend seeds them."""
    return seed()["users"] + seed().get("generated_users", [])


def refused_unchanged(client: Any, method: str, path: str, body: Any,
                      headers: dict[str, str] = ADMIN) -> tuple[int, str]:
    """Status and errorcode of a call to `BASE + path` that must fail, having checked it changed no state."""
    before = state(client)
    answer = error(client.request(method, f"{BASE}{path}", json=body, headers=headers))
    assert state(client) == before
    return answer


def seed_rows(collection: str, **match: Any) -> list[dict[str, Any]]:
    """The seeded records of a collection whose fields equal `match`."""
    return [row for row in seed().get(collection, []) if all(row.get(k) == v for k, v in match.items())]

