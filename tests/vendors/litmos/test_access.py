"""Access levels per operation (`x-access-levels` in specs/litmos/openapi.yaml, read by
mockserver/vendors/litmos/auth.py) and the credential failures."""

from __future__ import annotations

import re

import pytest
import yaml
from litmos_support import SEED, detail

from mockserver.config import Settings
from mockserver.core.yamlcache import load_yaml
from mockserver.vendors.litmos.auth import ACCESS_LEVELS, AccessPolicy

MSG_LEVEL = "You do not have the proper permissions for this call."
MSG_BAD_KEY = ("The API key that you have used for this request is either not valid or your account is not enabled "
               "for API access.")
MSG_SOURCE = "Forbidden. Please check your API key, content-type, parameters, etc."
SPEC = load_yaml(Settings().specs / "litmos" / "openapi.yaml", yaml.CSafeLoader)  # as the server reads it
LEVEL_OF = {u["UserName"]: u.get("AccessLevel", "Learner") for u in SEED["users"]}
ACTIVE = {u["UserName"]: u.get("Active", True) for u in SEED["users"]}
KEYS = {k["Key"]: LEVEL_OF[k["UserName"]] for k in SEED["api_keys"] if ACTIVE[k["UserName"]]}
METHODS = ("get", "put", "post", "delete")
LEVELS = SPEC["components"]["schemas"]["AccessLevel"]["enum"]


def secured_operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path with every parameter filled) of each operation needing a key."""
    found = []
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None or operation.get("security") == []:
                continue
            found.append((operation["operationId"], method.upper(), re.sub(r"\{[^}]+\}", "nosuchid0001", path)))
    return found


@pytest.fixture(scope="module")
def client():
    from asgi_support import InlineClient
    from mockserver.app import create_app

    with InlineClient(create_app(Settings(vendor="litmos", litmos_rate_limit="100000/60s")),
                    raise_server_exceptions=False) as test_client:
        yield test_client


ACCESS = AccessPolicy.from_paths(SPEC["paths"]).levels


def test_seeded_keys_cover_every_access_level() -> None:
    assert set(KEYS.values()) == set(LEVELS)
    assert all("Account_Owner" in levels and "Learner" not in levels for levels in ACCESS.values())


def test_every_operation_of_the_spec_names_its_access_levels() -> None:
    """Each operation that needs a key carries `x-access-levels` with levels of the AccessLevel enum;
    the public login page carries none."""
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            named = operation.get(ACCESS_LEVELS)
            if operation.get("security") == []:
                assert named is None, (method, path)
            else:
                assert named and set(named) <= set(LEVELS) and len(set(named)) == len(named), (method, path)
    assert set(ACCESS) == {operation_id for operation_id, _, _ in secured_operations()}


def test_a_spec_operation_without_levels_stops_the_server() -> None:
    paths = {"/teams": {"get": {"operationId": "list_teams"}}, "/login.aspx": {"get": {"security": []}}}
    with pytest.raises(ValueError, match="GET /teams: no x-access-levels"):
        AccessPolicy.from_paths(paths)
    assert AccessPolicy.from_paths({"/login.aspx": {"get": {"security": []}}}).levels == {}


@pytest.mark.parametrize("operation", secured_operations(), ids=lambda op: op[0])
def test_each_operation_enforces_its_levels_in_both_formats(client, operation) -> None:
    """A level outside the row is 403 before anything is looked up; a level inside passes the check
    (its answer is whatever the call gives for a made-up id: 404, 400, ...). Nothing is changed:
    the ids do not exist."""
    operation_id, method, path = operation
    for index, (key, level) in enumerate(sorted(KEYS.items())):
        fmt = ("json", "xml")[index % 2]
        response = client.request(method, f"/v1.svc{path}?source=tests&format={fmt}", headers={"apikey": key})
        status, message, reason = detail(response) if response.status_code >= 400 else (response.status_code, "", "")
        if level in ACCESS[operation_id]:
            assert message != MSG_LEVEL, (operation_id, level)
        else:
            assert (status, message, reason) == (403, MSG_LEVEL, MSG_LEVEL), (operation_id, level)


def test_missing_unknown_and_deactivated_keys_are_401(client) -> None:
    inactive = next(k["Key"] for k in SEED["api_keys"] if not ACTIVE[k["UserName"]])
    for headers in ({}, {"apikey": "no-such-key"}, {"apikey": inactive}):
        for fmt in ("json", "xml"):
            response = client.get(f"/v1.svc/instructors?source=t&format={fmt}", headers=headers)
            assert detail(response)[:2] == (401, MSG_BAD_KEY)


def test_auth_status_setting_answers_bad_keys_with_403(make_client) -> None:
    classic = make_client(vendor="litmos", litmos_auth_status=403)
    assert detail(classic.get("/v1.svc/sessions/future?source=t", headers={"apikey": "nope"}))[:2] == (403, MSG_BAD_KEY)
    learner = classic.get("/v1.svc/sessions/future?source=t&format=json", headers={"apikey": "litmos-learner-key"})
    assert detail(learner)[:2] == (403, MSG_LEVEL)


def test_missing_source_is_403_before_the_level(client) -> None:
    for key in KEYS:
        for query in ("", "?source=", "?source=" + "x" * 51):
            assert detail(client.get(f"/v1.svc/instructors{query}", headers={"apikey": key}))[:2] == (403, MSG_SOURCE)


def test_the_level_follows_the_user(client) -> None:
    """A key acts as its user: promoting the Learner behind a key opens what Administrators may call."""
    owner = {"apikey": "litmos-demo-key"}
    learner_name = next(u for u, level in LEVEL_OF.items() if level == "Learner" and u in
                        {k["UserName"] for k in SEED["api_keys"] if k["Key"] == "litmos-learner-key"})
    user = client.get(f"/v1.svc/users/{learner_name}?source=t&format=json", headers=owner).json()
    learner = {"apikey": "litmos-learner-key"}
    assert client.get("/v1.svc/sessions/past?source=t", headers=learner).status_code == 403
    assert client.put(f"/v1.svc/users/{user['Id']}?source=t", headers=owner,
                      json={"Id": user["Id"], "AccessLevel": "Administrator"}).status_code == 200
    try:
        assert client.get("/v1.svc/sessions/past?source=t", headers=learner).status_code == 200
        assert client.get("/v1.svc/teams?source=t", headers=learner).status_code == 403  # Account Owners only
    finally:
        client.put(f"/v1.svc/users/{user['Id']}?source=t", headers=owner, json={"Id": user["Id"], "AccessLevel": "Learner"})


def test_the_fixture_generator_reproduces_the_seed_and_keeps_other_sections() -> None:
    """fixtures/make_litmos.py is deterministic: regenerating the current file changes nothing, and
    a section it does not own passes through byte for byte."""
    import importlib.util

    path = Settings().fixtures / "make_litmos.py"
    if not path.exists():
        pytest.skip("the generator ships with the repository, not the installed package")
    spec = importlib.util.spec_from_file_location("make_litmos", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (Settings().fixtures / "litmos.yaml").read_text(encoding="utf-8")
    assert module.render(text) == text
    extra = text + "# a section another tool owns\nsomething_else:\n- {A: 1}\n"
    assert module.render(extra) == extra
    assert text.count(module.MARKER) == len(module.OWNED)
