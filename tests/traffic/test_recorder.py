"""`mockserver record` against a stand-in vendor (a second mock process), over HTTP and HTTPS:
every exchange forwarded and answered as the vendor answered, written down with no credential
in clear."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
import yaml

from mockserver.cli import main
from mockserver.core.yamlcache import load_yaml
from mockserver.traffic.recording import read_recording
from server_support import free_port, server_env, start_server, stop_server, thread_server

SECRETS = ["litmos-demo-key", "titus-admin-token", "tesla-admin", "hunter2-secret"]


@pytest.fixture(scope="module")
def vendor() -> Iterator[str]:
    """The stand-in vendor: a mock serving all three, at its own port."""
    with thread_server(litmos_rate_limit="100000/60s") as base:
        yield base


def recorder(vendor: str, target: str, out: Path, *extra: str) -> tuple[str, subprocess.Popen]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "record", "--vendor", vendor, "--target", target,
                             "--out", str(out), "--port", str(port), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=server_env())
    assert "recording" in proc.stdout.readline()  # printed once it listens
    return f"http://127.0.0.1:{port}", proc


def stop(proc: subprocess.Popen) -> str:
    stop_server(proc)
    assert proc.returncode == 0, proc.stderr.read()
    return proc.stdout.read()


def test_a_litmos_xml_session_is_forwarded_and_recorded_without_its_key(vendor: str, tmp_path: Path) -> None:
    out = tmp_path / "litmos.jsonl"
    proxy, proc = recorder("litmos", f"{vendor}/litmos/v1.svc", out)
    try:
        direct = httpx.get(f"{vendor}/litmos/v1.svc/users?source=app&limit=2", headers={"apikey": "litmos-demo-key"})
        via = httpx.get(f"{proxy}/users?source=app&limit=2", headers={"apikey": "litmos-demo-key"})
        assert via.status_code == direct.status_code == 200 and via.content == direct.content
        assert via.headers["content-type"] == direct.headers["content-type"]
        created = httpx.post(f"{proxy}/users?source=app&apikey=litmos-demo-key", content=(
            b"<User><UserName>rec.user@example.org</UserName><FirstName>Rec</FirstName><LastName>User</LastName>"
            b"<Email>rec.user@example.org</Email><Password>hunter2-secret</Password></User>"),
            headers={"Content-Type": "application/xml"})
        assert created.status_code == 201
        missing = httpx.get(f"{proxy}/users/nobody?source=app", headers={"apikey": "litmos-demo-key"})
        assert missing.status_code == 404
    finally:
        said = stop(proc)
    assert "recorded 3 exchange(s)" in said
    text = out.read_text(encoding="utf-8")
    assert not [secret for secret in SECRETS if secret in text]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    exchanges = read_recording(out)
    assert [(e["request"]["method"], e["request"]["path"], e["response"]["status"]) for e in exchanges] == [
        ("GET", "/users", 200), ("POST", "/users", 201), ("GET", "/users/nobody", 404)]
    first, second = exchanges[0], exchanges[1]
    assert first["vendor"] == "litmos" and first["request"]["headers"]["apikey"] == "***"
    assert first["response"]["body"] == direct.text and first["duration_ms"] > 0
    assert second["request"]["query"] == "source=app&apikey=***"
    assert "<Password>***</Password>" in second["request"]["body"]
    assert "<UserName>rec.user@example.org</UserName>" in second["response"]["body"]


def test_a_login_answer_is_recorded_without_its_tokens(vendor: str, tmp_path: Path) -> None:
    out = tmp_path / "tesla.jsonl"
    proxy, proc = recorder("tesla", f"{vendor}/tesla", out)
    try:
        login = httpx.post(f"{proxy}/api/v2/auth/login", json={"email": "inst-admin@tesla.example",
                                                               "password": "tesla-admin"})
        tokens = login.json()["token"]
        me = httpx.get(f"{proxy}/api/v2/auth/profile/", headers={"Authorization": f"JWT {tokens['access_token']}"})
    finally:
        stop(proc)
    text = out.read_text(encoding="utf-8")
    assert tokens["access_token"] not in text and tokens["refresh_token"] not in text and "tesla-admin" not in text
    exchanges = read_recording(out)
    assert exchanges[0]["response"]["status"] == 200 and '"token": "***"' in exchanges[0]["response"]["body"]
    assert exchanges[1]["request"]["headers"]["authorization"] == "***"
    assert exchanges[1]["response"]["status"] == me.status_code


@pytest.fixture
def https_vendor(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1")
    cert, key, ca = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    authority.cert_pem.write_to_path(str(ca))
    base, proc = start_server("--vendor", "titus", "--tls-cert", str(cert), "--tls-key", str(key))
    yield base, ca
    stop_server(proc)


def test_an_https_target_is_verified_against_the_given_authority(https_vendor: tuple[str, Path],
                                                                  tmp_path: Path) -> None:
    base, ca = https_vendor
    out = tmp_path / "titus.jsonl"
    proxy, proc = recorder("titus", f"{base}/api/v1", out, "--target-ca", str(ca))
    try:
        user = httpx.get(f"{proxy}/user/2", headers={"Authorization": "Bearer titus-admin-token"})
        assert user.status_code == 200 and user.json()["id"] == 2
        moved = httpx.put(f"{proxy}/user/2", json={"city": "Tromsø"}, headers={"Authorization": "Bearer titus-admin-token"})
        assert moved.status_code == 200
    finally:
        stop(proc)
    exchange, _ = read_recording(out)
    assert exchange["target"] == f"{base}/api/v1" and exchange["request"]["headers"]["authorization"] == "***"
    # what the HTTPS vendor answered seeds a mock (tests/traffic/test_seeding.py has the rest)
    assert main(["seed", str(out), "--out", str(tmp_path / "seed")]) == 0
    users = load_yaml(tmp_path / "seed" / "titus.yaml", yaml.CSafeLoader)["users"]
    assert [user["city"] for user in users if user["id"] == 2] == ["Tromsø"]

    unverified = tmp_path / "unverified.jsonl"
    proxy, proc = recorder("titus", f"{base}/api/v1", unverified)  # the system's authorities do not know it
    try:
        refused = httpx.get(f"{proxy}/user/2", headers={"Authorization": "Bearer titus-admin-token"})
        assert refused.status_code == 502 and "CERTIFICATE_VERIFY_FAILED" in refused.text
    finally:
        stop(proc)
    assert read_recording(unverified) == []


@pytest.mark.parametrize(("args", "says"), [
    (["--target", "ftp://vendor.test/"], "target must be an http:// or https:// URL"),
    (["--target", "https://vendor.test/api?x=1"], "no query or fragment"),
    (["--target", "https://vendor.test/api", "--insecure", "--target-ca", "ca.pem"], "contradict"),
    (["--target", "https://vendor.test/api", "--target-ca", "no-such-ca.pem"], "not a readable file"),
    (["--target", "https://vendor.test/api", "--port", "70000"], "port must be"),
])
def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path, args: list[str], says: str,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process (the tests above run the whole command): the refusal is the CLI's."""
    monkeypatch.chdir(tmp_path)
    code = main(["record", "--vendor", "titus", "--out", str(tmp_path / "t.jsonl"), *args])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and says in lines[0], err
    assert not (tmp_path / "t.jsonl").exists()


def test_the_out_file_must_be_in_an_existing_folder(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mockserver", "record", "--vendor", "titus", "--target",
                           "https://vendor.test/api", "--out", str(tmp_path / "missing" / "t.jsonl")],
                          capture_output=True, text=True, timeout=60, env=server_env())
    assert done.returncode == 2 and "name a file in an existing folder" in done.stderr
    assert os.listdir(tmp_path) == []
