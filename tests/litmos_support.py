"""Helpers shared by the Litmos test modules (their client fixture lives in tests/conftest.py)."""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path
from typing import Any

import orjson
import pytest
from lxml import etree


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASE = "/v1.svc"
OWNER = {"apikey": "litmos-demo-key"}
ADMIN = {"apikey": "litmos-admin-key"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"
WCF_JSON = re.compile(r"^/Date\(\d+\+0000\)/$")  # a WCF JSON date: /Date(ms+0000)/


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


def by_name(client: TestClient, path: str, key: str, value: str) -> dict[str, Any]:
    """The item of the list at `path` whose `key` is `value`."""
    return next(r for r in get_json(client, path, limit="1000") if r[key] == value)


def _same(element: etree._Element, value: Any) -> None:
    """`element` (XML) carries `value` (the JSON answer for the same state), member by member."""
    from datetime import datetime, timezone

    if value is None:
        assert element.get(f"{{{XSI}}}nil") == "true", element.tag
    elif isinstance(value, dict):
        assert [child.tag for child in element] == list(value), element.tag
        for child, member in zip(element, value.values()):
            _same(child, member)
    elif isinstance(value, list):
        assert len(element) == len(value), element.tag
        for child, item in zip(element, value):
            _same(child, item)
    elif isinstance(value, bool):
        assert element.text == ("true" if value else "false"), element.tag
    elif isinstance(value, float):
        assert element.text == f"{value:.2f}", element.tag
    elif isinstance(value, str) and value.startswith("/Date("):
        ms = int(value[6:value.index("+")])
        moment = datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        fraction = f"{ms % 1000:03d}".rstrip("0")
        assert element.text == moment + (f".{fraction}" if fraction else ""), element.tag
    else:
        assert (element.text or "") == str(value), element.tag


def assert_same_in_both_formats(client: TestClient, path: str, **query: str) -> Any:
    """GET `path` as JSON and as XML and check both say the same; returns the JSON answer."""
    data = get_json(client, path, **query)
    response = client.get(url(path, **query), headers=OWNER)
    assert response.status_code == 200 and response.headers["content-type"] == "application/xml; charset=utf-8"
    _same(xml_of(response), data)
    return data


@functools.cache
def _parsed_seed() -> dict[str, Any]:
    import yaml

    from mockserver.config import Settings
    from mockserver.core.yamlcache import load_yaml

    return load_yaml(Settings().fixtures / "litmos.yaml", yaml.CSafeLoader)


def fresh_seed() -> dict[str, Any]:
    """fixtures/litmos.yaml as parsed data, a new copy each call (safe to change)."""
    return orjson.loads(orjson.dumps(_parsed_seed()))  # plain JSON data: a copy, faster than deepcopy


def write_seed(folder: Path, data: dict[str, Any]) -> Path:
    """`data` as `folder`/litmos.yaml: a fixtures folder for `Settings(fixtures=...)`. Written as
    JSON, which YAML includes and the fixture loader reads at once (PyYAML's representer and
    parser took seconds per test on the grown seed); the packaged YAML is read by other tests."""
    (folder / "litmos.yaml").write_bytes(orjson.dumps(data))
    return folder


def bad_seed_error(folder: Path, collection: str, record: dict[str, Any]) -> str:
    """The startup error of the seed with `record` added to `collection` (the app must refuse to start)."""
    from mockserver.app import create_app
    from mockserver.config import Settings
    from mockserver.core.fixtures import FixtureError

    data = fresh_seed()
    data[collection].append(record)
    with pytest.raises(FixtureError) as caught:
        create_app(Settings(vendor="litmos", fixtures=write_seed(folder, data)))
    return str(caught.value)


# The seed (fixtures/litmos.yaml, grown by fixtures/make_litmos.py): tests derive counts from it.
SEED = fresh_seed()
SEEDED_USERS = len(SEED["users"])
INACTIVE_USERS = sum(1 for u in SEED["users"] if u.get("Active", True) is False)
SEEDED_TEAMS = len(SEED["teams"])
SEEDED_COURSES = len(SEED["courses"])
SEEDED_ENROLMENTS = len(SEED["enrolments"])
DAY_MS = 86_400_000


def _ms(stamp: str) -> int:
    from datetime import datetime, timezone

    return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp() * 1000)


def seeded_completions() -> list[dict[str, Any]]:
    """The seeded course completions, newest first: the loader completes the n-th listed module
    n days after the assignment, and the last one completes the course."""
    modules = {c["Code"]: len(c.get("Modules", [])) for c in SEED["courses"]}
    names = {c["Code"]: c["Name"] for c in SEED["courses"]}
    firsts = {u["UserName"]: u["FirstName"] for u in SEED["users"]}
    done = [{"UserName": e["UserName"], "FirstName": firsts[e["UserName"]], "Title": names[e["CourseCode"]],
             "ms": _ms(e["AssignedDate"]) + len(e["CompletedModules"]) * DAY_MS}
            for e in SEED["enrolments"]
            if e.get("CompletedModules") and len(e["CompletedModules"]) == modules[e["CourseCode"]]]
    return sorted(done, key=lambda d: d["ms"], reverse=True)
