"""Shared pieces of the TeSLA VLE API tests: the module login and the VLE 1 prefix."""

from __future__ import annotations

from starlette.testclient import TestClient

APPROLE = {"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"}  # VLE 1, "NOU Moodle"
VLE = "/api/v2/vle/1"


def module_login(client: TestClient, credentials: dict[str, str] | None = None) -> dict[str, str]:
    """The JWT header of a VLE module (VLE 1's demo AppRole unless `credentials` say otherwise)."""
    response = client.post("/api/v2/auth/approle", json=credentials or APPROLE)
    assert response.status_code == 200, response.text
    return {"Authorization": f"JWT {response.json()['token']['access_token']}"}


def page_ids(client: TestClient, path: str, headers: dict[str, str]) -> list[int]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["results"]]
