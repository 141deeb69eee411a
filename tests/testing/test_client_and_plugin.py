"""mockserver.testing: the admin client against a real in-process server, and the pytest plugin."""

from __future__ import annotations

import textwrap
from pathlib import Path
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from mockserver.testing import MockAdminError, MockClient, MockServerThread

pytest_plugins = ["pytester"]

TITUS = "/titus/api/v1"
ADMIN = {"Authorization": "Bearer titus-admin-token"}
LITMOS_KEY = {"apikey": "litmos-demo-key"}
NEW_USER = {"username": "jane.doe", "firstname": "Jane", "lastname": "Doe", "email": "jane.doe@example.org"}


@pytest.fixture
def server(lms_mock_server: MockServerThread) -> MockServerThread:
    """The plugin's session server (all vendors, log level warning), the one `lms_mock` talks to."""
    return lms_mock_server


@pytest.fixture
def mock(lms_mock: MockClient) -> MockClient:
    """The plugin's own fixture: the default namespace reset and every other one dropped."""
    return lms_mock


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def users_named(http: httpx.Client, mock: MockClient, username: str) -> int:
    answer = http.get(mock.url(f"{TITUS}/users"), params={"username": username}, headers=ADMIN)
    assert answer.status_code == 200
    return answer.json()["batch"]["totalitems"]


def test_server_serves_on_a_free_loopback_port(server: MockServerThread, mock: MockClient) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}" and server.port > 0
    assert mock.health()["vendors"] == ["titus", "litmos", "tesla"]
    assert server.app.runtime is not None


def test_reset_restores_the_seed(mock: MockClient, http: httpx.Client) -> None:
    assert http.post(mock.url(f"{TITUS}/user"), json=NEW_USER, headers=ADMIN).status_code == 201
    mock.add_fault(match={"path": "/nothing"}, action={"type": "status", "status": 500})
    mock.advance("2h")
    assert users_named(http, mock, "jane.doe") == 1

    assert mock.reset()["reset"] == ["titus", "litmos", "tesla"]
    assert users_named(http, mock, "jane.doe") == 0
    assert mock.faults() == []
    assert abs(mock.clock()["offset_seconds"]) < 1
    assert [(e["method"], e["vendor_path"]) for e in mock.requests(vendor="titus")] == [("GET", "/users")]
    assert mock.count(vendor="titus", method="POST") == 0


def test_snapshot_and_restore_roll_back_to_any_point(mock: MockClient, http: httpx.Client) -> None:
    assert http.post(mock.url(f"{TITUS}/user"), json=NEW_USER, headers=ADMIN).status_code == 201
    taken = mock.snapshot("with-jane")
    assert taken["name"] == "with-jane" and [s["name"] for s in mock.snapshots()] == ["with-jane"]
    assert http.post(mock.url(f"{TITUS}/user"), json={**NEW_USER, "username": "john.doe",
                                                      "email": "john.doe@example.org"}, headers=ADMIN).status_code == 201
    assert mock.restore("with-jane")["restored"] == "with-jane"
    assert users_named(http, mock, "jane.doe") == 1 and users_named(http, mock, "john.doe") == 0
    assert mock.delete_snapshot("with-jane")["deleted"] == "with-jane"
    with pytest.raises(MockAdminError) as missing:
        mock.restore("with-jane")
    assert missing.value.status == 404
    assert any(e["path"].endswith("/snapshots") for e in mock.requests(include_admin=True))
    assert not any(e["vendor"] == "admin" for e in mock.requests())


def test_assertion_helpers_say_what_was_expected_and_what_arrived(mock: MockClient, http: httpx.Client) -> None:
    http.get(mock.url(f"{TITUS}/user/5"), headers=ADMIN)
    http.get(mock.url(f"{TITUS}/usr/6"), headers=ADMIN)  # a typo: no route
    found = mock.assert_requested(vendor="titus", method="GET", path="/user/5")
    assert len(found) == 1
    mock.assert_not_requested(vendor="titus", method="POST")
    with pytest.raises(AssertionError) as failure:
        mock.assert_requested(vendor="titus", method="GET", path="/user/6")
    message = str(failure.value)
    assert message.startswith("expected 1 call matching {'vendor': 'titus', 'method': 'GET', 'path': '/user/6'}, found 0")
    assert "  GET /user/5 -> 200" in message
    assert f"no route for GET {TITUS}/usr/6; nearest: GET /user/{{id}}" in message
    with pytest.raises(AssertionError, match="expected 0 calls .* found 1"):
        mock.assert_not_requested(vendor="titus", path="/user/5")


