"""The shipped scenario examples (qa/*.yaml): each loads, and each does what its description says,
through the vendor's own rules wherever the vendor has one."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from asgi_support import InlineClient
from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.middleware.faults import ConnectionDropped
from mockserver.scenarios import locate

QA = Path(__file__).resolve().parent.parent / "qa"
EXAMPLES = sorted(QA.glob("*.yaml"))
TITUS = "/titus/api/v1"
LITMOS = "/litmos/v1.svc"
TESLA = "/tesla/api/v2"
ADMIN_TOKEN = {"Authorization": "Bearer titus-admin-token"}
DEMO_KEY = {"apikey": "litmos-demo-key"}
NEW_USER = {"username": "new.starter", "email": "new.starter@example.org", "firstname": "New",
            "lastname": "Starter", "auth": "manual"}


@pytest.fixture(scope="module")
def module_client() -> Iterator[TestClient]:
    # raise_server_exceptions: a drop fault must reach the test as ConnectionDropped
    client = InlineClient(create_app(Settings()), raise_server_exceptions=True)
    yield client
    client.close()


@pytest.fixture
def client(module_client: TestClient) -> TestClient:
    assert module_client.post("/__admin/reset").status_code == 200
    return module_client


def load(client: TestClient, name: str) -> dict:
    answer = client.post("/__admin/scenarios", content=(QA / f"{name}.yaml").read_bytes(),
                         headers={"Content-Type": "application/yaml"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_required_examples_ship() -> None:
    names = {path.stem for path in EXAMPLES}
    assert names >= {"titus-token-expiry", "titus-dropped-response", "titus-409-duplicate", "litmos-409-duplicate",
                     "litmos-rate-limit", "tesla-slow", "tesla-token-expiry", "litmos-flaky"}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_loads_and_is_described(client: TestClient, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["name"] == path.stem and len(data["description"]) > 20
    assert path.read_text(encoding="utf-8").startswith("#"), "an example opens with a comment"
    assert load(client, path.stem)["name"] == path.stem
    assert [s["name"] for s in client.get("/__admin/scenarios").json()["scenarios"]][-1] == path.stem


def test_a_bare_name_finds_the_packaged_example() -> None:
    found = locate(Path("titus-token-expiry"))
    assert found.is_file() and found.name == "titus-token-expiry.yaml"
    assert found.read_bytes() == (QA / "titus-token-expiry.yaml").read_bytes()


def test_titus_token_expiry_is_the_real_invalidtimedtoken(client: TestClient) -> None:
    load(client, "titus-token-expiry")
    expired = client.get(f"{TITUS}/user/5", headers={"Authorization": "Bearer titus-hour-token"})
    assert expired.status_code == 401
    assert expired.json()["errorcode"] == "invalidtimedtoken"
    assert client.get("/__admin/faults").json()["faults"] == []  # no fault rule involved
    # Real expiry: inside the token's hour the same token works.
    client.post("/__admin/clock", json={"set": "2030-01-01T00:30:00Z"})
    assert client.get(f"{TITUS}/user/5", headers={"Authorization": "Bearer titus-hour-token"}).status_code == 200


def test_titus_dropped_response_creates_the_user_then_the_retry_is_409(client: TestClient) -> None:
    load(client, "titus-dropped-response")
    with pytest.raises(ConnectionDropped):
        client.post(f"{TITUS}/user", json=NEW_USER, headers=ADMIN_TOKEN)
    found = client.get(f"{TITUS}/users", params={"username": "new.starter"}, headers=ADMIN_TOKEN).json()
    assert [user["username"] for user in found["users"]] == ["new.starter"]
    retry = client.post(f"{TITUS}/user", json=NEW_USER, headers=ADMIN_TOKEN)
    assert (retry.status_code, retry.json()["errorcode"]) == (409, "usernameexists")


def test_titus_409_duplicate(client: TestClient) -> None:
    load(client, "titus-409-duplicate")
    answer = client.post(f"{TITUS}/user", json=NEW_USER, headers=ADMIN_TOKEN)
    assert (answer.status_code, answer.json()["errorcode"]) == (409, "usernameexists")
    assert client.get(f"{TITUS}/user/900", headers=ADMIN_TOKEN).json()["username"] == "new.starter"


def test_litmos_409_duplicate(client: TestClient) -> None:
    load(client, "litmos-409-duplicate")
    body = {"UserName": "New.Starter@harbourline.example", "FirstName": "New", "LastName": "Starter"}
    answer = client.post(f"{LITMOS}/users?source=qa&format=json", json=body, headers=DEMO_KEY)
    assert (answer.status_code, answer.json()) == (409, {"Detail": "UserName already exists"})


def test_litmos_rate_limit_is_the_real_503(client: TestClient) -> None:
    load(client, "litmos-rate-limit")
    limited = client.get(f"{LITMOS}/users?source=qa&format=json", headers=DEMO_KEY)
    assert (limited.status_code, limited.json()) == (503, {"Detail": "Rating Limit Exceeded"})
    assert client.get(f"{LITMOS}/users?source=qa", headers={"apikey": "litmos-admin-key"}).status_code == 200
    client.post("/__admin/clock", json={"advance": "61s"})
    assert client.get(f"{LITMOS}/users?source=qa", headers=DEMO_KEY).status_code == 200


def test_tesla_slow_delays_a_request(client: TestClient) -> None:
    load(client, "tesla-slow")
    started = time.monotonic()
    answer = client.get(f"{TESLA}/institution/1/group/")
    elapsed = time.monotonic() - started
    assert answer.status_code == 200
    assert 0.8 <= elapsed < 3.0
    assert client.get("/__admin/faults/fault-1").json()["applied"] == 1


def test_tesla_token_expiry_freezes_the_clock_so_the_test_expires_tokens(client: TestClient) -> None:
    load(client, "tesla-token-expiry")
    clock = client.get("/__admin/clock").json()
    assert clock["frozen"] and clock["iso"].startswith("2030-01-01T09:00:00")
    login = client.post(f"{TESLA}/auth/login", json={"email": "admin@tesla.example", "password": "tesla-admin"})
    auth = {"Authorization": f"JWT {login.json()['token']['access_token']}"}
    assert client.get(f"{TESLA}/institution/", headers=auth).status_code == 200
    client.post("/__admin/clock", json={"advance": "14m"})
    assert client.get(f"{TESLA}/institution/", headers=auth).status_code == 200
    client.post("/__admin/clock", json={"advance": "2m"})
    expired = client.get(f"{TESLA}/institution/", headers=auth)
    assert (expired.status_code, expired.json()) == (401, {"detail": "Invalid token: Invalid JWT token"})


def test_litmos_flaky_fails_about_a_third_of_gets(client: TestClient) -> None:
    load(client, "litmos-flaky")
    codes = [client.get(f"{LITMOS}/courses?source=qa&format=json", headers=DEMO_KEY).status_code for _ in range(40)]
    assert set(codes) == {200, 503}
    assert 0.15 <= codes.count(503) / len(codes) <= 0.45
    rule = client.get("/__admin/faults/fault-1").json()
    assert (rule["matched"], rule["applied"]) == (40, codes.count(503))
    # Writes are untouched.
    body = {"UserName": "flaky.write@harbourline.example", "FirstName": "F", "LastName": "W"}
    assert client.post(f"{LITMOS}/users?source=qa&format=json", json=body, headers=DEMO_KEY).status_code == 201
