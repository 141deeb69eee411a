"""Every case of the hostile-input corpus (hostile_corpus.py) against a real server, the file
loaders and the CLI: a clear 4xx (or a normal answer), never a 5xx or a silently closed
connection; a refused input changes nothing; the server's memory stays flat."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hostile_corpus import (CLI_ARGUMENTS, HttpCase, RawCase, fixture_files, http_cases, raw_cases,
                            scenario_files)
from mockserver.cli import main
from server_support import start_server, stop_server

# One worker runs the whole module: one server sees every case, so the memory check means something.

VENDORS = ("titus", "litmos", "tesla")
HTTP_CASES = http_cases()
RAW_CASES = raw_cases()


class Server:
    def __init__(self) -> None:
        self.base, self.proc = start_server(env={"MOCKSERVER_LITMOS_RATE_LIMIT": "100000000/60s"})
        self.port = int(self.base.rsplit(":", 1)[1])
        self.http = httpx.Client(base_url=self.base, timeout=30)
        self.tesla_jwt = self.tesla_token()  # logging in changes state (last_login): once, up front
        self.start_rss = self.rss()
        self.digest = self.state_digest()

    def rss(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as status:
            return int(status.read().split("VmRSS:")[1].split()[0]) * 1024

    def state_digest(self) -> str:
        """Everything a refused input must leave alone: each vendor's state, clock, rules, namespaces."""
        digest = hashlib.sha256()
        for vendor in VENDORS:
            digest.update(self.http.get(f"/__admin/state/{vendor}?secrets=true").content)
        # (Litmos rate-limit counters are left out: every request counts against its key, refused or not.)
        for path in ("/__admin/clock", "/__admin/faults", "/__admin/namespaces"):
            answer = self.http.get(path).json()
            answer.pop("now", None), answer.pop("iso", None)  # the clock runs
            digest.update(repr(answer).encode())
        return digest.hexdigest()

    def tesla_token(self) -> str:
        answer = self.http.post("/tesla/api/v2/auth/login", json={"email": "inst-admin@tesla.example",
                                                                 "password": "tesla-admin"})
        return answer.json()["token"]["access_token"]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.http.close()
    stop_server(running.proc)


def check_unchanged_or_reset(server: Server, status: int, label: str) -> None:
    """A refused input (4xx) must have changed nothing; an accepted one may, so start over."""
    if status >= 400:
        assert server.state_digest() == server.digest, f"{label}: refused with {status} but state changed"
    else:
        server.http.post("/__admin/reset")
        server.digest = server.state_digest()


@pytest.mark.parametrize("case", HTTP_CASES, ids=[case.name for case in HTTP_CASES])
def test_hostile_http_request(server: Server, case: HttpCase) -> None:
    headers = dict(case.headers)
    if case.needs_tesla_token:
        headers["Authorization"] = f"JWT {server.tesla_jwt}"
    raw_headers = [(name.encode(), value.encode("utf-8")) for name, value in headers.items()]  # as sent, not ASCII-checked
    response = server.http.request(case.method, case.path, headers=raw_headers, content=case.body)
    assert response.status_code < 500, f"{case.name}: {response.status_code} {response.text[:300]}"
    check_unchanged_or_reset(server, response.status_code, case.name)


def read_answer(sock: socket.socket) -> bytes:
    """One whole answer (head and Content-Length body), or what came before the server closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@pytest.mark.parametrize("case", RAW_CASES, ids=[case.name for case in RAW_CASES])
def test_malformed_http(server: Server, case: RawCase) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.settimeout(15)
        try:
            sock.sendall(case.data)
        except OSError:
            pass  # the server may answer and stop reading before all of it is sent
        try:
            answer = read_answer(sock)
        except ConnectionResetError:
            pytest.fail(f"{case.name}: the connection was reset with no answer")
    assert answer.startswith(b"HTTP/1.1 "), f"{case.name}: no answer, got {answer[:100]!r}"
    status = int(answer[9:12])
    assert status < 500, f"{case.name}: {answer[:300]!r}"
    check_unchanged_or_reset(server, status, case.name)


def test_memory_stayed_flat(server: Server) -> None:
    """Runs after the cases above (file order): the whole corpus grew the server by ≤ 50 MiB."""
    assert server.rss() - server.start_rss <= 50 * 1024 * 1024, (server.start_rss, server.rss())
    assert server.http.get("/__admin/health").status_code == 200


@pytest.mark.parametrize("name", sorted(fixture_files()))
def test_hostile_fixture_file(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "titus.yaml").write_bytes(fixture_files()[name])
    assert main(["check", "--vendor", "titus", "--fixtures", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("mockserver: invalid fixture:"), err[:5]


@pytest.mark.parametrize("name", sorted(scenario_files()))
def test_hostile_scenario_file(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "case.yaml"
    scenario.write_bytes(scenario_files()[name])
    assert main(["check", "--vendor", "titus", "--scenario", str(scenario)]) == 2
    # One line of error; a start slow enough (a loaded machine) also says its steps at info.
    err = [line for line in capsys.readouterr().err.strip().splitlines() if " INFO mockserver.startup: " not in line]
    assert len(err) == 1 and err[0].startswith("mockserver: invalid scenario:"), err[:5]


@pytest.mark.parametrize("arguments", CLI_ARGUMENTS, ids=[" ".join(a) for a in CLI_ARGUMENTS])
def test_hostile_cli_arguments(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["check", *arguments])
    except SystemExit as stop:  # argparse's own refusals: usage, then one line
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(("mockserver: ", "mockserver check: error:")), err


def test_the_corpus_is_at_least_200_inputs() -> None:
    total = len(HTTP_CASES) + len(RAW_CASES) + len(fixture_files()) + len(scenario_files()) + len(CLI_ARGUMENTS)
    assert total >= 200, total
