"""The /__admin control plane: health, reset, journal, state, clock."""

from __future__ import annotations

import pytest

ADMIN = {"Authorization": "Bearer titus-admin-token"}
USER = {"username": "sam.lee", "firstname": "Sam", "lastname": "Lee", "email": "sam.lee@example.org"}


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


def test_health_lists_mounts(client) -> None:
    body = client.get("/__admin/health").json()
    assert body["status"] == "ok" and body["vendors"] == ["titus"]
    assert body["mounts"] == {"titus": "/api/v1", "admin": "/__admin"}


def test_reset_restores_the_exact_seeded_state(client) -> None:
    seeded = client.get("/__admin/state/titus").json()
    client.post("/api/v1/user", json=USER, headers=ADMIN)
    client.delete("/api/v1/user/7", headers=ADMIN)
    assert client.get("/__admin/state/titus").json() != seeded
    assert client.post("/__admin/reset?vendor=titus").json() == {"reset": ["titus"], "namespace": None}
    assert client.get("/__admin/state/titus").json() == seeded


def test_reset_can_drop_every_named_namespace_in_the_same_call(client) -> None:
    client.post("/ns/job-a/api/v1/user", json=USER, headers=ADMIN)
    client.get("/ns/job-b/api/v1/user/5", headers=ADMIN)
    client.post("/api/v1/user", json=USER, headers=ADMIN)
    assert {n["name"] for n in client.get("/__admin/namespaces").json()["namespaces"]} == {"job-a", "job-b"}
    kept = client.post("/__admin/reset")
    assert kept.json() == {"reset": ["titus"], "namespace": None}
    assert len(client.get("/__admin/namespaces").json()["namespaces"]) == 2
    refused = client.post("/ns/job-a/__admin/reset?namespaces=drop")
    assert refused.status_code == 400 and refused.json()["error"] == "namespaces_drop_named"
    assert client.post("/__admin/reset?namespaces=drop&namespace=job-b").status_code == 400
    assert len(client.get("/__admin/namespaces").json()["namespaces"]) == 2  # a refused call changes nothing
    client.post("/api/v1/user", json=USER, headers=ADMIN)
    dropped = client.post("/__admin/reset?namespaces=drop").json()
    assert dropped == {"reset": ["titus"], "namespace": None, "dropped": ["job-a", "job-b"]}
    assert client.get("/__admin/namespaces").json()["namespaces"] == []
    assert client.get("/api/v1/user?username=sam.lee", headers=ADMIN).json().get("users", []) == []
    assert client.post("/__admin/reset?namespaces=sometimes").status_code == 400


def test_reset_of_an_unmounted_or_unknown_vendor(client) -> None:
    assert client.post("/__admin/reset?vendor=litmos").status_code == 404
    response = client.post("/__admin/reset?vendor=acme")
    assert response.status_code == 400 and response.json()["source"] == "lms-mockserver"


def test_journal_newest_first_filtered_and_redacted(client) -> None:
    client.delete("/__admin/requests")
    client.get("/api/v1/user/5", headers=ADMIN)
    client.get("/api/v1/user/999", headers=ADMIN)
    client.post("/api/v1/user", json=USER, headers=ADMIN)
    entries = client.get("/__admin/requests?vendor=titus").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/api/v1/user", 201), ("GET", "/api/v1/user/999", 404), ("GET", "/api/v1/user/5", 200)]
    assert entries[0]["request_headers"]["authorization"] == "***"
    assert entries[0]["request_body_size"] > 0
    only_404 = client.get("/__admin/requests?status=404").json()["requests"]
    assert [e["path"] for e in only_404] == ["/api/v1/user/999"]
    assert client.delete("/__admin/requests").json()["cleared"] >= 4


def test_state_export_import_round_trip(client) -> None:
    first = client.post("/api/v1/user", json=USER, headers=ADMIN).json()["id"]
    saved = client.get("/__admin/state/titus?secrets=true").json()
    client.post("/__admin/reset")
    assert client.get("/api/v1/users?username=sam.lee", headers=ADMIN).json()["users"] == []
    assert client.put("/__admin/state/titus", json=saved).status_code == 200
    assert client.get("/api/v1/users?username=sam.lee", headers=ADMIN).json()["batch"]["totalitems"] == 1
    # the imported state keeps its id sequence: the next user follows the saved one
    assert client.post("/api/v1/user", json={**USER, "username": "sam.two", "email": "s2@example.org"}, headers=ADMIN).json()["id"] == first + 1


def test_state_import_that_does_not_fit_changes_nothing(client) -> None:
    before = client.get("/__admin/state/titus").json()
    clash = {"tables": {"users": {"rows": [before["tables"]["users"]["rows"][0]] * 2}}}
    assert client.put("/__admin/state/titus", json=clash).status_code == 400  # the same id twice
    assert client.put("/__admin/state/titus", json={"tables": {"widgets": {"rows": []}}}).status_code == 400
    twins = before["tables"]["users"]["rows"][:2]
    same_name = {"tables": {"users": {"rows": [twins[0], {**twins[1], "username": twins[0]["username"]}]}}}
    assert client.put("/__admin/state/titus", json=same_name).status_code == 409  # a unique key clashes
    assert client.put("/__admin/state/titus", json={"tables": 3}).status_code == 400
    assert client.get("/__admin/state/titus").json() == before


def test_clock_moves_freezes_and_refuses_the_impossible(client) -> None:
    start = client.get("/__admin/clock").json()
    moved = client.post("/__admin/clock", json={"advance": "61s"}).json()
    assert moved["offset_seconds"] == pytest.approx(61, abs=0.01) and moved["now"] >= start["now"] + 61
    frozen = client.post("/__admin/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True}).json()
    assert frozen["iso"] == "2030-01-01T00:00:00Z" and frozen["frozen"] is True
    assert client.get("/__admin/clock").json()["now"] == frozen["now"]
    assert client.post("/__admin/clock", json={"advance": "99999999d"}).status_code == 409
    assert client.post("/__admin/clock", json={"advance": "soon"}).status_code == 400
    assert client.post("/__admin/clock", json={}).status_code == 400
    created = client.post("/api/v1/user", json=USER, headers=ADMIN).json()
    assert created["timecreated"] == 1893456000


def test_paths_outside_every_mount_get_the_mocks_own_404(client) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404 and response.json()["source"] == "lms-mockserver"


def test_a_body_with_a_lone_surrogate_beside_a_password_is_journaled_escaped(client) -> None:
    client.delete("/__admin/requests")
    body = b'{"username": "x\\ud800", "password": "hunter2", "firstname": "A", "lastname": "B", "email": "a@b.org"}'
    answer = client.post("/api/v1/user", content=body, headers={**ADMIN, "Content-Type": "application/json"})
    assert answer.status_code < 500
    entries = client.get("/__admin/requests?vendor=titus").json()["requests"]
    assert len(entries) == 1
    assert "hunter2" not in entries[0]["request_body"] and "\\ud800" in entries[0]["request_body"]
    assert client.get("/api/v1/user/5", headers=ADMIN).status_code == 200  # the connection is fine


def test_the_journal_pages_back_with_before(client) -> None:
    client.delete("/__admin/requests")
    for user in range(5, 12):
        client.get(f"/api/v1/user/{user}", headers=ADMIN)
    first = client.get("/__admin/requests?vendor=titus&limit=4").json()
    second = client.get(f"/__admin/requests?vendor=titus&limit=4&before={first['next_before']}").json()
    paths = [e["path"] for e in first["requests"] + second["requests"]]
    assert paths == [f"/api/v1/user/{user}" for user in range(11, 4, -1)]
    assert "next_before" not in second
