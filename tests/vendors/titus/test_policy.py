"""Who may call what lives in the spec: each operation's `x-capability` (or `x-public`), read once
at startup (mockserver/vendors/titus/policy.py) and named by every 403 `nopermissions`."""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from titus_support import BASE, READONLY, TENANT_A, error

from mockserver.core.resolver import HTTP_METHODS
from mockserver.vendors.titus.policy import Capability, Policy, PolicyError
from mockserver.core.yamlcache import load_yaml

SPEC = Path(__file__).parents[3] / "specs" / "titus" / "openapi.yaml"


@functools.cache
def _parsed_spec() -> dict[str, Any]:
    return load_yaml(SPEC, yaml.CSafeLoader)


def spec() -> dict[str, Any]:
    """The Titus spec as parsed data, a new copy each call (parsed once: safe to change)."""
    return copy.deepcopy(_parsed_spec())


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, item[method]) for path, item in document["paths"].items()
            for method in HTTP_METHODS if isinstance(item.get(method), dict)]


def test_every_operation_names_a_capability_or_is_explicitly_public() -> None:
    document = spec()
    for path, method, operation in operations(document):
        marked = [name for name in ("x-capability", "x-public") if name in operation]
        assert len(marked) == 1, f"{method.upper()} {path}: {marked}"
        if "x-public" in operation:
            assert operation["x-public"] is True
            assert method == "get", f"{operation['operationId']} writes, so it must name a capability"
        else:
            assert operation["x-capability"] in document["x-capability-names"]
    used = {operation.get("x-capability") for _, _, operation in operations(document)}
    assert set(document["x-capability-names"]) <= used, "a titled capability no operation needs"


def test_the_policy_read_from_the_spec() -> None:
    policy = Policy.from_spec(spec())
    assert len(policy.rules) == 69
    create = policy.rule("create_user")
    assert create.capability == Capability("moodle/user:create", "Create users") and create.writes
    assert not policy.rule("get_user").writes
    assert policy.rule("version_info").capability is None
    with pytest.raises(PolicyError, match="x-public"):
        policy.capability("list_roles")


@pytest.mark.parametrize("change, message", [
    (lambda op: op.pop("x-capability"), "needs exactly one of"),
    (lambda op: op.update({"x-public": True}), "needs exactly one of"),
    (lambda op: op.update({"x-capability": "moodle/site:config"}), "has no title"),
])
def test_a_spec_with_an_incomplete_policy_is_refused(change, message) -> None:
    document = copy.deepcopy(spec())
    change(document["paths"]["/user"]["post"])
    with pytest.raises(PolicyError, match=f"create_user.*{message}"):
        Policy.from_spec(document)


def test_the_vendor_reads_the_policy_at_startup(titus_client) -> None:
    policy = titus_client.app.runtime.vendors["titus"].policy
    assert policy.capability("delete_course").name == "moodle/course:delete"


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def required_query(operation: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    parameters = [document["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                  for p in operation.get("parameters", [])]
    return {p["name"]: [1] if p["schema"].get("type") == "array" else 1
            for p in parameters if p["in"] == "query" and p.get("required")}


def test_the_readonly_token_is_refused_every_write_naming_its_capability(titus_client) -> None:
    document = spec()
    writes = [(path, method, operation) for path, method, operation in operations(document) if method != "get"]
    assert len(writes) == 44
    for path, method, operation in writes:
        answer = titus_client.request(method.upper(), BASE + concrete(path), json={}, headers=READONLY,
                                      params=required_query(operation, document))
        capability = operation["x-capability"]
        assert error(answer) == (403, "nopermissions"), operation["operationId"]
        assert answer.json()["debuginfo"] == capability
        assert f"({document['x-capability-names'][capability]})" in answer.json()["message"]


def test_another_tenants_record_is_refused_naming_the_operations_capability(titus_client) -> None:
    answer = titus_client.put(f"{BASE}/course/10", json={"fullname": "G"}, headers=TENANT_A)
    assert (error(answer), answer.json()["debuginfo"]) == ((403, "nopermissions"), "moodle/course:update")
    answer = titus_client.get(f"{BASE}/course/10", headers=TENANT_A)
    assert answer.json()["debuginfo"] == "moodle/course:view"


def test_a_user_out_of_reach_is_refused_naming_what_reading_a_user_needs(titus_client) -> None:
    """Whichever operation reaches them (here a delete), as `get_user`'s x-capability says."""
    answer = titus_client.delete(f"{BASE}/user/6", headers=TENANT_A)
    assert (error(answer), answer.json()["debuginfo"]) == ((403, "nopermissions"), "moodle/user:viewdetails")
