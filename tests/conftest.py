"""Shared fixtures: an in-process server per test, through an httpx client running the app in-thread."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # the type the fixtures are annotated with

from asgi_support import InlineClient
from mockserver.app import create_app
from mockserver.config import Settings


def app_client(**settings: object) -> InlineClient:
    """A client over a fresh app; server errors come back as 500 answers, as a client would see them.

    An `InlineClient` (tests/asgi_support.py), TestClient's API and scope without its thread per
    request: a request costs about 1 ms instead of 7."""
    return InlineClient(create_app(Settings(**settings)), raise_server_exceptions=False)


def module_client(vendor: str) -> Iterator[TestClient]:
    """Body of a module-scoped `<vendor>_module_client` fixture: one app per test module."""
    client = app_client(vendor=vendor)
    yield client
    client.close()


def reset(client: TestClient) -> TestClient:
    """Body of a `<vendor>_client` fixture: the module's app back in its seeded state."""
    assert client.post("/__admin/reset").status_code == 200
    return client


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """`make_client(vendor="litmos", **settings)` -> a TestClient over a fresh app."""
    clients: list[TestClient] = []

    def factory(**settings: object) -> TestClient:
        client = app_client(**settings)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def litmos_module_client() -> Iterator[TestClient]:
    """One Litmos app per test module (building one costs ~0.2 s)."""
    yield from module_client("litmos")


@pytest.fixture
def litmos_client(litmos_module_client: TestClient) -> TestClient:
    """The module's Litmos app, reset to the seeded state before each test."""
    return reset(litmos_module_client)


@pytest.fixture(scope="module")
def titus_module_client() -> Iterator[TestClient]:
    """One Titus app per test module (building one with the full seed takes a while)."""
    yield from module_client("titus")


@pytest.fixture
def titus_client(titus_module_client: TestClient) -> TestClient:
    """The module's Titus app, reset to the seeded state before each test."""
    return reset(titus_module_client)


@pytest.fixture(scope="module")
def tesla_module_client() -> Iterator[TestClient]:
    """One TeSLA app per test module."""
    yield from module_client("tesla")


@pytest.fixture
def tesla_client(tesla_module_client: TestClient) -> TestClient:
    """The module's TeSLA app, reset to the seeded state before each test."""
    return reset(tesla_module_client)


@pytest.fixture(scope="module")
def all_module_client() -> Iterator[TestClient]:
    """One app with all three vendors mounted per test module (building one takes seconds)."""
    client = app_client()
    yield client
    client.close()


@pytest.fixture
def all_client(all_module_client: TestClient) -> TestClient:
    """The module's all-vendor app, reset to the seeded state before each test."""
    return reset(all_module_client)
