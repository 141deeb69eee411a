"""Recordings made in this process: the recording proxy (mockserver/traffic/recorder.py) served on a
loopback port in a thread, in front of a vendor base URL. For tests that need a recording but do
not test the `mockserver record` command itself (tests/traffic/test_recorder.py does).
Imported as `from recording_support import ...`."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from mockserver.traffic.recorder import RecordingProxy, Target, client_for


@contextmanager
def recording_proxy(vendor: str, target: str, out: Path) -> Iterator[str]:
    """Yield the proxy's base URL; every exchange through it is written to `out`."""
    with out.open("w", encoding="utf-8") as handle:
        proxy = RecordingProxy(vendor, Target.parse(target), handle, client_for(None, False, 30))
        server = uvicorn.Server(uvicorn.Config(proxy, host="127.0.0.1", port=0, log_level="warning",
                                               lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.started, "the recording proxy did not start"
        try:
            yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(10)
