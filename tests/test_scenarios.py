"""Scenarios (QA toolkit item 3): fault rules, clock, rate limits and state overrides in one YAML
or JSON document, applied through the admin API or at startup, all or nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


TITUS = "/titus/api/v1"
LITMOS = "/litmos/v1.svc"
ADMIN = {"Authorization": "Bearer titus-admin-token"}
LITMOS_KEY = {"apikey": "litmos-demo-key"}
LITMOS_USERS = f"{LITMOS}/users?source=qa&limit=1&format=json"

FULL_SCENARIO: dict[str, Any] = {
    "name": "everything",
    "description": "one of each part",
    "clock": {"set": "2031-02-03T04:05:06Z", "freeze": True},
    "faults": [{"name": "titus-user-5-down", "match": {"vendor": "titus", "method": "GET", "path": "/user/5"},
                "action": {"type": "status", "status": 503}}],
    "ratelimits": [{"vendor": "litmos", "limit": 2, "window": "60s"}],
    "state": {"titus": {"tables": {"users": {"rows": [{"id": 6, "firstname": "Scenario"}]}},
                        "tokens": [{"token": "scenario-token", "userid": 2, "profile": "admin", "validuntil": 0,
                                    "tenantid": None}]}},
}

FULL_YAML = """\
name: everything-yaml
clock:
  set: "2031-02-03T04:05:06Z"
  freeze: true
faults:
  - name: titus-user-5-down
    match: {vendor: titus, method: GET, path: /user/5}
    action: {type: status, status: 503}
ratelimits:
  - {vendor: litmos, limit: 2, window: 60s}
state:
  titus:
    tables:
      users:
        rows:
          - {id: 6, firstname: Scenario}
    tokens:
      - {token: scenario-token, userid: 2, profile: admin, validuntil: 0, tenantid: null}