def test_fault_with_times_one_spoils_exactly_one_answer(mock: MockClient, http: httpx.Client) -> None:
    rule = mock.add_fault(match={"vendor": "titus", "method": "GET", "path": "/user/5"},
                          action={"type": "status", "status": 409}, times=1, name="one conflict")
    assert rule["id"].startswith("fault-") and rule["remaining"] == 1 and rule["name"] == "one conflict"
    statuses = [http.get(mock.url(f"{TITUS}/user/5"), headers=ADMIN).status_code for _ in range(3)]
    assert statuses == [409, 200, 200]
    assert mock.fault(rule["id"])["applied"] == 1
    assert mock.remove_fault(rule["id"])["removed"] == 1
    assert mock.faults() == []


def test_add_fault_takes_one_whole_rule_and_clear_removes_it(mock: MockClient) -> None:
    mock.add_fault({"match": {"vendor": "litmos"}, "action": {"type": "empty"}, "priority": 3})
    assert [(f["priority"], f["action"]["type"]) for f in mock.faults()] == [(3, "empty")]
    assert mock.clear_faults() == 1 and mock.faults() == []


def test_clock_moves(mock: MockClient) -> None:
    before = mock.now()
    after = mock.advance("1h")
    assert timedelta(minutes=59) < after - before < timedelta(minutes=61)
    assert timedelta(minutes=59) < mock.now() - before < timedelta(minutes=61)
    assert mock.advance(90) - after >= timedelta(seconds=90)
    assert mock.set_time(datetime(2031, 5, 6, 7, 8, 9)) - datetime(2031, 5, 6, 7, 8, 9, tzinfo=timezone.utc) < timedelta(seconds=1)
    frozen = mock.freeze()
    assert mock.clock()["frozen"] is True and mock.now() == frozen
    mock.unfreeze()
    assert mock.clock()["frozen"] is False


def test_count_and_find_with_a_body_pattern(mock: MockClient, http: httpx.Client) -> None:
    assert http.post(mock.url(f"{TITUS}/user"), json=NEW_USER, headers=ADMIN).status_code == 201
    http.get(mock.url(f"{TITUS}/user/5"), headers=ADMIN)
    assert mock.count(method="POST", path="/user", body={"username": "jane.doe"}) == 1
    assert mock.count(method="POST", path="/user", body={"username": "john.doe"}) == 0
    assert mock.count({"vendor": "titus"}, method="GET") == 1
    found = mock.find(method="POST", body={"username": "jane.doe"})
    assert [(e["method"], e["vendor_path"], e["status"]) for e in found] == [("POST", "/user", 201)]
    http.get(mock.url(f"{TITUS}/usr/5"), headers=ADMIN)
    assert [e["vendor_path"] for e in mock.unmatched()] == ["/usr/5"]


def test_namespaces_are_isolated(mock: MockClient, http: httpx.Client) -> None:
    job_a, job_b = mock.namespace("job-a"), mock.namespace("job-b")
    assert job_a.url(f"{TITUS}/user") == f"{mock.base_url}/ns/job-a{TITUS}/user"
    assert http.post(job_a.url(f"{TITUS}/user"), json=NEW_USER, headers=ADMIN).status_code == 201
    assert users_named(http, job_a, "jane.doe") == 1
    assert users_named(http, job_b, "jane.doe") == 0
    assert users_named(http, mock, "jane.doe") == 0
    assert job_a.count(method="POST", path="/user") == 1
    assert job_b.count(method="POST", path="/user") == 0 and mock.count(method="POST", path="/user") == 0
    job_a.advance("1d")
    assert job_a.now() - mock.now() > timedelta(hours=23)
    assert {n["name"] for n in mock.namespaces()} == {"job-a", "job-b"}
    job_a.reset()
    assert users_named(http, job_a, "jane.doe") == 0


def test_load_scenario_from_a_yaml_file(mock: MockClient, http: httpx.Client, tmp_path) -> None:
    scenario = tmp_path / "outage.yaml"
    scenario.write_text(textwrap.dedent("""\
        name: titus-outage
        clock: {set: "2030-01-01T00:00:00Z", freeze: true}
        faults:
          - name: user 5 down
            match: {vendor: titus, path: /user/5}
            action: {type: status, status: 503}
    """))
    result = mock.load_scenario(scenario)
    assert result["name"] == "titus-outage" and len(result["faults"]) == 1
    assert mock.now() == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert [f["name"] for f in mock.faults()] == ["user 5 down"]
    assert http.get(mock.url(f"{TITUS}/user/5"), headers=ADMIN).status_code == 503
    assert [s["name"] for s in mock.scenarios()] == ["titus-outage"]
    mock.load_scenario({"name": "as-json", "faults": []})
    assert [s["name"] for s in mock.scenarios()] == ["titus-outage", "as-json"]


