"""Hostile JSON bodies on admin routes: a 400 naming the problem, never a 500, nothing changed."""

from __future__ import annotations

import pytest

DEEP_LIST = b"[" * 10000 + b"]" * 10000
DEEP_OBJECT = b'{"a":' * 3000 + b"1" + b"}" * 3000


@pytest.mark.parametrize("method, path, body, message", [
    ("POST", "/__admin/clock", b'{"advance": ' + DEEP_LIST + b"}", "nests more than 64 levels deep"),
    ("POST", "/__admin/clock", b'{"advance": ' + b"9" * 5000 + b"}", "Exceeds the limit (4300 digits)"),
    ("POST", "/__admin/clock", b'{"set": "\\ud800"}', "no low surrogate"),
    ("PUT", "/__admin/state/titus", b'{"tables": ' + DEEP_LIST + b"}", "nests more than 64 levels deep"),
    ("POST", "/__admin/faults", b'{"action": {"status": 500}, "match": {"body": ' + DEEP_OBJECT + b"}}",
     "nests more than 64 levels deep"),
    ("POST", "/__admin/faults", b'{"action": {"status": 500}, "match": {"body": ' + b'{"a":' * 70 + b"1"
     + b"}" * 70 + b"}}", "nests more than 64 levels deep"),
    ("POST", "/__admin/requests/count", b'{"path": ' + DEEP_LIST + b"}", "nests more than 64 levels deep"),
])
def test_a_hostile_admin_body_is_a_400_and_changes_nothing(all_client, method, path, body, message) -> None:
    before = {vendor: all_client.get(f"/__admin/state/{vendor}").json() for vendor in ("titus", "litmos", "tesla")}
    clock = all_client.get("/__admin/clock").json()["offset_seconds"]
    faults = all_client.get("/__admin/faults").json()
    response = all_client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["source"] == "lms-mockserver" and message in response.json()["message"]
    assert {vendor: all_client.get(f"/__admin/state/{vendor}").json() for vendor in before} == before
    assert all_client.get("/__admin/clock").json()["offset_seconds"] == clock
    assert all_client.get("/__admin/faults").json() == faults


def test_an_ordinary_admin_body_still_works(all_client) -> None:
    assert all_client.post("/__admin/clock", json={"advance": "61s"}).json()["offset_seconds"] == 61.0
    exported = all_client.get("/__admin/state/tesla?secrets=true").content
    assert all_client.put("/__admin/state/tesla", content=exported,
                          headers={"Content-Type": "application/json"}).status_code == 200


# -- the jsonschema-rs screen in front of Connexion's validator -------------------------------------

def _admin_body_schemas() -> list[tuple[str, dict]]:
    from mockserver.config import Settings
    from mockserver.core.schema import SpecDocument

    spec = SpecDocument.open(Settings().specs / "admin" / "openapi.yaml").resolved
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {}) if isinstance(operation, dict) else {}
            if "application/json" in content:
                found.append((f"{method.upper()} {path}", content["application/json"]["schema"]))
    return found


SAMPLES = [None, 0, 1, 1.0, -1, 2.5, 2**70, True, "", "x", "61s", "61s\n", "\ud800", [], [1], {},
           {"advance": "61s"}, {"advance": "61s\n"}, {"set": None}, {"freeze": True}, {"name": "a"},
           {"name": None}, {"action": {"status": 500}}, {"action": {"status": 500}, "match": {"path": "/x"}},
           {"tables": {}}, {"tables": {"users": {"rows": [], "next_id": 1}}}, {"count": "1"}]


@pytest.mark.parametrize(("where", "schema"), _admin_body_schemas(), ids=lambda value: value if isinstance(value, str) else "")
def test_the_screens_yes_is_connexions_yes(where: str, schema: dict) -> None:
    """Its yes is final, so it must never pass what Connexion's Draft4RequestValidator refuses
    (its no only hands the body on to that validator)."""
    from connexion.json_schema import Draft4RequestValidator
    from jsonschema import Draft4Validator

    from mockserver.admin.bodies import _screen

    python = Draft4RequestValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    passed = [sample for sample in SAMPLES if _screen(schema)(sample)]
    assert all(python.is_valid(sample) for sample in passed), [s for s in passed if not python.is_valid(s)]


def test_a_refused_body_is_still_worded_by_connexion(all_client) -> None:
    answer = all_client.post("/__admin/clock", json={"advance": "61 weeks"})
    assert answer.status_code == 400 and "does not match" in answer.json()["message"]


# -- one parse, handed on --------------------------------------------------------------------------

@pytest.mark.parametrize("body, handed_on", [
    (b'{"a": [1, -0, 2.5, 1e-7, 1.5E+300, 9007199254740993, -900719925474099300, true, null, "\\u00e9\\n"]}', True),
    (b'{"k": 1, "k": 2, "\\ud83d\\ude00": "\xc3\xa9"}', True), (b" [ ] ", True), (b'"text"', True), (b"null", True),
    # what orjson refuses and Python's parser accepts: parsed the stdlib's way, not handed on
    (b'{"n": NaN}', False), (b'{"n": 2e400}', False), (b'{"s": "\\ud800"}', False),
    # integers orjson would read as floats (and any run of 19 digits): read again by the stdlib
    # (core.bodies.loads_exact), exact, and handed on as read
    (b'{"n": 18446744073709551616}', True), (b"[-9223372036854775809]", True),
    (b'{"n": 123456789012345678901234567890}', True), (b'{"phone": "1234567890123456789"}', True),
])
def test_the_guard_parses_as_the_stdlib_does_and_hands_on_what_it_read_exactly(
        body: bytes, handed_on: bool) -> None:
    import asyncio
    import json
    from types import SimpleNamespace

    from mockserver.admin.bodies import GuardedJSONBodyValidator
    from mockserver.context import CONTEXT

    async def stream():
        yield body
        yield b""

    context = SimpleNamespace(parsed_body=None)
    validator = GuardedJSONBodyValidator(schema={}, encoding="utf-8", strict_validation=False)
    value = asyncio.run(validator._parse(stream(), {CONTEXT: context}))
    # json.dumps tells 1 from 1.0 and NaN from None, which == does not
    assert json.dumps(value) == json.dumps(json.loads(body)) and type(value) is type(json.loads(body))
    if handed_on:
        assert context.parsed_body is not None and context.parsed_body[0] is value
    else:  # the handler parses it again and answers as it always did
        assert context.parsed_body is None
