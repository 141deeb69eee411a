"""Titus Connect job assignments: references, managers without cycles, idnumber per user, cascades, bulk."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, refused_unchanged, seed_rows, seed_users, state


@pytest.fixture
def client(titus_client):
    return titus_client


def seeded_job(**match):
    return seed_rows("job_assignments", **match)[0]


HEAD = seeded_job(managerjaid=None, userid=4)  # Acme's head (the tenant token's own user)
DIRECTOR = seeded_job(userid=5)  # reports to HEAD
GLOBEX_USER = next(u for u in seed_users() if u.get("tenantid") == 2 and u["id"] > 4)


def test_create_read_update_delete(client) -> None:
    body = {"userid": 7, "idnumber": "NEW-1", "fullname": "Analyst", "positionid": DIRECTOR["positionid"],
            "organisationid": DIRECTOR["organisationid"], "managerjaid": DIRECTOR["id"], "startdate": 1700000000}
    created = client.post(f"{BASE}/job_assignment", json=body, headers=ADMIN)
    assert created.status_code == 201
    job = created.json()
    assert created.headers["location"].endswith(f"/job_assignment/{job['id']}")
    assert job["managerid"] == DIRECTOR["userid"] and job["departmentid"] == job["organisationid"] == DIRECTOR["organisationid"]
    assert job["userid"] == 7 and job["sortorder"] == len(seed_rows("job_assignments", userid=7)) + 1
    assert client.get(f"{BASE}/job_assignment/{job['id']}", headers=ADMIN).json() == job
    user = client.get(f"{BASE}/user/7", headers=ADMIN).json()
    assert {"id": job["id"], "idnumber": "NEW-1", "fullname": "Analyst"} in user["job_assignments"]
    updated = client.put(f"{BASE}/job_assignment/{job['id']}", json={"fullname": "Senior analyst", "managerjaid": None, "userid": 7}, headers=ADMIN)
    assert updated.status_code == 200
    assert updated.json()["fullname"] == "Senior analyst" and updated.json()["managerid"] is None
    assert updated.json()["idnumber"] == "NEW-1"  # omitted fields keep their values
    assert client.delete(f"{BASE}/job_assignment/{job['id']}", headers=ADMIN).status_code == 204
    assert error(client.get(f"{BASE}/job_assignment/{job['id']}", headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.delete(f"{BASE}/job_assignment/{job['id']}", headers=ADMIN)) == (404, "invalidrecord")


def test_user_by_alternate_key(client) -> None:
    user = seed_users()[6]
    by_name = client.post(f"{BASE}/job_assignment", json={"username": user["username"], "idnumber": "K-1"}, headers=ADMIN)
    by_idnumber = client.post(f"{BASE}/job_assignment", json={"useridnumber": user["idnumber"], "idnumber": "K-2"}, headers=ADMIN)
    assert by_name.status_code == by_idnumber.status_code == 201
    assert by_name.json()["userid"] == by_idnumber.json()["userid"] == user["id"]


def test_idnumber_is_unique_per_user(client) -> None:
    taken = seeded_job(userid=8)["idnumber"]
    assert error(client.post(f"{BASE}/job_assignment", json={"userid": 8, "idnumber": taken}, headers=ADMIN)) == (409, "jobassignmentidnumberexists")
    assert client.post(f"{BASE}/job_assignment", json={"userid": 9, "idnumber": taken}, headers=ADMIN).status_code == 201
    other = seeded_job(userid=11)
    clash = client.put(f"{BASE}/job_assignment/{other['id']}", json={"idnumber": "X"}, headers=ADMIN)
    assert clash.status_code == 200
    second = client.post(f"{BASE}/job_assignment", json={"userid": 11, "idnumber": "Y"}, headers=ADMIN).json()
    assert error(client.put(f"{BASE}/job_assignment/{second['id']}", json={"idnumber": "X"}, headers=ADMIN)) == (409, "jobassignmentidnumberexists")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"positionid": 999}, (400, "invalidposition")),
        ({"organisationid": 999}, (400, "invaliddepartment")),
        ({"departmentid": 999}, (400, "invaliddepartment")),
        ({"departmentid": 1, "organisationid": 2}, (400, "ambiguousreference")),
        ({"managerjaid": 99999}, (400, "invalidmanager")),
        ({"tempmanagerjaid": 1}, (400, "invalidparameter")),
        ({"tempmanagerexpirydate": 1800000000}, (400, "invalidparameter")),
        ({"appraiserid": 99999}, (400, "invalidappraiser")),
        ({"startdate": 1700000000, "enddate": 1600000000}, (400, "enddatebeforestartdate")),
        ({"idnumber": ""}, (400, "invalidparameter")),
    ],
)
def test_create_errors_change_nothing(client, extra, expected) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/job_assignment", json={"userid": 7, "idnumber": "E-1", **extra}, headers=ADMIN)) == expected
    assert state(client) == before


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"idnumber": "E-1"}, (400, "missingreference")),
        ({"userid": 7, "username": "x", "idnumber": "E-1"}, (400, "ambiguousreference")),
        ({"userid": 99999, "idnumber": "E-1"}, (404, "usernotfound")),
        ({"username": "nobody", "idnumber": "E-1"}, (404, "usernotfound")),
    ],
)
def test_user_reference_errors(client, body, expected) -> None:
    assert error(client.post(f"{BASE}/job_assignment", json=body, headers=ADMIN)) == expected


def test_management_never_loops(client) -> None:
    before = state(client)
    assert error(client.put(f"{BASE}/job_assignment/{HEAD['id']}", json={"managerjaid": HEAD["id"]}, headers=ADMIN)) == (400, "circularmanagement")
    # the head manages the director, who manages a team manager: none of them may manage the head
    team_manager = seeded_job(managerjaid=DIRECTOR["id"])
    for below in (DIRECTOR, team_manager):
        assert error(client.put(f"{BASE}/job_assignment/{HEAD['id']}", json={"managerjaid": below["id"]}, headers=ADMIN)) == (400, "circularmanagement")
    assert error(client.put(f"{BASE}/job_assignment/{HEAD['id']}", json={"tempmanagerjaid": DIRECTOR["id"], "tempmanagerexpirydate": 1900000000}, headers=ADMIN)) == (400, "circularmanagement")
    assert state(client) == before
    # a sideways manager is fine
    peer = next(j for j in seed_rows("job_assignments") if j["managerjaid"] == HEAD["id"] and j["id"] != DIRECTOR["id"])
    moved = client.put(f"{BASE}/job_assignment/{team_manager['id']}", json={"managerjaid": peer["id"]}, headers=ADMIN)
    assert moved.status_code == 200 and moved.json()["managerid"] == peer["userid"]


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"userid": 99}, (400, "readonlyfield")),
        ({"sortorder": 7}, (400, "readonlyfield")),
        ({"managerid": 3}, (400, "readonlyfield")),
        ({"positionid": 999}, (400, "invalidposition")),
        ({"enddate": 1}, (400, "enddatebeforestartdate")),
        ({"fullname": 5}, (400, "invalidparameter")),
    ],
)
def test_update_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "put", f"/job_assignment/{DIRECTOR['id']}", body) == expected
    assert error(client.put(f"{BASE}/job_assignment/99999", json={"fullname": "x"}, headers=ADMIN)) == (404, "invalidrecord")


def test_deleting_a_manager_job_clears_it_from_the_staff(client) -> None:
    staff = [j["id"] for j in seed_rows("job_assignments", managerjaid=DIRECTOR["id"])]
    assert staff and client.delete(f"{BASE}/job_assignment/{DIRECTOR['id']}", headers=ADMIN).status_code == 204
    for job_id in staff:
        job = client.get(f"{BASE}/job_assignment/{job_id}", headers=ADMIN).json()
        assert job["managerjaid"] is None and job["managerid"] is None


def test_user_deletion_archives_jobs_and_program_enrolments(client) -> None:
    user_id = DIRECTOR["userid"]
    jobs = [j["id"] for j in seed_rows("job_assignments", userid=user_id)]
    programs = seed_rows("program_enrolments", userid=user_id)
    assert client.delete(f"{BASE}/user/{user_id}", headers=ADMIN).status_code == 204
    for job_id in jobs:
        assert error(client.get(f"{BASE}/job_assignment/{job_id}", headers=ADMIN)) == (404, "invalidrecord")
    for job in seed_rows("job_assignments", managerjaid=DIRECTOR["id"]):
        assert client.get(f"{BASE}/job_assignment/{job['id']}", headers=ADMIN).json()["managerjaid"] is None
    tables = state(client)["tables"]
    assert not [r for r in tables["program_users"]["rows"] if r["userid"] == user_id]
    archived = tables["deleted_records"]["rows"]
    assert sorted(r["record"]["id"] for r in archived if r["source"] == "job_assignments") == sorted(jobs)
    assert len([r for r in archived if r["source"] == "program_users"]) == len(programs)
    assert [r for r in tables["deleted_users"]["rows"] if r["id"] == user_id]


def test_bulk_create_per_item_and_atomic(client) -> None:
    body = {"job_assignments": [{"userid": 7, "idnumber": "B-1"}, {"userid": 7, "idnumber": "B-1"},
                                {"userid": 7, "idnumber": "B-2", "positionid": 999}, {"username": "nobody", "idnumber": "B-3"}]}
    answer = client.post(f"{BASE}/job_assignments", json=body, headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [201, 409, 400, 404]
    assert answer["results"][0]["id"] == answer["results"][0]["data"]["id"]
    before = state(client)
    atomic = client.post(f"{BASE}/job_assignments?atomic=true", json={"job_assignments": [{"userid": 7, "idnumber": "C-1"}, {"userid": 7, "idnumber": "C-1"}]}, headers=ADMIN)
    assert error(atomic) == (409, "jobassignmentidnumberexists") and atomic.json()["index"] == 1
    assert state(client) == before
    assert error(client.post(f"{BASE}/job_assignments", json={"job_assignments": [{"idnumber": "x"}]}, headers=ADMIN)) == (400, "missingreference")


def test_bulk_delete_with_user_guard(client) -> None:
    mine, other = seeded_job(userid=8), seeded_job(userid=11)
    answer = client.delete(f"{BASE}/job_assignments?id={mine['id']}&id={other['id']}&id=99999&userid=8", headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [204, 404, 404]
    assert answer["summary"] == {"total": 3, "succeeded": 1, "failed": 2}
    assert client.get(f"{BASE}/job_assignment/{other['id']}", headers=ADMIN).status_code == 200
    assert error(client.delete(f"{BASE}/job_assignments", headers=ADMIN)) == (400, "invalidparameter")


def test_readonly_and_tenant_scope(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/job_assignment", json={"userid": 7, "idnumber": "R"}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.put(f"{BASE}/job_assignment/{DIRECTOR['id']}", json={"fullname": "R"}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.delete(f"{BASE}/job_assignment/{DIRECTOR['id']}", headers=READONLY)) == (403, "nopermissions")
    assert error(client.delete(f"{BASE}/job_assignments?id={DIRECTOR['id']}", headers=READONLY)) == (403, "nopermissions")
    globex_job = seeded_job(userid=GLOBEX_USER["id"])
    assert error(client.get(f"{BASE}/job_assignment/{globex_job['id']}", headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/job_assignment", json={"userid": GLOBEX_USER["id"], "idnumber": "T"}, headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/job_assignment", json={"userid": 5, "idnumber": "T", "appraiserid": GLOBEX_USER["id"]}, headers=TENANT_A)) == (403, "nopermissions")
    globex_position = seed_rows("organisation_positions", frameworkid=5)[0]["id"]
    assert error(client.post(f"{BASE}/job_assignment", json={"userid": 5, "idnumber": "T", "positionid": globex_position}, headers=TENANT_A)) == (403, "nopermissions")
    assert state(client) == before
    assert client.get(f"{BASE}/job_assignment/{DIRECTOR['id']}", headers=READONLY).status_code == 200
    assert client.post(f"{BASE}/job_assignment", json={"userid": 5, "idnumber": "T", "managerjaid": HEAD["id"]}, headers=TENANT_A).status_code == 201
