"""The mock served by uvicorn on a free port in a background thread of the test process.

A real socket (unlike Starlette's TestClient) lets `drop`/`reset` fault rules act on the
connection, and lets any HTTP client under test, in any thread, reach the mock by URL.
"""

from __future__ import annotations

import threading
import time
import warnings
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Settings


class MockServerThread:
    """`with MockServerThread() as server: ... server.base_url ...`; `server.app.runtime` for white-box tests."""

    def __init__(self, settings: Settings | None = None, host: str = "127.0.0.1") -> None:
        # Imported here: building the app needs Connexion and friends, which plugin users
        # should only load when a test asks for the server. Connexion's imports warn (Starlette's
        # test client about its httpx, jsonschema about RefResolver): nothing a plugin user can
        # act on, so not shown in their test run.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"connexion(\.|$)")
            from ..app import create_app
        from ..config import Settings
        from ..serving import make_server

        self.settings = settings or Settings()
        self.host = host
        self.app = create_app(self.settings)
        self.server = make_server(self.app, host, 0, log_level="warning", limits=self.settings.connection_limits)
        self.port: int | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the mock server is not started")
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        try:
            self.server.run()
        except BaseException as exc:  # uvicorn calls sys.exit(1) when it cannot bind
            self._failure = exc

    def start(self, timeout: float = 15.0) -> MockServerThread:
        """Serve in a daemon thread and wait until the socket listens (a dead test run cannot hang on it)."""
        if self._thread is not None:
            raise RuntimeError("the mock server was already started")
        self._thread = threading.Thread(target=self._run, name="lms-mockserver", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the mock server stopped while starting: {self._failure!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the mock server did not start within {timeout} s")
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask uvicorn to finish (open connections get a grace period) and wait for the thread."""
        if self._thread is None:
            return
        self.server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.server.force_exit = True
            self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> MockServerThread:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
