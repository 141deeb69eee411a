"""One real `mockserver run` process on a free port, used over HTTP through all three mounts."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from server_support import start_server


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen]]:
    # stdout piped: test_sigterm_stops_cleanly reads the start-up banner once the process exits.
    base, proc = start_server(stdout=subprocess.PIPE)
    yield base, proc
    if proc.poll() is None:
        proc.kill()


def test_all_three_mounts_over_http(server) -> None:
    base, _ = server
    with httpx.Client(base_url=base, timeout=10) as http:
        titus = http.get("/titus/api/v1/user/5", headers={"Authorization": "Bearer titus-admin-token"})
        assert titus.status_code == 200 and titus.json()["id"] == 5

        xml = http.get("/litmos/v1.svc/users?source=e2e&limit=2", headers={"apikey": "litmos-demo-key"})
        assert xml.status_code == 200
        assert xml.headers["content-type"] == "application/xml; charset=utf-8"
        assert xml.text.startswith("<Users xmlns:i=")
        first = http.get("/litmos/v1.svc/users?source=e2e&format=json&limit=1", headers={"apikey": "litmos-demo-key"}).json()[0]
        duplicate = {"UserName": first["UserName"], "FirstName": "A", "LastName": "B", "Email": "dup@example.org",
                     "AccessLevel": "Learner", "DisableMessages": True, "Active": True, "IsCustomUsername": True}
        conflict = http.post("/litmos/v1.svc/users?source=e2e&format=json", json=duplicate, headers={"apikey": "litmos-demo-key"})
        assert conflict.status_code == 409
        # The reason phrase is Litmos's message, on the real wire.
        assert conflict.reason_phrase == "UserName already exists"
        assert "x-mockserver-reason" not in conflict.headers

        login = http.post("/tesla/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
        assert login.status_code == 200
        token = login.json()["token"]["access_token"]
        users = http.get("/tesla/api/v2/institution/1/user/?limit=2", headers={"Authorization": f"JWT {token}"})
        assert users.status_code == 200
        page = users.json()
        assert list(page) == ["count", "next", "previous", "results"]
        assert page["next"].startswith(f"{base}/tesla/api/v2/institution/1/user/?")

        journal = http.get("/__admin/requests?limit=50").json()["requests"]
        assert {e["vendor"] for e in journal} >= {"titus", "litmos", "tesla"}


def test_tesla_ce_client_authenticates_refreshes_and_pages(server) -> None:
    """The vendor's own Python client, unchanged, against the mock: approle, refresh, DRF paging."""
    from tesla_ce_client import Client

    base, _ = server
    with httpx.Client(base_url=base, timeout=10) as http:
        # The client refreshes when its token has under 5 minutes left by the wall clock; issue the
        # token from a mock clock 11 minutes behind, so the first call after login must refresh.
        behind = datetime.now(timezone.utc) - timedelta(minutes=11)
        assert http.post("/__admin/clock", json={"set": behind.isoformat()}).status_code == 200
        try:
            client = Client(api_url=f"{base}/tesla", role_id="tesla-mock-role", secret_id="tesla-mock-secret",
                            verify_ssl=False)
            # The client has no public call for institution routes; its connector is what its own
            # sub-clients (vle, provider) send every request through.
            assert client._connector.get_vle_id() == 1
            page = client._connector.get("/api/v2/institution/1/group/?limit=4")
            seen = [group["id"] for group in page["results"]]
            while (page := client.get_next(page)) is not None:
                seen += [group["id"] for group in page["results"]]
        finally:
            http.post("/__admin/clock", json={"reset": True})
        everything = http.get("/tesla/api/v2/institution/1/group/?limit=1000").json()
        assert len(seen) == len(set(seen)) == everything["count"] > 8
        assert seen == [group["id"] for group in everything["results"]]
        tesla_calls = [(e["method"], e["path"], e["status"]) for e in http.get("/__admin/requests?limit=100").json()["requests"]
                       if e["vendor"] == "tesla"]
        assert ("POST", "/tesla/api/v2/auth/approle", 200) in tesla_calls
        assert ("POST", "/tesla/api/v2/auth/token/refresh", 200) in tesla_calls


def test_tesla_launcher_from_the_vendor_client_then_the_learner_api_over_http(server) -> None:
    """`tesla-ce-client`'s `vle.get_launcher`, unchanged; then what the browser does with a LAPI
    launcher: trade it, send an enrolment sample, poll its status until the workers validate it."""
    from tesla_ce_client import Client

    base, _ = server
    with httpx.Client(base_url=base, timeout=10) as http:
        assert http.post("/__admin/clock", json={"freeze": True}).status_code == 200
        try:
            client = Client(api_url=f"{base}/tesla", role_id="tesla-mock-role", secret_id="tesla-mock-secret",
                            verify_ssl=False)
            launcher = client.vle.get_launcher("nou-1010", target="LAPI", ttl=30)
            assert list(launcher) == ["token", "id", "url"] and "/ui/auth/launcher?" in launcher["url"]
            pair = http.post("/tesla/api/v2/auth/token", json={"id": str(launcher["id"]), "token": launcher["token"]})
            headers = {"Authorization": f"JWT {pair.json()['access_token']}",
                       "Content-Type": "application/json; charset=utf-8"}  # the web plugin's headers
            learner = http.get("/tesla/api/v2/institution/1/learner/16/", headers={
                "Authorization": "JWT " + http.post("/tesla/api/v2/auth/login", json={
                    "email": "inst-admin@tesla.example", "password": "tesla-admin"}).json()["token"]["access_token"]})
            uuid = learner.json()["learner_id"]
            sample = {"learner_id": uuid, "data": "data:image/png;base64,iVBORw0KGgo=", "instruments": [1],
                      "metadata": {"mimetype": "image/png", "filename": "capture.webplugin", "context": {}}}
            stored = http.post(f"/tesla/lapi/v1/enrolment/1/{uuid}/", json=sample, headers=headers).json()
            polled = {"learner_id": uuid, "samples": [stored["path"]]}
            assert http.post(f"/tesla/lapi/v1/status/1/{uuid}/", json=polled, headers=headers).json()[0]["status"] == "PENDING"
            assert http.post("/__admin/clock", json={"advance": "5s"}).status_code == 200
            assert http.post(f"/tesla/lapi/v1/status/1/{uuid}/", json=polled, headers=headers).json()[0]["status"] == "VALID"
        finally:
            http.post("/__admin/reset")


def test_sigterm_stops_cleanly(server) -> None:
    _, proc = server
    out_before = proc
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    banner = out_before.stdout.read() if out_before.stdout else ""
    for mount in ("/titus/api/v1", "/litmos/v1.svc", "/tesla", "/__admin", "titus-admin-token", "litmos-demo-key", "admin@tesla.example"):
        assert mount in banner
