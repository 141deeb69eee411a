"""record -> compare with no internet: a mock process plays the vendor. A session recorded from an
identical vendor compares clean against a fresh mock; one recorded from a vendor that has drifted
(tests/drift_support.py) reports exactly the drift injected, and nothing else."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from drift_support import Answer, drifting_vendor, drop_element, swap_elements
from mockserver.cli import main
from mockserver.traffic.compare import compare_file
from recording_support import recording_proxy
from server_support import server_env, thread_server

LITMOS = {"apikey": "litmos-demo-key"}
TITUS = {"Authorization": "Bearer titus-admin-token"}
NEW_LITMOS_USER = (b"<User><UserName>drift.user@example.org</UserName><FirstName>Drift</FirstName>"
                   b"<LastName>User</LastName><Email>drift.user@example.org</Email></User>")
NEW_TITUS_USER = {"username": "drift.user", "firstname": "Drift", "lastname": "User", "email": "drift@example.org"}
ISO_DATE = re.compile(rb'"(\d{4})-(\d\d)-(\d\d)T[^"]*"')


@pytest.fixture(scope="module")
def vendor() -> Iterator[str]:
    with thread_server(litmos_rate_limit="100000/60s") as base:
        yield base


@pytest.fixture
def fresh_vendor(vendor: str) -> str:
    assert httpx.post(f"{vendor}/__admin/reset").status_code == 200
    return vendor


def record(name: str, target: str, out: Path, session: Callable[[str], None]) -> Path:
    """A recording of `session` through the recording proxy, in this process (tests/traffic/
    test_recorder.py tests the `mockserver record` command itself)."""
    with recording_proxy(name, target, out) as proxy:
        session(proxy)
    return out


def litmos_session(proxy: str) -> None:
    assert httpx.get(f"{proxy}/users?source=app&limit=3", headers=LITMOS).status_code == 200
    created = httpx.post(f"{proxy}/users?source=app", headers={**LITMOS, "Content-Type": "application/xml"},
                         content=NEW_LITMOS_USER)
    user_id = ElementTree.fromstring(created.content).findtext("Id")
    httpx.get(f"{proxy}/users/{user_id}?source=app", headers=LITMOS)
    assert httpx.get(f"{proxy}/users/nobody?source=app", headers=LITMOS).status_code == 404


def titus_session(proxy: str) -> None:
    assert httpx.get(f"{proxy}/users?perpage=3", headers=TITUS).status_code == 200
    created = httpx.post(f"{proxy}/user", headers=TITUS, json=NEW_TITUS_USER)
    httpx.get(f"{proxy}/user/{created.json()['id']}", headers=TITUS)
    assert httpx.post(f"{proxy}/user", headers=TITUS, json=NEW_TITUS_USER).status_code == 409


def tesla_session(proxy: str) -> None:
    login = httpx.post(f"{proxy}/api/v2/auth/login", json={"email": "inst-admin@tesla.example",
                                                           "password": "tesla-admin"})
    token = login.json()["token"]["access_token"]
    assert httpx.get(f"{proxy}/api/v2/institution/1/user/?limit=2",
                     headers={"Authorization": f"JWT {token}"}).status_code == 200


SESSIONS = {"litmos": ("/litmos/v1.svc", litmos_session), "titus": ("/titus/api/v1", titus_session),
            "tesla": ("/tesla", tesla_session)}


@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_a_session_recorded_from_an_identical_vendor_compares_clean(fresh_vendor: str, tmp_path: Path,
                                                                    name: str) -> None:
    mount, session = SESSIONS[name]
    recording = record(name, f"{fresh_vendor}{mount}", tmp_path / f"{name}.jsonl", session)
    outcomes = compare_file(recording)
    assert len(outcomes) == 4 if name != "tesla" else len(outcomes) == 2
    assert [o.differences for o in outcomes if o.differences] == []


def found(outcomes: list) -> set[tuple[int, str, str]]:
    return {(o.seq, d.where, d.kind) for o in outcomes for d in o.differences}


def test_litmos_drift_in_xml_element_order_and_a_missing_element_is_reported_exactly(fresh_vendor: str,
                                                                                       tmp_path: Path) -> None:
    def drift(method: str, path: str, answer: Answer) -> Answer:
        if method == "GET" and path.endswith("/users"):
            answer.body = swap_elements(answer.body, "FirstName", "LastName")
        elif method == "GET" and re.search(r"/users/[^/]+$", path) and answer.status == 200:
            answer.body = drop_element(answer.body, "Email")
        return answer

    with drifting_vendor(fresh_vendor, drift) as drifted:
        recording = record("litmos", f"{drifted}/litmos/v1.svc", tmp_path / "litmos.jsonl", litmos_session)
    assert found(compare_file(recording)) == {
        (1, "/Users/User[0]", "order"), (1, "/Users/User[1]", "order"), (1, "/Users/User[2]", "order"),
        (3, "/User/Email", "shape")}


def test_titus_drift_in_a_status_and_a_missing_header_is_reported_exactly(fresh_vendor: str, tmp_path: Path) -> None:
    def drift(method: str, path: str, answer: Answer) -> Answer:
        if method == "POST" and answer.status == 201:
            answer.headers.pop("location")
        elif method == "GET" and re.search(r"/user/\d+$", path):
            answer.status = 404
        return answer

    with drifting_vendor(fresh_vendor, drift) as drifted:
        recording = record("titus", f"{drifted}/titus/api/v1", tmp_path / "titus.jsonl", titus_session)
    assert found(compare_file(recording)) == {(2, "header location", "header"), (3, "status", "status")}


def test_tesla_drift_in_a_date_format_is_reported_for_each_date_and_nothing_else(fresh_vendor: str,
                                                                                  tmp_path: Path) -> None:
    def drift(method: str, path: str, answer: Answer) -> Answer:
        if method == "GET" and path.endswith("/user/"):
            answer.body = ISO_DATE.sub(rb'"\3/\2/\1"', answer.body)
        return answer

    with drifting_vendor(fresh_vendor, drift) as drifted:
        recording = record("tesla", f"{drifted}/tesla", tmp_path / "tesla.jsonl", tesla_session)
    clean = json.loads(json.loads(recording.read_text().splitlines()[1])["response"]["body"])
    dated = {f"results[{index}].{key}" for index, user in enumerate(clean["results"])
             for key, value in user.items() if isinstance(value, str) and re.fullmatch(r"\d\d/\d\d/\d{4}", value)}
    assert dated  # the drift hit some dates
    assert found(compare_file(recording)) == {(2, where, "date-format") for where in dated}


def test_the_cli_reports_in_junit_and_exits_1_on_drift(fresh_vendor: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    def drift(method: str, path: str, answer: Answer) -> Answer:
        if method == "GET" and re.search(r"/user/\d+$", path):
            answer.status = 404
        return answer

    with drifting_vendor(fresh_vendor, drift) as drifted:
        recording = record("titus", f"{drifted}/titus/api/v1", tmp_path / "titus.jsonl", titus_session)
    report = tmp_path / "report.xml"
    done = subprocess.run([sys.executable, "-m", "mockserver", "compare", str(recording), "--format", "junit",
                           "--report", str(report)], capture_output=True, text=True, timeout=120, env=server_env())
    assert done.returncode == 1 and "4 exchange(s), 1 with differences" in done.stdout, done.stderr
    suite = ElementTree.parse(report).getroot()
    assert suite.get("tests") == "4" and suite.get("failures") == "1"
    (failure,) = suite.iter("failure")
    assert "status: status: recorded 404, replayed 200" in failure.text
    # The same command in this process (the run above is the whole command): another format.
    capsys.readouterr()
    assert main(["compare", str(recording), "--format", "json", "--ignore", "nothing"]) == 1
    assert json.loads(capsys.readouterr().out)["differing"] == 1


@pytest.mark.parametrize(("args", "says"), [
    (["missing.jsonl"], "cannot be read"),
    (["{recording}", "--against", "ftp://x"], "target must be an http"),
    (["{recording}", "--credentials", "missing.yaml"], "credentials file"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], says: str,
                                         capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process (the junit test runs the whole command): the refusal is the CLI's."""
    recording = tmp_path / "r.jsonl"
    recording.write_text("")
    monkeypatch.chdir(tmp_path)
    code = main(["compare", *[a.format(recording=recording) for a in args]])
    err = capsys.readouterr().err
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1, err
