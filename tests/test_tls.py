"""`mockserver run --tls-cert --tls-key`: every vendor over HTTPS, with a throwaway certificate
made here (trustme); files that cannot serve stop the start in one line, before anything listens."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import trustme
from cryptography.hazmat.primitives import serialization

from mockserver.tls import TlsError, check_files
from server_support import free_port, server_env, start_server, stop_server

TITUS = {"Authorization": "Bearer titus-admin-token"}


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def pems(authority: trustme.CA, tmp_path: Path) -> tuple[Path, Path, Path]:
    """(certificate, key, the authority's certificate) for 127.0.0.1 and localhost."""
    issued = authority.issue_cert("127.0.0.1", "localhost")
    cert, key, ca = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    authority.cert_pem.write_to_path(str(ca))
    return cert, key, ca


def test_every_vendor_and_the_health_command_answer_over_https(pems: tuple[Path, Path, Path]) -> None:
    cert, key, ca = pems
    base, proc = start_server("--tls-cert", str(cert), "--tls-key", str(key), stdout=subprocess.PIPE)
    try:
        assert base.startswith("https://")
        verified = ssl.create_default_context(cafile=str(ca))  # the certificate is checked
        with httpx.Client(base_url=base, verify=verified, timeout=10) as client:
            assert client.get("/titus/api/v1/user/2", headers=TITUS).json()["id"] == 2
            litmos = client.get("/litmos/v1.svc/users?apikey=litmos-demo-key&source=mock&format=json")
            assert litmos.status_code == 200 and litmos.headers["content-type"].startswith("application/json")
            tesla = client.post("/tesla/api/v2/auth/login", json={"email": "inst-admin@tesla.example",
                                                                  "password": "tesla-admin"})
            assert tesla.status_code == 200 and tesla.json()["token"]["access_token"]
            assert client.get("/__admin/health").status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):  # plain HTTP to the TLS port gets no HTTP answer
            httpx.get(base.replace("https://", "http://") + "/__admin/health", timeout=5)
        port = base.rsplit(":", 1)[1]
        healthy = subprocess.run([sys.executable, "-m", "mockserver", "health", "--port", port], capture_output=True,
                                 text=True, timeout=30, env=server_env({"MOCKSERVER_TLS_CERT": str(cert),
                                                                        "MOCKSERVER_TLS_KEY": str(key)}))
        assert healthy.returncode == 0 and healthy.stdout.startswith("healthy: https://"), healthy.stderr
        flagged = subprocess.run([sys.executable, "-m", "mockserver", "health", "--https", "--port", port],
                                 capture_output=True, text=True, timeout=30, env=server_env())
        assert flagged.returncode == 0, flagged.stderr
    finally:
        stop_server(proc)
    assert f"listening on https://127.0.0.1:{port}" in proc.stdout.read()


def _start(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mockserver", "run", *args], capture_output=True, text=True,
                          timeout=60, env={**server_env(), "MOCKSERVER_PORT": str(free_port())})


def test_a_certificate_that_cannot_serve_stops_the_start_in_one_line(pems: tuple[Path, Path, Path],
                                                                      authority: trustme.CA, tmp_path: Path) -> None:
    cert, key, _ = pems
    other = tmp_path / "other-key.pem"
    authority.issue_cert("elsewhere.example").private_key_pem.write_to_path(str(other))
    refused = _start("--tls-cert", str(cert), "--tls-key", str(other))
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 2 and len(lines) == 1, refused.stderr
    assert lines[0] == f"mockserver: HTTPS: the key {other} is not the key of the certificate {cert}"
    assert "listening" not in refused.stdout
    alone = _start("--tls-cert", str(cert))
    assert alone.returncode == 2 and "tls_cert and tls_key go together" in alone.stderr, alone.stderr


@pytest.mark.parametrize("problem", ["missing certificate", "key as certificate", "certificate as key",
                                     "encrypted key", "empty key"])
def test_each_unusable_pair_is_named(pems: tuple[Path, Path, Path], tmp_path: Path, problem: str) -> None:
    cert, key, _ = pems
    encrypted = tmp_path / "encrypted.pem"
    private = serialization.load_pem_private_key(key.read_bytes(), None)
    encrypted.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.BestAvailableEncryption(b"passphrase")))
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"")
    pair, says = {
        "missing certificate": ((tmp_path / "nope.pem", key), "is not a readable file"),
        "key as certificate": ((key, key), "holds no PEM certificate"),
        "certificate as key": ((cert, cert), "is not a PEM private key"),
        "encrypted key": ((cert, encrypted), "protected by a passphrase"),
        "empty key": ((cert, empty), "is not a PEM private key"),
    }[problem]
    with pytest.raises(TlsError, match=says):
        check_files(str(pair[0]), str(pair[1]))

