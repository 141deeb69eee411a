"""State export and import: a round trip gives the identical state at any size up to the admin
body limit; a state the backend could not serve is refused with the path of the first bad item."""

from __future__ import annotations

import copy
import json

import orjson
import pytest

VENDORS = ("titus", "litmos", "tesla")


@pytest.mark.parametrize("vendor", VENDORS)
def test_an_export_imports_back_to_the_identical_state(all_client, vendor: str) -> None:
    exported = all_client.get(f"/__admin/state/{vendor}?secrets=true").json()
    assert all_client.put(f"/__admin/state/{vendor}", json=exported).status_code == 200
    assert all_client.get(f"/__admin/state/{vendor}?secrets=true").json() == exported


def test_a_20_mib_state_round_trips(all_client) -> None:
    # orjson on the test's side (a copy of the template row per row, the body, the answer): the
    # stdlib's deepcopy and json took ~6 s of this test; what the mock is sent and must give back
    # is the same state.
    state = orjson.loads(all_client.get("/__admin/state/titus?secrets=true").content)
    users = state["tables"]["users"]
    template = orjson.dumps(users["rows"][-1])
    first = users["next_id"]
    for offset in range(60_000):
        row = orjson.loads(template)
        row.update(id=first + offset, username=f"bulk{offset}", email=f"bulk{offset}@example.org",
                   idnumber=f"BULK-{offset}", description="x" * 200)
        users["rows"].append(row)
    users["next_id"] = first + 60_000
    body = orjson.dumps(state)
    assert len(body) >= 20 * 1024 * 1024
    answer = all_client.put("/__admin/state/titus", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text[:300]
    assert orjson.loads(all_client.get("/__admin/state/titus?secrets=true").content) == state
    user = all_client.get(f"/titus/api/v1/user/{first + 59_999}", headers={"Authorization": "Bearer titus-admin-token"})
    assert user.json()["username"] == "bulk59999"


def _broken(state: dict, change) -> dict:
    copied = copy.deepcopy(state)
    change(copied)
    return copied


BREAKS = [
    ("dangling-reference", lambda s: s["tables"]["enrolments"]["rows"][3].update(userid=999_999),
     "tables.enrolments.rows[3].userid: refers to users 999999"),
    # The admin spec's State schema catches these first; its message names the path too.
    ("id-2^63", lambda s: s["tables"]["users"]["rows"][0].update(id=2**63), "'tables.users.rows.0.id'"),
    ("id-zero", lambda s: s["tables"]["courses"]["rows"][1].update(id=0), "'tables.courses.rows.1.id'"),
    ("id-text", lambda s: s["tables"]["courses"]["rows"][1].update(id="7"), "'tables.courses.rows.1.id'"),
    ("duplicate-id", lambda s: s["tables"]["users"]["rows"][1].update(id=s["tables"]["users"]["rows"][0]["id"]),
     "tables.users.rows[1].id: "),
    ("wrong-kind", lambda s: s["tables"]["users"]["rows"][0].update(username={"a": 1}),
     "tables.users.rows[0].username: holds object, where this table holds text"),
    ("huge-number", lambda s: s["tables"]["courses"]["rows"][0].update(timecreated=2**60),
     "tables.courses.rows[0].timecreated: "),
    ("next-id", lambda s: s["tables"]["users"].update(next_id=-4), "'tables.users.next_id'"),
    ("row-without-id", lambda s: s["tables"]["users"]["rows"].append({"username": "x"}), "'tables.users.rows.150'"),
    ("unknown-table", lambda s: s["tables"].update(widgets={"rows": []}), "tables.widgets: no such table"),
]


@pytest.mark.parametrize("name, change, message", BREAKS, ids=[b[0] for b in BREAKS])
def test_a_state_the_backend_could_not_serve_is_refused_with_its_path(all_client, name, change, message) -> None:
    before = all_client.get("/__admin/state/titus?secrets=true").json()
    answer = all_client.put("/__admin/state/titus", json=_broken(before, change))
    assert answer.status_code == 400, answer.text[:300]
    assert answer.json()["error"] in ("bad_state", "bad_request") and message in answer.json()["message"]
    assert all_client.get("/__admin/state/titus?secrets=true").json() == before


@pytest.mark.parametrize("vendor, change, message", [
    ("litmos", lambda s: s["tables"]["team_members"]["rows"][0].update(UserId="nobody"),
     "tables.team_members.rows[0].UserId: refers to users.Id 'nobody'"),
    ("litmos", lambda s: s["tables"]["modules"]["rows"][2].update(CourseId="gone"), "tables.modules.rows[2].CourseId"),
    ("tesla", lambda s: s["tables"]["activities"]["rows"][0].update(course=99_999),
     "tables.activities.rows[0].course: refers to courses 99999"),
    ("tesla", lambda s: s["tables"]["users"]["rows"][5].update(institution=77), "tables.users.rows[5].institution"),
])
def test_every_vendor_checks_its_references(all_client, vendor, change, message) -> None:
    before = all_client.get(f"/__admin/state/{vendor}?secrets=true").json()
    answer = all_client.put(f"/__admin/state/{vendor}", json=_broken(before, change))
    assert answer.status_code == 400 and message in answer.json()["message"], answer.text[:300]
    assert all_client.get(f"/__admin/state/{vendor}?secrets=true").json() == before


def test_an_import_is_parsed_once_and_journaled_as_its_redacted_body(all_client, monkeypatch) -> None:
    """The admin body guard's parse is handed on: neither the handler nor the journal parses a
    long body again, and the journal keeps what redacting the body itself gives (cut at its limit)."""
    from types import SimpleNamespace

    from mockserver.admin import request
    from mockserver.core import journal as journal_module
    from mockserver.core.journal import redact_body

    body = all_client.get("/__admin/state/tesla?secrets=true").content
    journal = all_client.app.runtime.default.admin_journal
    assert len(body) > journal.body_limit and b'"secret_id"' in body
    expected = redact_body(body, "application/json", journal.body_limit)
    parsed_again: list[int] = []
    monkeypatch.setattr(request, "parse_json", lambda raw: parsed_again.append(len(raw)))
    monkeypatch.setattr(journal_module, "json", SimpleNamespace(
        loads=lambda text: parsed_again.append(len(text)) or json.loads(text), dumps=json.dumps))
    answer = all_client.put("/__admin/state/tesla", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text[:300]
    assert [size for size in parsed_again if size > journal.body_limit] == []
    entry = journal.entries(method="PUT")[0]
    assert (entry.request_body, entry.request_body_truncated, entry.request_body_size) == (*expected, len(body))


def test_an_integer_past_64_bits_imports_exactly(all_client) -> None:
    """A TeSLA instrument's options hold any JSON number, as DRF's JSONField does: an import keeps
    an integer past 64 bits exact (orjson alone would read it as a float)."""
    state = all_client.get("/__admin/state/tesla?secrets=true").json()
    rows = state["tables"]["activity_instruments"]["rows"]
    rows[0]["options"] = {"big": 797778501472218525990912}
    body = json.dumps(state, separators=(",", ":")).encode()
    answer = all_client.put("/__admin/state/tesla", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text[:300]
    assert b'"big":797778501472218525990912' in all_client.get("/__admin/state/tesla?secrets=true").content
