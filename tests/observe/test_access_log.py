"""One access line per vendor request at info, none for admin calls and health checks; JSON
lines for log shippers; and no credential in any line, whatever the level or the logger."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

import pytest

from mockserver.observe.log_setup import RedactSecrets, configure_logging, redact_text

TITUS = {"Authorization": "Bearer titus-admin-token"}
LITMOS = {"apikey": "litmos-demo-key"}


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="mockserver.access")
    return caplog


def lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "mockserver.access"]


def test_each_vendor_request_gives_one_line_with_what_happened(all_client: Any, access: Any) -> None:
    all_client.get("/titus/api/v1/user/5", headers=TITUS)
    all_client.get("/litmos/v1.svc/users?source=qa&apikey=litmos-demo-key&limit=1")
    all_client.get("/ns/job-7/titus/api/v1/user/5", headers={**TITUS, "X-Mock-Status": "404"})
    records = lines(access)
    assert len(records) == 3
    first, second, third = (record.getMessage() for record in records)
    assert re.fullmatch(r"- titus GET /titus/api/v1/user/5 200 \d+\.\d\dms", first), first
    assert "apikey=***" in second and "litmos-demo-key" not in second, second
    assert second.startswith("- litmos GET /litmos/v1.svc/users?") and " 200 " in second
    assert third.startswith("job-7 titus GET /ns/job-7/titus/api/v1/user/5 404 ")
    assert third.endswith("[override:404]"), third
    assert records[2].namespace == "job-7" and records[2].status == 404 and records[2].operation == "get_user"


def test_admin_calls_and_health_checks_give_no_line(all_client: Any, access: Any) -> None:
    all_client.get("/__admin/health")
    all_client.get("/__admin/requests")
    all_client.post("/__admin/reset")
    assert lines(access) == []


def test_json_lines_carry_each_fact_as_a_field() -> None:
    handler = configure_logging("info", "json")
    stream = io.StringIO()
    handler.setStream(stream)
    try:
        logging.getLogger("mockserver.access").info(
            "%s %s", "-", "titus", extra={"vendor": "titus", "status": 200, "ms": 1.25, "namespace": None})
        logging.getLogger("mockserver.startup").info("Bearer abcdefgh apikey=litmos-demo-key")
    finally:
        logging.getLogger().handlers.clear()
    access_line, other = (json.loads(line) for line in stream.getvalue().splitlines())
    assert access_line["vendor"] == "titus" and access_line["status"] == 200 and access_line["ms"] == 1.25
    assert access_line["level"] == "INFO" and access_line["name"] == "mockserver.access" and "time" in access_line
    assert "abcdefgh" not in other["message"] and "litmos-demo-key" not in other["message"]


def test_frameworks_stay_at_warning_unless_asked() -> None:
    try:
        configure_logging("debug")
        assert logging.getLogger("connexion").getEffectiveLevel() == logging.WARNING
        assert logging.getLogger("mockserver.access").getEffectiveLevel() == logging.DEBUG
        configure_logging("debug", framework_logs=True)
        assert logging.getLogger("connexion").getEffectiveLevel() == logging.DEBUG
    finally:
        logging.getLogger().handlers.clear()
        logging.getLogger().setLevel(logging.WARNING)
        for name in ("connexion", "uvicorn", "werkzeug"):
            logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.mark.parametrize("text", [
    "GET /litmos/v1.svc/users?apikey=litmos-demo-key&source=x HTTP/1.1",
    "headers [(b'apikey', b'litmos-demo-key'), (b'authorization', b'Bearer titus-admin-token')]",
    '{"email": "a@b.example", "password": "tesla-admin"}',
    "Authorization: JWT eyJhbGciOi.eyJpc3MiOi.KXlIGwcyEO",
    "{'access_token': 'eyJhbGciOi.eyJpc3MiOi.KXlIGwcyEO', 'refresh_token': 'r3fr3sh'}",
    "<Password>hunter22</Password>",
])
def test_credentials_are_masked_in_any_text(text: str) -> None:
    clean = redact_text(text)
    for secret in ("litmos-demo-key", "titus-admin-token", "tesla-admin", "eyJhbGciOi", "r3fr3sh", "hunter22"):
        assert secret not in clean, clean


def test_the_filter_rewrites_a_record_whatever_its_arguments() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s"', (
        "127.0.0.1:5000", "GET", "/litmos/v1.svc/users?apikey=litmos-demo-key"), None)
    assert RedactSecrets().filter(record)
    assert "litmos-demo-key" not in record.getMessage() and "apikey=***" in record.getMessage()


def test_no_credential_reaches_the_log_at_debug_with_framework_logs(tmp_path: Any) -> None:
    """A real server at the chattiest setting: every vendor's credential sent in every place a
    client puts one (header, query, login body, JWT), then the whole of stderr searched."""
    import subprocess
    import sys

    import httpx
    from server_support import free_port, server_env, stop_server

    port = free_port()
    log = (tmp_path / "stderr.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "run", "--log-level", "debug", "--framework-logs"],
                            env={**server_env({"MOCKSERVER_LOG_LEVEL": None}), "MOCKSERVER_PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=5) as client:
            for _ in range(100):
                try:
                    if client.get("/__admin/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                import time
                time.sleep(0.1)
            client.get("/titus/api/v1/user/5", headers=TITUS)
            client.get("/litmos/v1.svc/users?source=qa&apikey=litmos-demo-key&limit=1")
            client.get("/litmos/v1.svc/users?source=qa&limit=1", headers=LITMOS)
            client.post("/litmos/v1.svc/users?source=qa", headers={**LITMOS, "Content-Type": "application/xml"},
                        content=b"<User><UserName>log.check</UserName><FirstName>L</FirstName><LastName>C</LastName>"
                                b"<Password>hunter22secret</Password></User>")
            login = client.post("/tesla/api/v2/auth/login", json={"email": "admin@tesla.example",
                                                                  "password": "tesla-admin"})
            token = login.json()["token"]["access_token"]
            client.get("/tesla/api/v2/institution/1/", headers={"Authorization": f"JWT {token}"})
            client.post("/titus/api/v1/login/token", data={"username": "admin", "password": "titus-pass-1"})
    finally:
        stop_server(proc)
        log.close()
    text = (tmp_path / "stderr.log").read_text()
    assert "mockserver.access" in text and "litmos GET" in text  # the run did log
    for secret in ("titus-admin-token", "litmos-demo-key", "hunter22secret", "tesla-admin", token, token[:40],
                   "titus-pass-1"):
        assert secret not in text, secret


def test_lines_go_to_the_stderr_of_the_moment_not_a_closed_earlier_one(capsys) -> None:
    """A test runner swaps sys.stderr per test; a server configured in an earlier test must not
    write to that test's closed stream (Python's "--- Logging error ---")."""
    import sys

    earlier = io.StringIO()
    saved = sys.stderr
    sys.stderr = earlier
    try:
        handler = configure_logging("info")
    finally:
        sys.stderr = saved
    earlier.close()
    try:
        logging.getLogger("mockserver.test").info("said after the swap")
        said = capsys.readouterr().err
        assert "Logging error" not in said and "INFO mockserver.test: said after the swap" in said
    finally:
        logging.getLogger().removeHandler(handler)
