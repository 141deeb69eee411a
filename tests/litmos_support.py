"""Helpers shared by the Litmos test modules (their client fixture lives in tests/conftest.py)."""

from __future__ import annotations

import warnings
from typing import Any

from lxml import etree


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASE = "/v1.svc"
OWNER = {"apikey": "litmos-demo-key"}
ADMIN = {"apikey": "litmos-admin-key"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def url(path: str, **query: str) -> str:
    params = {"source": "tests", **query}
    return f"{BASE}{path}?" + "&".join(f"{k}={v}" for k, v in params.items())


def get_json(client: TestClient, path: str, **query: str) -> Any:
    response = client.get(url(path, format="json", **query), headers=OWNER)
    assert response.status_code == 200, response.text
    return response.json()


def xml_of(response: Any) -> etree._Element:
    root = etree.fromstring(response.content)
    assert root.nsmap == {"i": XSI} and not response.content.startswith(b"<?xml")
    return root


def detail(response: Any) -> tuple[int, str, str]:
    """(status, message, reason phrase) of an error in either format."""
    if response.headers["content-type"] == "application/json":
        message = response.json()["Detail"]
    else:
        root = xml_of(response)
        assert root.tag == "Detail"
        message = root.text
    return response.status_code, message, response.headers["x-mockserver-reason"]


def is_bodiless(response: Any, status: int) -> bool:
    return (response.status_code == status and response.content == b""
            and "content-type" not in response.headers and response.headers.get("content-length") == "0")


def user_id(client: TestClient, username: str) -> str:
    return get_json(client, f"/users/{username}")["Id"]
