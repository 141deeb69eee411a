"""Shared pieces of the TeSLA tests: the standard answers, logins by seeded email, id lists.

The course-tree tests run on conftest's `tesla_client`; the others make their own app.
"""

from __future__ import annotations

from starlette.testclient import TestClient

NOT_FOUND = {"detail": "Not found."}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}
INSTITUTION = "/api/v2/institution/1"
# Seeded logins (fixtures/tesla.yaml) that are not admins; every other seeded login's password
# is "tesla-admin" (admin@, inst-admin@, data-admin@, cit-admin@, manager@tesla.example).
PASSWORDS = {
    "member@tesla.example": "tesla-member",  # no flag, no course
    "marta.vidal@nou.example": "tesla-member",  # an instructor
    "aina.roca@nou.example": "tesla-member",  # a legal admin
    "arnau.costa@nou.example": "tesla-member",  # a SEND admin
    "oriol.pons@nou.example": "tesla-learner",  # learner 16
    "paula.mas@nou.example": "tesla-learner",  # learner 17
}


def login(client: TestClient, email: str, password: str | None = None) -> dict[str, str]:
    """The JWT header of a seeded login (or of `email` with `password`)."""
    password = password or PASSWORDS.get(email, "tesla-admin")
    response = client.post("/api/v2/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"JWT {response.json()['token']['access_token']}"}


def ids(client: TestClient, path: str, headers: dict[str, str] | None = None) -> list[int]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["results"]]
