"""Every Litmos list pages by `start` and `limit` (docs/litmos.md): a client that pages until an empty
page stops, and sees each record exactly once, in the order of the whole list.

The list operations are read from the spec (a GET whose 200 is an array, or `UserCollection`), so
a list added later without a row in `CASES` fails here instead of going unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pytest
import yaml
from litmos_support import BASE, OWNER, SEED

from mockserver.config import Settings
from mockserver.core.yamlcache import load_yaml

SPEC = load_yaml(Settings().specs / "litmos" / "openapi.yaml", yaml.CSafeLoader)  # as the server reads it
# Bounded by the body (at most 25 users), not a list a client pages through.
NOT_PAGED = {"list_courses_of_users"}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = SPEC
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def list_operations() -> dict[str, str]:
    """operationId -> path of every GET whose answer is a list (or the paginated collection)."""
    found = {}
    for path, item in SPEC["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        content = _resolve(operation["responses"]["200"]).get("content", {}).get("application/json")
        schema = _resolve(content["schema"]) if content else {}
        if schema.get("type") == "array" or "Items" in schema.get("properties", {}):
            found[operation["operationId"]] = path
    return found


def get(client, path: str, **query: Any) -> Any:
    params = {"source": "paging", "format": "json", **query}
    response = client.get(f"{BASE}{path}", params=params, headers=OWNER)
    assert response.status_code == 200, (path, query, response.text)
    return response.json()


def records(answer: Any) -> list[Any]:
    return answer["Items"] if isinstance(answer, dict) else answer


def stable(value: Any) -> Any:
    """The record without its `LoginKey`, which is new on every read of a full user."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k != "LoginKey"}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


# -- where each list has several records -----------------------------------------------------------


def ids(client, path: str, key: str = "Id") -> list[str]:
    return [r[key] for r in records(get(client, path, limit=1000))]


def busiest_users(count: int = 15) -> list[str]:
    """The usernames with the most course assignments in the seed."""
    tally: dict[str, int] = {}
    for enrolment in SEED["enrolments"]:
        tally[enrolment["UserName"]] = tally.get(enrolment["UserName"], 0) + 1
    return sorted(tally, key=lambda name: (-tally[name], name))[:count]


def gather(client) -> dict[str, list[tuple[str, ...]]]:
    """The ids each kind of path parameter is tried with (read once per module)."""
    users = [get(client, f"/users/{name}")["Id"] for name in busiest_users()]
    users += sorted(set(ids(client, "/achievements", "UserId")) - set(users))  # the users with rewards
    courses = ids(client, "/courses")
    modules = [(c, m) for c in courses for m in ids(client, f"/courses/{c}/modules")]
    ilt = [(c, m) for c, m in modules
           if client.get(f"{BASE}/courses/{c}/modules/{m}/sessions", params={"source": "paging"},
                         headers=OWNER).status_code == 200]
    return {
        "team": [(t,) for t in ids(client, "/teams")], "user": [(u,) for u in users],
        "course": [(c,) for c in courses], "path": [(p,) for p in ids(client, "/learningpaths")],
        "instructor": [(i,) for i in ids(client, "/instructors")], "module": ilt,
        "session": [(c, m, s) for c, m in ilt for s in ids(client, f"/courses/{c}/modules/{m}/sessions")],
        "import": [(j,) for j in ids(client, "/bulkimports")],
    }


NONE = "none"
# operationId -> (the kind of its path parameters, extra query parameters)
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "list_users": (NONE, {}), "list_users_paginated": (NONE, {}), "list_users_details": (NONE, {}),
    "list_teams": (NONE, {}), "list_sub_teams": ("team", {}), "list_team_users": ("team", {}),
    "list_team_leaders": ("team", {}), "list_team_admins": ("team", {}), "list_user_teams": ("user", {}),
    "list_courses": (NONE, {}), "list_course_modules": ("course", {}), "list_course_users": ("course", {}),
    "list_user_courses": ("user", {}), "list_results_details": (NONE, {"since": "2000-01-01"}),
    "list_achievements": (NONE, {}), "list_learning_paths": (NONE, {}), "list_learning_path_courses": ("path", {}),
    "list_learning_path_users": ("path", {}), "list_user_learning_paths": ("user", {}),
    "list_team_courses": ("team", {}), "list_team_learning_paths": ("team", {}), "list_user_badges": ("user", {}),
    "list_user_gamification": ("user", {}), "list_team_gamification": ("team", {}), "list_instructors": (NONE, {}),
    "list_instructor_sessions": ("instructor", {}), "list_future_sessions": (NONE, {}),
    "list_past_sessions": (NONE, {}), "list_module_sessions": ("module", {}), "get_roll_call": ("session", {}),
    "list_bulk_imports": (NONE, {}), "list_bulk_import_user_errors": ("import", {}),
}


