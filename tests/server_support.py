"""Servers on a real socket for tests that need one (drops, delays, load, signals).

`thread_server`: the mock served by uvicorn in a thread of the test process
(mockserver.testing.MockServerThread: the app and server `mockserver run` builds). It starts in
milliseconds once the worker has built an app, where a new interpreter takes ~2.6 s: for tests
that need a socket and nothing of the process.

`start_server` / `running_server`: a real `python -m mockserver run` process, for what only a
process shows: its command line and environment, its output, signals, kill -9, its memory, limits
set on it. One place for the free-port pick, the health poll and the shutdown, so every such test
starts and stops its server the same way. Imported as `from server_support import ...` (tests/ is
on sys.path).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

START_TIMEOUT = 30.0


def free_port() -> int:
    """A loopback port free right now (another process may still take it before the server binds)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(env: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """os.environ with quiet logging, then `env` over it; a None value removes that variable."""
    merged = {**os.environ, "MOCKSERVER_LOG_LEVEL": "warning"}
    for key, value in (env or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _healthy(base: str, proc: subprocess.Popen) -> bool:
    """Poll /__admin/health until it answers 200, the process exits, or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/__admin/health", timeout=1, verify=False).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


def start_server(*args: str, env: Mapping[str, str | None] | None = None, cwd: str | Path | None = None,
                 stdout: int | IO[Any] | None = subprocess.DEVNULL, attempts: int = 3,
                 preexec_fn: Any = None) -> tuple[str, subprocess.Popen]:
    """`mockserver run *args` on a free port (MOCKSERVER_PORT) -> (base URL, process).

    Tried again on another port if the first one was taken meanwhile; fails the test with the tail
    of the server's stderr when no attempt comes up healthy.
    """
    errors: list[str] = []
    for _ in range(attempts):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "mockserver", "run", *args],
                                env={**server_env(env), "MOCKSERVER_PORT": str(port)}, cwd=cwd,
                                stdout=stdout, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn)
        scheme = "https" if "--tls-cert" in args or (env or {}).get("MOCKSERVER_TLS_CERT") else "http"
        base = f"{scheme}://127.0.0.1:{port}"
        if _healthy(base, proc):
            return base, proc
        proc.kill()
        errors.append(proc.communicate()[1][-2000:])
    pytest.fail(f"server did not start: {errors}")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM (a clean shutdown), then kill if it has not exited within 5 s; no-op once exited."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def thread_server(**settings: Any) -> Iterator[str]:
    """The mock with these settings (`mockserver.config.Settings` fields; log level warning, as
    `server_env` gives a process) on a free loopback port of this process; yields the base URL."""
    from mockserver.config import Settings
    from mockserver.testing import MockServerThread

    with MockServerThread(Settings(**{"log_level": "warning", **settings})) as server:
        yield server.base_url


@contextmanager
def running_server(*args: str, **kwargs: Any) -> Iterator[str]:
    """`start_server(*args, **kwargs)` for the block, stopped after it; yields the base URL."""
    base, proc = start_server(*args, **kwargs)
    try:
        yield base
    finally:
        stop_server(proc)