"""


@pytest.fixture
def client(all_client: Any) -> Any:
    return all_client


def snapshot(client: Any, query: str = "") -> dict[str, Any]:
    """What a refused scenario must leave as it was."""
    clock = client.get(f"/__admin/clock{query}").json()
    return {
        "faults": client.get(f"/__admin/faults{query}").json()["faults"],
        "clock": (clock["offset_seconds"] // 60, clock["frozen"]),
        "ratelimits": client.get(f"/__admin/ratelimits{query}").json(),
        "titus": client.get(f"/__admin/state/titus{query}").json(),
        "scenarios": client.get(f"/__admin/scenarios{query}").json(),
    }


def assert_full_scenario_applied(client: Any, name: str, base: str = "") -> None:
    assert client.get(f"{base}{TITUS}/user/5", headers=ADMIN).status_code == 503
    six = client.get(f"{base}{TITUS}/user/6", headers={"Authorization": "Bearer scenario-token"})
    assert six.status_code == 200 and six.json()["firstname"] == "Scenario"
    assert client.get(f"{base}/__admin/clock").json()["iso"] == "2031-02-03T04:05:06Z"
    assert client.get(f"{base}/__admin/clock").json()["frozen"] is True
    assert [client.get(f"{base}{LITMOS_USERS}", headers=LITMOS_KEY).status_code for _ in range(3)] == [200, 200, 503]
    listed = client.get(f"{base}/__admin/scenarios").json()["scenarios"]
    assert [s["name"] for s in listed] == [name]
    assert listed[0]["faults"] == ["fault-1"] and listed[0]["state"] == ["titus"]
    assert listed[0]["ratelimits"] == ["litmos"]


def test_json_scenario_applies_every_part(client) -> None:
    answer = client.post("/__admin/scenarios", json=FULL_SCENARIO)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["name"] == "everything" and result["faults"] == ["fault-1"]
    assert result["clock"]["iso"] == "2031-02-03T04:05:06Z"
    assert_full_scenario_applied(client, "everything")
    # Other seeded fields of the merged row are kept.
    assert client.get(f"{TITUS}/user/6", headers=ADMIN).json()["lastname"]
    # A full reset undoes every part (no startup scenario here).
    assert client.post("/__admin/reset").status_code == 200
    assert client.get("/__admin/ratelimits").json()["vendors"]["litmos"]["limit"] == 100
    assert client.get("/__admin/faults").json()["faults"] == []
    assert client.get("/__admin/scenarios").json()["scenarios"] == []
    assert client.get(f"{TITUS}/user/6", headers={"Authorization": "Bearer scenario-token"}).status_code == 401
    assert client.get("/__admin/clock").json()["offset_seconds"] == 0


@pytest.mark.parametrize("media", ["application/yaml", "text/yaml"])
def test_yaml_scenario_applies_every_part(client, media) -> None:
    answer = client.post("/__admin/scenarios", content=FULL_YAML.encode(), headers={"Content-Type": media})
    assert answer.status_code == 200, answer.text
    assert_full_scenario_applied(client, "everything-yaml")


def test_scenario_in_a_namespace_touches_only_it(client) -> None:
    before = snapshot(client)
    answer = client.post("/ns/scen-a/__admin/scenarios", json=FULL_SCENARIO)
    assert answer.status_code == 200
    assert_full_scenario_applied(client, "everything", base="/ns/scen-a")
    assert snapshot(client)["faults"] == before["faults"] == []
    assert client.get(f"{TITUS}/user/5", headers=ADMIN).status_code == 200
    via_query = client.post("/__admin/scenarios?namespace=scen-b", content=FULL_YAML.encode(),
                            headers={"Content-Type": "application/yaml"})
    assert via_query.status_code == 200
    assert_full_scenario_applied(client, "everything-yaml", base="/ns/scen-b")
    assert client.get("/__admin/scenarios").json()["scenarios"] == []


@pytest.mark.parametrize("broken", [
    {"faults": [*FULL_SCENARIO["faults"], {"match": {}, "action": {"type": "explode"}}]},
    {"faults": [*FULL_SCENARIO["faults"], {"match": {"path_regex": "("}, "action": {"type": "empty"}}]},
    {"state": {"titus": {"tables": {"no_such_table": {"rows": [{"id": 1}]}}}}},
    {"state": {"titus": {"tables": {"users": {"rows": [{"firstname": "no id"}]}}}}},
    {"state": {"nosuchvendor": {"tables": {}}}},
    {"ratelimits": [{"vendor": "titus", "limit": 5}]},
    {"ratelimits": [{"vendor": "litmos", "window": "soon"}]},
    {"clock": {"advance": "later"}},
    {"clock": {"set": "9999-12-31T23:59:59Z", "advance": "2d"}},
    {"colour": "red"},
])
def test_a_scenario_with_one_error_changes_nothing(client, broken) -> None:
    before = snapshot(client)
    answer = client.post("/__admin/scenarios", json={**FULL_SCENARIO, **broken})
    assert answer.status_code == 400, answer.text
    # A JSON body that breaks the admin spec's Scenario schema is refused by request validation
    # (a plain bad_request) before the scenario code sees it; everything else is bad_scenario.
    assert answer.json()["error"] in ("bad_scenario", "bad_request")
    assert answer.headers["x-mock-source"] == "lms-mockserver"
    assert snapshot(client) == before
    # Sent as YAML, the same document is always the scenario code's own bad_scenario.
    as_yaml = client.post("/__admin/scenarios", content=json.dumps({**FULL_SCENARIO, **broken}).encode(),
                          headers={"Content-Type": "application/yaml"})
    assert (as_yaml.status_code, as_yaml.json()["error"]) == (400, "bad_scenario")
    assert snapshot(client) == before
    assert before["faults"] == [] and before["clock"] == (0, False)


def test_a_state_clash_rolls_every_vendor_back(client) -> None:
    # Litmos merges first, then Titus refuses (two users with one username): Litmos must not keep its change.
    seeded = client.get("/__admin/state/titus").json()["tables"]["users"]["rows"]
    clash = {"state": {
        "litmos": {"tables": {"users": {"rows": [{**client.get("/__admin/state/litmos").json()["tables"]["users"]
                                                  ["rows"][0], "FirstName": "Changed"}]}}},
        "titus": {"tables": {"users": {"rows": [{"id": seeded[1]["id"], "username": seeded[0]["username"]}]}}},
    }}
    before = {v: client.get(f"/__admin/state/{v}").json() for v in ("titus", "litmos")}
    answer = client.post("/__admin/scenarios", json=clash)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "bad_scenario"
    assert {v: client.get(f"/__admin/state/{v}").json() for v in ("titus", "litmos")} == before


def test_ratelimit_prefill_counts_at_the_scenarios_clock(client) -> None:
    """`used` fills the counter "at the current mock time": with a clock in the same scenario, the
    next call must still be over the limit (the parts must not undo each other)."""
    scenario = {"clock": {"set": "2031-01-01T00:00:00Z", "freeze": True},
                "ratelimits": [{"vendor": "litmos", "credential": "litmos-demo-key", "used": 100}]}
    assert client.post("/__admin/scenarios", json=scenario).status_code == 200
    assert client.get(LITMOS_USERS, headers=LITMOS_KEY).status_code == 503


@pytest.mark.parametrize("hostile", [
    "name: x\nfaults: !!python/object:os.system {}\n",
    "!!python/object/apply:os.system ['true']\n",
    "name: &a x\ndescription: *a\n",
    "name: [unclosed\n",
    "- just\n- a list\n",
])
def test_hostile_or_broken_yaml_is_refused(client, hostile) -> None:
    answer = client.post("/__admin/scenarios", content=hostile.encode(), headers={"Content-Type": "application/yaml"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "bad_scenario"
    assert client.get("/__admin/scenarios").json()["scenarios"] == []


def test_startup_scenario_is_reapplied_after_reset(make_client, tmp_path: Path) -> None:
    path = tmp_path / "startup.yaml"
    path.write_text(FULL_YAML, encoding="utf-8")
    client = make_client(scenario=str(path))
    assert_full_scenario_applied(client, "everything-yaml")
    assert client.delete("/__admin/faults").json() == {"removed": 1}
    assert client.post("/__admin/clock", json={"reset": True}).status_code == 200
    assert client.get(f"{TITUS}/user/5", headers=ADMIN).status_code == 200

    assert client.post("/__admin/reset").status_code == 200
    faults = client.get("/__admin/faults").json()["faults"]
    assert [(f["id"], f["name"]) for f in faults] == [("fault-1", "titus-user-5-down")]
    assert_full_scenario_applied(client, "everything-yaml")
    # A namespace starts from the same startup scenarios.
    assert_full_scenario_applied(client, "everything-yaml", base="/ns/started")


def test_startup_scenario_json_file(make_client, tmp_path: Path) -> None:
    path = tmp_path / "startup.json"
    path.write_text(json.dumps(FULL_SCENARIO), encoding="utf-8")
    client = make_client(vendor="all", scenario=str(path))
    assert_full_scenario_applied(client, "everything")


def test_broken_startup_scenario_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("faults:\n  - action: {type: explode}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mockserver", "run", "--scenario", str(bad), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "invalid scenario" in proc.stderr and "bad.yaml" in proc.stderr and "explode" in proc.stderr


def test_state_overrides_reach_all_three_vendors(client) -> None:
    owner = client.get("/__admin/state/litmos").json()["tables"]["api_keys"]["rows"][0]["UserId"]
    scenario = """\
name: three-vendors
state:
  litmos:
    tables:
      api_keys:
        rows:
          - {id: 900, Key: scenario-litmos-key, UserId: %s, Note: from a scenario}
  tesla:
    tables:
      institutions:
        rows:
          - {id: 1, name: Scenario University}
  titus:
    tables:
      users:
        rows:
          - {id: 5, city: Scenario City}
""" % owner
    answer = client.post("/__admin/scenarios", content=scenario.encode(), headers={"Content-Type": "application/yaml"})
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["state"]) == ["litmos", "tesla", "titus"]
    assert client.get(LITMOS_USERS, headers={"apikey": "scenario-litmos-key"}).status_code == 200
    assert client.get(LITMOS_USERS, headers={"apikey": "not-a-key"}).status_code == 401
    login = client.post("/tesla/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    token = login.json()["token"]["access_token"]
    institution = client.get("/tesla/api/v2/institution/1/", headers={"Authorization": f"JWT {token}"}).json()
    assert (institution["name"], institution["acronym"]) == ("Scenario University", "NOU")
    assert client.get(f"{TITUS}/user/5", headers=ADMIN).json()["city"] == "Scenario City"
