"""Shared pieces of the TeSLA course-tree tests: logins by seeded email, id lists (the app is conftest's `tesla_client`)."""

from __future__ import annotations

from starlette.testclient import TestClient

NOT_FOUND = {"detail": "Not found."}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}
INSTITUTION = "/api/v2/institution/1"
# Seeded logins (fixtures/tesla.yaml): who they are in the course tree.
PASSWORDS = {"member@tesla.example": "tesla-member", "marta.vidal@nou.example": "tesla-member",
             "aina.roca@nou.example": "tesla-member", "arnau.costa@nou.example": "tesla-member",
             "paula.mas@nou.example": "tesla-learner", "oriol.pons@nou.example": "tesla-learner"}


def login(client: TestClient, email: str) -> dict[str, str]:
    response = client.post("/api/v2/auth/login", json={"email": email, "password": PASSWORDS.get(email, "tesla-admin")})
    assert response.status_code == 200, response.text
    return {"Authorization": f"JWT {response.json()['token']['access_token']}"}


def ids(client: TestClient, path: str, headers: dict[str, str]) -> list[int]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["results"]]
