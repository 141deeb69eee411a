"""The virtual clock (QA toolkit item 4): every time-based rule of every vendor reads the
namespace's mock clock, so tests move time instead of sleeping."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import pytest


TITUS = "/titus/api/v1"
LITMOS = "/litmos/v1.svc"
TESLA = "/tesla/api/v2"
ADMIN = {"Authorization": "Bearer titus-admin-token"}
LITMOS_KEY = {"apikey": "litmos-demo-key"}
GA = {"email": "admin@tesla.example", "password": "tesla-admin"}
INVALID_JWT = {"detail": "Invalid token: Invalid JWT token"}


@pytest.fixture
def client(all_client: Any) -> Any:
    return all_client


def clock(client: Any, **change: Any) -> dict[str, Any]:
    answer = client.post("/__admin/clock", json=change) if change else client.get("/__admin/clock")
    assert answer.status_code == 200, answer.text
    return answer.json()


def epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def test_litmos_rate_limit_window_follows_the_clock(client) -> None:
    clock(client, freeze=True)  # all 100 calls inside one window whatever the machine's speed
    url = f"{LITMOS}/users?source=qa&limit=1&format=json"
    for _ in range(100):
        assert client.get(url, headers=LITMOS_KEY).status_code == 200
    assert client.get(url, headers=LITMOS_KEY).status_code == 503
    clock(client, advance="59s")
    assert client.get(url, headers=LITMOS_KEY).status_code == 503
    clock(client, advance="2s")
    assert client.get(url, headers=LITMOS_KEY).status_code == 200


def test_titus_token_expiry_follows_the_clock(client) -> None:
    now = clock(client)["now"]
    scenario = {"name": "timed-token", "state": {"titus": {"tokens": [
        {"token": "qa-timed-token", "userid": 2, "profile": "admin", "validuntil": int(now) + 3600, "tenantid": None},
    ]}}}
    assert client.post("/__admin/scenarios", json=scenario).status_code == 200
    timed = {"Authorization": "Bearer qa-timed-token"}
    assert client.get(f"{TITUS}/user/5", headers=timed).status_code == 200
    clock(client, advance="59m")
    assert client.get(f"{TITUS}/user/5", headers=timed).status_code == 200
    clock(client, advance="1h")
    expired = client.get(f"{TITUS}/user/5", headers=timed)
    assert expired.status_code == 401 and expired.json()["errorcode"] == "invalidtimedtoken"
    assert client.get(f"{TITUS}/user/5", headers=ADMIN).status_code == 200  # validuntil 0 never expires
    # Back to wall time, the token is valid again: expiry is read on every use.
    clock(client, reset=True)
    assert client.get(f"{TITUS}/user/5", headers=timed).status_code == 200


def test_titus_seeded_expired_token_is_valid_before_its_time(client) -> None:
    expired = {"Authorization": "Bearer titus-expired-token"}
    assert client.get(f"{TITUS}/user/5", headers=expired).json()["errorcode"] == "invalidtimedtoken"
    clock(client, set="2020-01-01T00:00:00Z")
    assert client.get(f"{TITUS}/user/5", headers=expired).status_code == 200


def test_tesla_jwt_expiry_and_refresh_follow_the_clock(client) -> None:
    pair = client.post(f"{TESLA}/auth/login", json=GA).json()["token"]
    headers = {"Authorization": f"JWT {pair['access_token']}"}
    assert client.get(f"{TESLA}/institution/", headers=headers).status_code == 200
    clock(client, advance="14m")
    assert client.get(f"{TESLA}/institution/", headers=headers).status_code == 200
    clock(client, advance="2m")
    expired = client.get(f"{TESLA}/institution/", headers=headers)
    assert (expired.status_code, expired.json()) == (401, INVALID_JWT)

    renewed = client.post(f"{TESLA}/auth/token/refresh", json={"token": pair["access_token"]},
                          headers={"Authorization": f"JWT {pair['refresh_token']}"})
    assert renewed.status_code == 200, renewed.text
    fresh = {"Authorization": f"JWT {renewed.json()['token']['access_token']}"}
    assert client.get(f"{TESLA}/institution/", headers=fresh).status_code == 200
    # The global admin's refresh token lives 60 minutes on the mock clock.
    clock(client, advance="45m")
    late = client.post(f"{TESLA}/auth/token/refresh", json={"token": pair["access_token"]},
                       headers={"Authorization": f"JWT {pair['refresh_token']}"})
    assert late.status_code == 403


def test_titus_timestamps_follow_a_set_clock(client) -> None:
    clock(client, set="2031-03-04T05:06:07Z", freeze=True)
    user = client.post(f"{TITUS}/user", json={"username": "clock.user", "firstname": "C", "lastname": "U",
                                              "email": "clock.user@example.org"}, headers=ADMIN)
    assert user.status_code == 201
    assert user.json()["timecreated"] == user.json()["timemodified"] == epoch("2031-03-04T05:06:07Z")
    clock(client, advance="1d")
    updated = client.put(f"{TITUS}/user/{user.json()['id']}", json={"city": "Leeds"}, headers=ADMIN).json()
    assert updated["timecreated"] == epoch("2031-03-04T05:06:07Z")
    assert updated["timemodified"] == epoch("2031-03-05T05:06:07Z")


def test_tesla_current_consent_follows_the_clock(client) -> None:
    current = f"{TESLA}/institution/1/ic/current/"
    assert client.get(current).json()["version"] == "1.1.2"
    clock(client, set="2030-12-31T00:00:00Z")
    assert client.get(current).json()["version"] == "2.0.0"
    clock(client, reset=True)
    assert client.get(current).json()["version"] == "1.1.2"


def test_litmos_since_sees_a_user_created_at_a_set_time(client) -> None:
    clock(client, set="2031-06-01T12:00:00Z")
    body = {"UserName": "since.user@example.org", "FirstName": "Since", "LastName": "User",
            "Email": "since.user@example.org", "AccessLevel": "Learner", "DisableMessages": True, "Active": True,
            "IsCustomUsername": True}
    created = client.post(f"{LITMOS}/users?source=qa&format=json", json=body, headers=LITMOS_KEY)
    assert created.status_code == 201, created.text
    assert created.json()["CreatedDate"] == "2031-06-01T12:00:00Z"
    found = client.get(f"{LITMOS}/users/details?source=qa&format=json&since=2031-06-01", headers=LITMOS_KEY)
    assert found.status_code == 200
    assert [u["UserName"] for u in found.json()] == ["since.user@example.org"]
    later = client.get(f"{LITMOS}/users/details?source=qa&format=json&since=2031-06-01 12:00:01",
                       headers=LITMOS_KEY)
    assert later.json() == []


def test_freeze_keeps_time_still_across_requests(client) -> None:
    frozen = clock(client, freeze=True)
    assert frozen["frozen"] is True
    time.sleep(0.05)
    assert clock(client)["now"] == frozen["now"]
    first = client.post(f"{TITUS}/user", json={"username": "frozen.a", "firstname": "F", "lastname": "A",
                                               "email": "frozen.a@example.org"}, headers=ADMIN).json()
    time.sleep(1.05)  # crosses a whole second on the wall clock
    second = client.post(f"{TITUS}/user", json={"username": "frozen.b", "firstname": "F", "lastname": "B",
                                                "email": "frozen.b@example.org"}, headers=ADMIN).json()
    assert first["timecreated"] == second["timecreated"] == int(frozen["now"])
    moved = clock(client, advance="10s")
    assert moved["now"] == pytest.approx(frozen["now"] + 10) and moved["frozen"] is True
    running = clock(client, freeze=False)
    assert running["frozen"] is False


def test_reset_returns_to_wall_time(client) -> None:
    clock(client, set="2040-01-01T00:00:00Z", freeze=True)
    assert clock(client)["iso"].startswith("2040-01-01")
    back = clock(client, reset=True)
    assert back["offset_seconds"] == 0 and back["frozen"] is False
    assert abs(back["now"] - time.time()) < 5
    clock(client, advance="5d", freeze=True)
    assert client.post("/__admin/reset").status_code == 200
    after = clock(client)
    assert after["offset_seconds"] == 0 and after["frozen"] is False and abs(after["now"] - time.time()) < 5


def test_clock_refuses_bad_changes_and_keeps_its_time(client) -> None:
    before = clock(client, set="2031-01-01T00:00:00Z", freeze=True)
    for change, status in (({"advance": "soon"}, 400), ({"set": "yesterday"}, 400), ({"colour": 1}, 400),
                           ({"set": "9999-12-31T23:59:59Z", "advance": "1d"}, 409), ({"advance": "-100000d"}, 409)):
        answer = client.post("/__admin/clock", json=change)
        assert answer.status_code == status, (change, answer.text)
        assert answer.json()["source"] == "lms-mockserver"
    assert clock(client)["now"] == before["now"]