def test_ratelimit_prefilled_makes_the_next_litmos_call_503(mock: MockClient, http: httpx.Client) -> None:
    users = mock.url("/litmos/v1.svc/users")
    assert http.get(users, params={"source": "qa"}, headers=LITMOS_KEY).status_code == 200
    limits = mock.set_ratelimit("litmos", credential="litmos-demo-key", used=100)
    assert limits["vendors"]["litmos"]["limit"] == 100
    assert http.get(users, params={"source": "qa"}, headers=LITMOS_KEY).status_code == 503
    assert mock.ratelimits()["vendors"]["litmos"]["credentials"]
    mock.reset()
    assert http.get(users, params={"source": "qa"}, headers=LITMOS_KEY).status_code == 200


def test_drop_fault_closes_the_connection_once(mock: MockClient) -> None:
    mock.add_fault(match={"vendor": "titus", "path": "/user/5"}, action={"type": "drop"}, times=1)
    with httpx.Client(timeout=10) as fresh:
        with pytest.raises(httpx.TransportError):
            fresh.get(mock.url(f"{TITUS}/user/5"), headers=ADMIN)
        assert fresh.get(mock.url(f"{TITUS}/user/5"), headers=ADMIN).status_code == 200


def test_refused_admin_calls_raise(mock: MockClient) -> None:
    with pytest.raises(MockAdminError) as refused:
        mock.add_fault(match={"path": "/user/5"}, action={"type": "explode"})
    assert refused.value.status == 400 and refused.value.body["source"] == "lms-mockserver"
    with pytest.raises(MockAdminError) as missing:
        mock.remove_fault("fault-999")
    assert missing.value.status == 404
    with pytest.raises(TypeError):
        mock.add_fault(match={"path": "/user/5"})
    assert mock.faults() == []


CONSUMER_TESTS = '''
import httpx

NEW_USER = {"username": "jane.doe", "firstname": "Jane", "lastname": "Doe", "email": "jane.doe@example.org"}
ADMIN = {"Authorization": "Bearer titus-admin-token"}


def test_first_creates_a_user(lms_mock):
    created = httpx.post(lms_mock.url("/titus/api/v1/user"), json=NEW_USER, headers=ADMIN)
    assert created.status_code == 201
    assert lms_mock.count(method="POST", path="/user", body={"username": "jane.doe"}) == 1
    lms_mock.add_fault(match={}, action={"type": "status", "status": 500})


def test_second_starts_from_the_seed(lms_mock):
    found = httpx.get(lms_mock.url("/titus/api/v1/users"), params={"username": "jane.doe"}, headers=ADMIN)
    assert found.status_code == 200 and found.json()["batch"]["totalitems"] == 0
    assert lms_mock.faults() == []
    assert lms_mock.count(vendor="titus", method="POST") == 0
    assert lms_mock.count(vendor="titus") == 1  # the lookup above: the journal was emptied
'''


def guide_example() -> str:
    """The pytest example of docs/qa.md's "Python helper" section, as a user would copy it."""
    guide = (Path(__file__).parents[2] / "docs" / "qa.md").read_text(encoding="utf-8")
    section = guide.split("## Python helper: mockserver.testing", 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_plugin_gives_consumers_a_reset_lms_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_consumer=CONSUMER_TESTS, test_guide_example=guide_example())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "0", "-p", "no:randomly")
    result.assert_outcomes(passed=3)
    # A consumer's run shows no warning of ours or of what we import (no filter in its config).
    assert "warnings summary" not in result.stdout.str(), result.stdout.str()


def test_plugin_option_chooses_the_vendor(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_litmos_only='''
def test_only_litmos(lms_mock, lms_mock_server):
    assert lms_mock.health()["vendors"] == ["litmos"]
    assert lms_mock_server.settings.vendor == "litmos"
''')
    # In this process: what is tested is the option, not a clean interpreter (the test above is one).
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-n", "0", "-p", "no:randomly",
                                          "--lms-mock-vendor", "litmos")
    result.assert_outcomes(passed=1)
