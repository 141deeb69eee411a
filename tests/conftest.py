"""Shared fixtures: an in-process server per test, through Starlette's TestClient."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.config import Settings


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """`make_client(vendor="litmos", **settings)` -> a TestClient over a fresh app."""
    clients: list[TestClient] = []

    def factory(**settings: object) -> TestClient:
        client = TestClient(create_app(Settings(**settings)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def litmos_module_client() -> Iterator[TestClient]:
    """One Litmos app per test module (building one costs ~0.2 s)."""
    client = TestClient(create_app(Settings(vendor="litmos")), raise_server_exceptions=False)
    yield client
    client.close()


@pytest.fixture
def litmos_client(litmos_module_client: TestClient) -> TestClient:
    """The module's Litmos app, reset to the seeded state before each test."""
    assert litmos_module_client.post("/__admin/reset").status_code == 200
    return litmos_module_client


@pytest.fixture(scope="module")
def titus_module_client() -> Iterator[TestClient]:
    """One Titus app per test module (building one with the full seed takes a while)."""
    client = TestClient(create_app(Settings(vendor="titus")), raise_server_exceptions=False)
    yield client
    client.close()


@pytest.fixture
def titus_client(titus_module_client: TestClient) -> TestClient:
    """The module's Titus app, reset to the seeded state before each test."""
    assert titus_module_client.post("/__admin/reset").status_code == 200
    return titus_module_client


@pytest.fixture(scope="module")
def tesla_module_client() -> Iterator[TestClient]:
    """One TeSLA app per test module."""
    client = TestClient(create_app(Settings(vendor="tesla")), raise_server_exceptions=False)
    yield client
    client.close()


@pytest.fixture
def tesla_client(tesla_module_client: TestClient) -> TestClient:
    """The module's TeSLA app, reset to the seeded state before each test."""
    assert tesla_module_client.post("/__admin/reset").status_code == 200
    return tesla_module_client
