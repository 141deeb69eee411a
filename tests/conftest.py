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
