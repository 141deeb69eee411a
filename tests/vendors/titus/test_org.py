"""Titus Connect departments and positions: hierarchy, frameworks, idnumber uniqueness, bulk, tenant scope."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, seed_rows, state



@pytest.fixture
def client(titus_client):
    return titus_client


KINDS = [("organisation_department", "organisation_departments", "departmentidnumberexists", 3),
         ("organisation_position", "organisation_positions", "positionidnumberexists", 6)]


@pytest.mark.parametrize("singular, plural, conflict, framework", KINDS)
def test_create_child_read_and_list(client, singular, plural, conflict, framework) -> None:
    parent = client.post(f"{BASE}/{singular}", json={"frameworkid": framework, "fullname": "Top", "idnumber": "T-1"}, headers=ADMIN)
    assert parent.status_code == 201 and parent.headers["location"].endswith(f"/{singular}/{parent.json()['id']}")
    top = parent.json()
    assert top["parentid"] == 0 and top["depthlevel"] == 1 and top["path"] == f"/{top['id']}" and top["visible"] is True
    child = client.post(f"{BASE}/{singular}", json={"frameworkid": framework, "fullname": "Child", "parentid": top["id"]}, headers=ADMIN).json()
    assert child["depthlevel"] == 2 and child["path"] == f"/{top['id']}/{child['id']}"
    assert client.get(f"{BASE}/{singular}/{child['id']}", headers=ADMIN).json() == child
    listed = client.get(f"{BASE}/{plural}?parentid={top['id']}", headers=ADMIN).json()
    assert listed["batch"]["totalitems"] == 1 and listed[plural] == [child]
    assert client.get(f"{BASE}/{plural}?idnumber=T-1", headers=ADMIN).json()[plural] == [top]
    assert error(client.post(f"{BASE}/{singular}", json={"frameworkid": framework, "fullname": "Again", "idnumber": "T-1"}, headers=ADMIN)) == (409, conflict)
    assert error(client.get(f"{BASE}/{singular}/9999", headers=ADMIN)) == (404, "invalidrecord")


def test_seeded_hierarchy_follows_the_seed(client) -> None:
    seeded = seed_rows("organisation_departments")
    listed = client.get(f"{BASE}/organisation_departments?perpage=500", headers=ADMIN).json()
    assert listed["batch"]["totalitems"] == len(seeded)
    by_id = {d["id"]: d for d in listed["organisation_departments"]}
    for record in seeded:
        row = by_id[record["id"]]
        parent = by_id.get(record.get("parentid", 0))
        assert row["path"] == f"{parent['path'] if parent else ''}/{row['id']}"
        assert row["depthlevel"] == (parent["depthlevel"] + 1 if parent else 1)
    assert client.get(f"{BASE}/organisation_positions?frameworkid=4", headers=ADMIN).json()["batch"]["totalitems"] == \
        len(seed_rows("organisation_positions", frameworkid=4))


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"frameworkid": 4, "fullname": "Wrong kind"}, (400, "invalidframework")),
        ({"frameworkid": 99, "fullname": "Unknown"}, (400, "invalidframework")),
        ({"frameworkidnumber": "NOPE", "fullname": "Unknown"}, (400, "invalidframework")),
        ({"frameworkid": 3, "fullname": "Foreign parent", "parentid": 1}, (400, "invalidparent")),
        ({"frameworkid": 3, "fullname": "Missing parent", "parentid": 999}, (400, "invalidparent")),
        ({"fullname": "No framework"}, (400, "missingreference")),
        ({"frameworkid": 3, "frameworkidnumber": "NWL-DEP-FW", "fullname": "Both"}, (400, "ambiguousreference")),
        ({"frameworkid": 3}, (400, "invalidparameter")),
        ({"frameworkid": 3, "fullname": "Taken", "idnumber": "NWL-D-ROOT"}, (409, "departmentidnumberexists")),
    ],
)
def test_department_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/organisation_department", body) == expected


def test_framework_by_idnumber(client) -> None:
    created = client.post(f"{BASE}/organisation_position", json={"frameworkidnumber": "NWL-POS-FW", "fullname": "Analyst"}, headers=ADMIN)
    assert created.status_code == 201 and created.json()["frameworkid"] == 6


def test_bulk_per_item_and_atomic(client) -> None:
    body = {"organisation_departments": [{"frameworkid": 3, "fullname": "A", "idnumber": "X-1"},
                                         {"frameworkid": 3, "fullname": "B", "idnumber": "X-1"},
                                         {"frameworkid": 3, "fullname": "C", "parentid": 1}]}
    answer = client.post(f"{BASE}/organisation_departments", json=body, headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [201, 409, 400]
    assert answer["summary"] == {"total": 3, "succeeded": 1, "failed": 2}
    assert answer["results"][1]["error"]["errorcode"] == "departmentidnumberexists"
    before = state(client)
    atomic = client.post(f"{BASE}/organisation_positions?atomic=true",
                         json={"organisation_positions": [{"frameworkid": 6, "fullname": "P"}, {"frameworkid": 1, "fullname": "Q"}]},
                         headers=ADMIN)
    assert error(atomic) == (400, "invalidframework") and atomic.json()["index"] == 1
    assert state(client) == before
    missing = client.post(f"{BASE}/organisation_positions", json={"organisation_positions": [{"fullname": "Q"}]}, headers=ADMIN)
    assert error(missing) == (400, "missingreference") and missing.json()["index"] == 0


def test_readonly_and_tenant_scope(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/organisation_department", json={"frameworkid": 3, "fullname": "x"}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/organisation_departments", json={"organisation_departments": [{"frameworkid": 3, "fullname": "x"}]}, headers=READONLY)) == (403, "nopermissions")
    # framework 2 is Globex's (tenant 2), framework 1 Acme's (tenant 1, the tenant token's)
    assert error(client.post(f"{BASE}/organisation_department", json={"frameworkid": 2, "fullname": "x"}, headers=TENANT_A)) == (403, "nopermissions")
    globex = seed_rows("organisation_departments", frameworkid=2)[0]
    assert error(client.get(f"{BASE}/organisation_department/{globex['id']}", headers=TENANT_A)) == (403, "nopermissions")
    assert state(client) == before
    seen = client.get(f"{BASE}/organisation_departments?perpage=500", headers=TENANT_A).json()["organisation_departments"]
    assert seen and {d["frameworkid"] for d in seen} == {1}
    assert client.post(f"{BASE}/organisation_department", json={"frameworkid": 1, "fullname": "Acme new"}, headers=TENANT_A).status_code == 201
