"""/__admin/snapshots: take a snapshot at any point, write on, restore it (again and again), per
namespace; bounded; gone with a full reset."""

from __future__ import annotations

from typing import Any

import pytest

TITUS = {"Authorization": "Bearer titus-admin-token"}
LITMOS = {"apikey": "litmos-demo-key"}


@pytest.fixture
def client(all_client: Any) -> Any:
    return all_client


def state(client: Any, vendor: str, namespace: str | None = None) -> Any:
    query = f"?secrets=true&namespace={namespace}" if namespace else "?secrets=true"
    answer = client.get(f"/__admin/state/{vendor}{query}")
    assert answer.status_code == 200
    return answer.json()


def new_titus_user(client: Any, name: str, prefix: str = "") -> int:
    answer = client.post(f"{prefix}/titus/api/v1/user", headers=TITUS, json={
        "username": name, "firstname": "Snap", "lastname": "Shot", "email": f"{name}@example.org"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_restore_puts_every_vendor_back_to_the_moment_taken(client: Any) -> None:
    new_titus_user(client, "before.snap")
    taken = client.post("/__admin/snapshots", json={"name": "after-setup"})
    assert taken.status_code == 201, taken.text
    assert taken.json()["name"] == "after-setup" and taken.json()["vendors"] == ["litmos", "tesla", "titus"]
    moment = {vendor: state(client, vendor) for vendor in ("titus", "litmos", "tesla")}
    after = new_titus_user(client, "after.snap")
    client.delete("/titus/api/v1/user/5", headers=TITUS)
    client.post("/litmos/v1.svc/users?source=qa", headers={**LITMOS, "Content-Type": "application/json"},
                json={"UserName": "snap.l", "FirstName": "S", "LastName": "L", "Email": "snap.l@example.org",
                      "AccessLevel": "Learner", "DisableMessages": True, "Active": True,
                      "IsCustomUsername": True})
    for _ in range(2):
        restored = client.post("/__admin/snapshots/after-setup/restore")
        assert restored.status_code == 200 and restored.json()["restored"] == "after-setup"
        assert {vendor: state(client, vendor) for vendor in moment} == moment
        assert client.get(f"/titus/api/v1/user/{after}", headers=TITUS).status_code == 404
        assert client.get("/titus/api/v1/user/5", headers=TITUS).status_code == 200
        # The next id continues from the moment taken, as it did then.
        assert new_titus_user(client, "again.snap") == after


def test_snapshots_belong_to_their_namespace(client: Any) -> None:
    client.post("/__admin/reset?namespaces=drop")
    new_titus_user(client, "ns.snap", prefix="/ns/snap-a")
    assert client.post("/__admin/snapshots?namespace=snap-a", json={"name": "one"}).status_code == 201
    assert client.get("/__admin/snapshots").json()["snapshots"] == []
    listed = client.get("/__admin/snapshots?namespace=snap-a").json()
    assert listed["namespace"] == "snap-a" and [s["name"] for s in listed["snapshots"]] == ["one"]
    assert client.post("/__admin/snapshots/one/restore").status_code == 404
    client.delete("/ns/snap-a/titus/api/v1/user/5", headers=TITUS)
    assert client.post("/__admin/snapshots/one/restore?namespace=snap-a").status_code == 200
    assert client.get("/ns/snap-a/titus/api/v1/user/5", headers=TITUS).status_code == 200


def test_unknown_names_bad_names_and_the_limit(client: Any) -> None:
    assert client.post("/__admin/snapshots/none-such/restore").status_code == 404
    assert client.delete("/__admin/snapshots/none-such").status_code == 404
    for body in ({"name": ""}, {"name": "../x"}, {}, {"name": "ok", "extra": 1}, {"name": 5}):
        assert client.post("/__admin/snapshots", json=body).status_code == 400, body
    for n in range(32):
        assert client.post("/__admin/snapshots", json={"name": f"s{n}"}).status_code == 201
    over = client.post("/__admin/snapshots", json={"name": "s32"})
    assert over.status_code == 409 and over.json()["error"] == "snapshot_limit"
    assert client.post("/__admin/snapshots", json={"name": "s5"}).status_code == 201  # a name again replaces
    assert client.delete("/__admin/snapshots/s0").json()["deleted"] == "s0"
    assert client.post("/__admin/snapshots", json={"name": "s32"}).status_code == 201
    assert len(client.get("/__admin/snapshots").json()["snapshots"]) == 32


def test_a_full_reset_drops_the_snapshots_and_returns_to_the_seed(client: Any) -> None:
    seed = state(client, "titus")
    new_titus_user(client, "reset.snap")
    client.post("/__admin/snapshots", json={"name": "kept"})
    client.post("/__admin/reset")
    assert state(client, "titus") == seed
    assert client.get("/__admin/snapshots").json()["snapshots"] == []
