"""--state-file: the default namespace's data survives a restart, even `kill -9` (all but the last
interval); a file that cannot be loaded stops the start in one line, or is set aside on request;
a reset still returns to the seed."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from mockserver.core.bodies import json_bytes
from mockserver.state_file import FORMAT, VERSION, StateFileError, read
from server_support import free_port, server_env, start_server, stop_server

TITUS = {"Authorization": "Bearer titus-admin-token"}


def new_user(base: str, name: str) -> int:
    answer = httpx.post(f"{base}/titus/api/v1/user", headers=TITUS, timeout=10, json={
        "username": name, "firstname": "Kept", "lastname": "State", "email": f"{name}@example.org"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def user_status(base: str, user_id: int) -> int:
    return httpx.get(f"{base}/titus/api/v1/user/{user_id}", headers=TITUS, timeout=10).status_code


def test_writes_survive_kill_9_and_sigterm_and_a_reset_returns_to_the_seed(tmp_path: Path) -> None:
    state = tmp_path / "mock-state.json"
    base, proc = start_server("--vendor", "all", "--state-file", str(state), "--state-save-interval", "0.5")
    try:
        kept = new_user(base, "kept.before.kill")
        deadline = time.monotonic() + 10  # saved within the interval (0.5 s); a loaded machine may take longer
        while not (state.exists() and b'"kept.before.kill"' in state.read_bytes()):
            assert time.monotonic() < deadline, "no save within 10 s"
            time.sleep(0.05)
        assert stat.S_IMODE(state.stat().st_mode) == 0o600
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    base, proc = start_server("--state-file", str(state), "--state-save-interval", "3600")
    try:
        assert user_status(base, kept) == 200
        assert httpx.post(f"{base}/__admin/reset", timeout=10).status_code == 200
        assert user_status(base, kept) == 404  # the seed, not the file
        later = new_user(base, "saved.at.sigterm")
    finally:
        stop_server(proc)  # SIGTERM: the last save happens on the way out, whatever the interval
    assert proc.returncode == 0
    users = {row["username"] for row in read(state)["titus"]["tables"]["users"]["rows"]}
    assert "saved.at.sigterm" in users and "kept.before.kill" not in users, later


def run_briefly(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mockserver", "run", *args], capture_output=True, text=True,
                          timeout=60, env={**server_env(), "MOCKSERVER_PORT": str(free_port())})


def test_a_file_that_cannot_be_loaded_stops_the_start_in_one_line_or_is_set_aside(tmp_path: Path) -> None:
    state = tmp_path / "broken.json"
    state.write_text("{not json")
    refused = run_briefly("--state-file", str(state))
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and str(state) in lines[0] and "--state-file-reset" in lines[0], refused.stderr
    assert state.read_text() == "{not json"  # untouched

    base, proc = start_server("--state-file", str(state), "--state-file-reset")
    try:
        assert httpx.get(f"{base}/__admin/health", timeout=5).status_code == 200
    finally:
        stop_server(proc)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("broken.json.unreadable-")]
    assert len(aside) == 1 and aside[0].read_text() == "{not json"
    assert read(state)  # replaced by a good save from the seed


def state_file(tmp_path: Path, **fields: Any) -> Path:
    path = tmp_path / "state.json"
    path.write_bytes(orjson.dumps({"format": FORMAT, "version": VERSION, "vendors": {}, **fields}))
    return path


@pytest.mark.parametrize(("fields", "says"), [
    ({"format": "something-else"}, "not a state file"),
    ({"version": VERSION + 1, "written_by": "9.0"}, "run the newer release"),
    ({"version": 0}, "export each vendor"),
    ({"version": "1"}, "no version number"),
    ({"vendors": []}, "no \"vendors\" object"),
])
def test_each_unreadable_file_says_why_and_what_to_do(tmp_path: Path, fields: dict[str, Any], says: str) -> None:
    with pytest.raises(StateFileError, match=says.replace("(", r"\(")):
        read(state_file(tmp_path, **fields))


def test_a_bad_vendor_state_is_refused_naming_the_vendor(tmp_path: Path) -> None:
    path = state_file(tmp_path, vendors={"titus": {"tables": {"users": {"rows": [{"id": "x"}]}}}})
    refused = run_briefly("--state-file", str(path))
    assert refused.returncode == 2 and "vendor titus" in refused.stderr, refused.stderr


def test_bad_settings_are_refused(tmp_path: Path) -> None:
    for args in (["--state-file", str(tmp_path / "missing" / "s.json")], ["--state-file", str(tmp_path)],
                 ["--state-file", str(tmp_path / "s.json"), "--state-save-interval", "0"]):
        refused = run_briefly(*args)
        assert refused.returncode == 2 and "state" in refused.stderr, refused.stderr


def test_a_saved_state_may_hold_an_integer_past_64_bits(tmp_path: Path, make_client) -> None:
    """A free-form field a client filled (a TeSLA instrument's options) is saved, not a crash."""
    from mockserver.state_file import StateSaver

    client = make_client(vendor="tesla")
    realm = client.app.runtime.default
    table = realm.backends["tesla"].tables["activity_instruments"]
    table.update(1, {"options": {"big": 797778501472218525990912}})
    saver = StateSaver(tmp_path / "state.json", lambda: realm, 3600)
    assert saver.save()
    assert b'"big":797778501472218525990912' in (tmp_path / "state.json").read_bytes()
    restored = read(tmp_path / "state.json")["tesla"]  # read back exact, not as orjson's float
    assert b'"big":797778501472218525990912' in json_bytes(restored)