def fill(path: str, values: tuple[str, ...]) -> str:
    parts = iter(values)
    return re.sub(r"\{[^}]+\}", lambda _: next(parts), path)


def richest(client, path: str, candidates: Iterable[tuple[str, ...]], query: dict[str, str]) -> tuple[str, list[Any]]:
    """The path (parameters filled) whose whole list is longest, and that list."""
    best: tuple[str, list[Any]] = ("", [])
    for values in candidates:
        filled = fill(path, values)
        whole = records(get(client, filled, limit=1000, **query))
        if len(whole) > len(best[1]):
            best = (filled, whole)
    return best


def walk(client, path: str, limit: int, bound: int, query: dict[str, str]) -> tuple[list[Any], int]:
    """Page from 0 by `limit` until an empty page (at most `bound` pages); the records and page count."""
    seen: list[Any] = []
    for page in range(bound):
        items = records(get(client, path, start=len(seen), limit=limit, **query))
        assert len(items) <= limit, (path, len(seen), len(items))
        if not items:
            return seen, page + 1
        seen.extend(items)
    pytest.fail(f"{path}: still not empty after {bound} pages of {limit}")


def send(client, method: str, path: str, body: Any = None) -> None:
    answer = client.request(method, f"{BASE}{path}", params={"source": "paging"}, headers=OWNER, json=body)
    assert answer.status_code in (200, 201), (path, answer.text)


@pytest.fixture(scope="module")
def world():
    """One app for the module, grown where the seed has fewer than two records for a list: a team
    with four leaders and four admins, three team courses and two team learning paths (so its
    members hold two paths each), and three user imports."""
    from conftest import app_client

    client = app_client(vendor="litmos", litmos_rate_limit="1000000/60s")
    team = max(ids(client, "/teams"), key=lambda t: len(ids(client, f"/teams/{t}/users")))
    for member in ids(client, f"/teams/{team}/users")[:4]:
        for role in ("leaders", "admins"):
            send(client, "PUT", f"/teams/{team}/{role}/{member}")
    send(client, "POST", f"/teams/{team}/courses", [{"Id": c} for c in ids(client, "/courses")[:3]])
    send(client, "POST", f"/teams/{team}/learningpaths", [{"Id": p} for p in ids(client, "/learningpaths")[:2]])
    for size in (1, 2, 5):  # three user imports, one of five rows
        send(client, "POST", "/bulkimports", [{"Username": f"paged.{size}.{n}@harbourline.example", "FirstName": "P",
                                               "LastName": str(n)} for n in range(size)])
    yield client, gather(client)
    client.close()


def test_every_list_of_the_spec_has_a_case() -> None:
    assert set(list_operations()) - NOT_PAGED == set(CASES)


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_paging_until_empty_stops_and_sees_each_record_once(world, operation_id: str) -> None:
    client, pool = world
    path = list_operations()[operation_id]
    kind, query = CASES[operation_id]
    filled, whole = richest(client, path, pool.get(kind, [()]), query)
    assert len(whole) >= 2, f"{operation_id}: no parameters give a list of two or more records"
    # A few pages each way: one page size that divides the list unevenly, one that leaves one record over.
    for limit in sorted({max(1, len(whole) // 4), len(whole) - 1}):
        seen, pages = walk(client, filled, limit, bound=len(whole) // limit + 3, query=query)
        assert stable(seen) == stable(whole), (operation_id, limit)
        assert pages == -(-len(whole) // limit) + 1
