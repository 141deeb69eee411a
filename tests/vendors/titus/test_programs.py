"""Titus Connect programs, program enrolments (upsert) and program suspension."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, seed_rows, seed_users, state


@pytest.fixture
def client(titus_client):
    return titus_client


NEW_PROGRAM = {"fullname": "Warehouse Safety Pathway", "shortname": "WSP", "idnumber": "PRG-WSP", "categoryid": 7}
SITE_PROGRAM = seed_rows("programs", tenantid=None)[0]
GLOBEX_PROGRAM = seed_rows("programs", tenantid=2)[0]
ACME_PROGRAM = seed_rows("programs", tenantid=1)[0]


def test_create_read_list_update(client) -> None:
    created = client.post(f"{BASE}/program", json=NEW_PROGRAM, headers=ADMIN)
    assert created.status_code == 201
    program = created.json()
    assert created.headers["location"].endswith(f"/program/{program['id']}")
    assert program["visible"] is True and program["archived"] is False and program["tenantid"] is None
    assert client.get(f"{BASE}/program/{program['id']}", headers=ADMIN).json() == program
    assert client.get(f"{BASE}/programs?idnumber=PRG-WSP", headers=ADMIN).json()["programs"] == [program]
    updated = client.put(f"{BASE}/program/{program['id']}", json={"visible": False, "archived": True}, headers=ADMIN)
    assert error(updated) == (400, "readonlyfield")
    updated = client.put(f"{BASE}/program/{program['id']}", json={"visible": False, "summary": "s"}, headers=ADMIN).json()
    assert updated["archived"] is True and updated["summary"] == "s" and updated["shortname"] == "WSP"
    assert error(client.get(f"{BASE}/program/9999", headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.put(f"{BASE}/program/9999", json={"summary": "x"}, headers=ADMIN)) == (404, "invalidrecord")


def test_list_follows_the_seed(client) -> None:
    listed = client.get(f"{BASE}/programs?perpage=500", headers=ADMIN).json()
    assert listed["batch"]["totalitems"] == len(seed_rows("programs"))
    hidden = client.get(f"{BASE}/programs?visible=false", headers=ADMIN).json()["programs"]
    assert [p["id"] for p in hidden] == [p["id"] for p in seed_rows("programs", visible=False)]


@pytest.mark.parametrize(
    "body, expected",
    [
        ({**NEW_PROGRAM, "idnumber": SITE_PROGRAM["idnumber"]}, (409, "programidnumberexists")),
        ({**NEW_PROGRAM, "categoryid": 999}, (400, "invalidcategory")),
        ({**NEW_PROGRAM, "tenantid": 99}, (404, "tenantnotfound")),
        ({**NEW_PROGRAM, "availablefrom": 1700000000, "availableuntil": 1600000000}, (400, "enddatebeforestartdate")),
        ({"fullname": "No short name"}, (400, "invalidparameter")),
    ],
)
def test_program_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/program", body) == expected


def test_empty_idnumbers_do_not_clash(client) -> None:
    for shortname in ("A", "B"):
        assert client.post(f"{BASE}/program", json={"fullname": shortname, "shortname": shortname}, headers=ADMIN).status_code == 201


def test_enrolment_upsert_completion_and_suspension(client) -> None:
    user = next(u for u in seed_users() if u["id"] > 4 and not seed_rows("program_enrolments", programid=SITE_PROGRAM["id"], userid=u["id"]))
    first = client.post(f"{BASE}/program_enrolment", json={"programidnumber": SITE_PROGRAM["idnumber"], "username": user["username"], "startdate": 1700000000, "duedate": 1710000000}, headers=ADMIN)
    assert first.status_code == 201
    enrolment = first.json()
    assert enrolment["userid"] == user["id"] and enrolment["status"] == "active"
    assert enrolment["completionstatus"] == "incomplete" and enrolment["timecompleted"] is None
    again = client.post(f"{BASE}/program_enrolment", json={"programid": SITE_PROGRAM["id"], "userid": user["id"], "completionstatus": "complete"}, headers=ADMIN)
    assert again.status_code == 200
    done = again.json()
    assert done["completionstatus"] == "complete" and isinstance(done["timecompleted"], int) and done["duedate"] == 1710000000
    suspended = client.post(f"{BASE}/program_suspension", json={"programid": SITE_PROGRAM["id"], "useridnumber": user["idnumber"], "suspended": True}, headers=ADMIN)
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    resumed = client.post(f"{BASE}/program_enrolment", json={"programid": SITE_PROGRAM["id"], "userid": user["id"], "suspend": False}, headers=ADMIN)
    assert resumed.status_code == 200 and resumed.json()["status"] == "active"


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"programid": 999, "userid": 5}, (404, "programnotfound")),
        ({"programidnumber": "NOPE", "userid": 5}, (404, "programnotfound")),
        ({"programid": 1, "userid": 99999}, (404, "usernotfound")),
        ({"userid": 5}, (400, "missingreference")),
        ({"programid": 1}, (400, "missingreference")),
        ({"programid": 1, "programidnumber": "PRG-COMP", "userid": 5}, (400, "ambiguousreference")),
        ({"programid": 1, "userid": 5, "startdate": 1700000000, "duedate": 1600000000}, (400, "invalidparameter")),
        ({"programid": 1, "userid": 5, "completionstatus": "done"}, (400, "invalidparameter")),
    ],
)
def test_enrolment_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/program_enrolment", body) == expected


def test_suspension_needs_an_enrolment(client) -> None:
    user = next(u for u in seed_users() if u["id"] > 4 and not seed_rows("program_enrolments", programid=SITE_PROGRAM["id"], userid=u["id"]))
    assert error(client.post(f"{BASE}/program_suspension", json={"programid": SITE_PROGRAM["id"], "userid": user["id"], "suspended": True}, headers=ADMIN)) == (404, "notenrolled")
    assert error(client.post(f"{BASE}/program_suspension", json={"programid": SITE_PROGRAM["id"], "userid": user["id"]}, headers=ADMIN)) == (400, "invalidparameter")


def test_readonly_and_tenant_scope(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/program", json=NEW_PROGRAM, headers=READONLY)) == (403, "nopermissions")
    assert error(client.put(f"{BASE}/program/{SITE_PROGRAM['id']}", json={"summary": "x"}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/program_enrolment", json={"programid": 1, "userid": 5}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.get(f"{BASE}/program/{GLOBEX_PROGRAM['id']}", headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.put(f"{BASE}/program/{GLOBEX_PROGRAM['id']}", json={"summary": "x"}, headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/program_enrolment", json={"programid": GLOBEX_PROGRAM["id"], "userid": 5}, headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/program", json={**NEW_PROGRAM, "tenantid": 2}, headers=TENANT_A)) == (403, "nopermissions")
    assert state(client) == before
    seen = client.get(f"{BASE}/programs", headers=TENANT_A).json()["programs"]
    assert [p["id"] for p in seen] == [p["id"] for p in seed_rows("programs", tenantid=1)]
    own = client.post(f"{BASE}/program", json={**NEW_PROGRAM, "categoryid": 3}, headers=TENANT_A)
    assert own.status_code == 201 and own.json()["tenantid"] == 1
    assert client.post(f"{BASE}/program_enrolment", json={"programid": ACME_PROGRAM["id"], "userid": 4}, headers=TENANT_A).status_code in (200, 201)
