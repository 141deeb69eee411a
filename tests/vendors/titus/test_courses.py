"""Titus Connect courses and categories: CRUD, rules, lists, tenant scope, the bulk envelope."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, TENANT_A, error, seed_rows, state

NEW_COURSE = {"fullname": "Warehouse Basics", "shortname": "WH-1", "categoryid": 3, "idnumber": "WH-001"}


@pytest.fixture
def client(make_client):
    return make_client(vendor="titus")


def test_read_seeded_course_and_category(client) -> None:
    course = client.get(f"{BASE}/course/2", headers=ADMIN).json()
    assert course["shortname"] == "FORK-100" and course["categoryid"] == 3
    assert course["customfields"] == seed_rows("courses", id=2)[0]["customfields"]
    category = client.get(f"{BASE}/category/3", headers=ADMIN).json()
    assert category["path"] == "/2/3" and category["depth"] == 2 and category["parent"] == 2
    assert category["coursecount"] == 4 and category["tenantid"] == 1
    assert error(client.get(f"{BASE}/course/999", headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.get(f"{BASE}/category/999", headers=ADMIN)) == (404, "invalidrecord")


def test_create_read_update_delete(client) -> None:
    created = client.post(f"{BASE}/course", json=NEW_COURSE, headers=ADMIN)
    assert created.status_code == 201
    course = created.json()
    assert created.headers["location"].endswith(f"{BASE}/course/{course['id']}")
    assert course["format"] == "topics" and course["visible"] is True and course["enddate"] == 0
    assert course["timecreated"] == course["timemodified"]
    assert client.get(f"{BASE}/course/{course['id']}", headers=ADMIN).json() == course

    client.post("/__admin/clock", json={"advance": "60s"})
    updated = client.put(f"{BASE}/course/{course['id']}", json={"fullname": "Warehouse 101", "id": course["id"]}, headers=ADMIN)
    assert updated.status_code == 200
    assert updated.json()["fullname"] == "Warehouse 101" and updated.json()["shortname"] == "WH-1"
    assert updated.json()["timemodified"] > course["timemodified"]

    assert client.delete(f"{BASE}/course/{course['id']}", headers=ADMIN).status_code == 204
    assert error(client.get(f"{BASE}/course/{course['id']}", headers=ADMIN)) == (404, "invalidrecord")
    assert error(client.delete(f"{BASE}/course/{course['id']}", headers=ADMIN)) == (404, "invalidrecord")


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"shortname": "FORK-100"}, (409, "shortnametaken")),
        ({"idnumber": "CRS-1002"}, (409, "courseidnumbertaken")),
        ({"categoryid": 99}, (400, "invalidcategory")),
        ({"startdate": 1735689600, "enddate": 1735689599}, (400, "enddatebeforestartdate")),
        ({"format": "grid"}, (400, "invalidparameter")),
        ({"colour": "red"}, (400, "invalidparameter")),
    ],
)
def test_create_errors_change_nothing(client, change, expected) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/course", json={**NEW_COURSE, **change}, headers=ADMIN)) == expected
    assert state(client) == before


def test_update_errors_change_nothing(client) -> None:
    before = state(client)
    assert error(client.put(f"{BASE}/course/3", json={"shortname": "FORK-100"}, headers=ADMIN)) == (409, "shortnametaken")
    assert error(client.put(f"{BASE}/course/3", json={"timecreated": 5}, headers=ADMIN)) == (400, "readonlyfield")
    assert error(client.put(f"{BASE}/course/3", json={"categoryid": 99}, headers=ADMIN)) == (400, "invalidcategory")
    start = client.get(f"{BASE}/course/3", headers=ADMIN).json()["startdate"]
    assert error(client.put(f"{BASE}/course/3", json={"enddate": start - 1}, headers=ADMIN)) == (400, "enddatebeforestartdate")
    assert error(client.put(f"{BASE}/course/999", json={"fullname": "x"}, headers=ADMIN)) == (404, "invalidrecord")
    assert state(client) == before


def test_readonly_token_cannot_write_courses(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/course", json=NEW_COURSE, headers=READONLY)) == (403, "nopermissions")
    assert error(client.put(f"{BASE}/course/2", json={"fullname": "x"}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.delete(f"{BASE}/course/2", headers=READONLY)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/courses", json={"courses": [NEW_COURSE]}, headers=READONLY)) == (403, "nopermissions")
    assert client.get(f"{BASE}/course/2", headers=READONLY).status_code == 200
    assert state(client) == before


def test_tenant_token_sees_and_changes_only_its_tenant(client) -> None:
    courses = client.get(f"{BASE}/courses?perpage=500", headers=TENANT_A).json()
    assert courses["batch"]["totalitems"] == 8
    assert {c["categoryid"] for c in courses["courses"]} == {2, 3, 4}
    categories = client.get(f"{BASE}/categories", headers=TENANT_A).json()["categories"]
    assert {c["id"] for c in categories} == {2, 3, 4}
    globex_course = next(c for c in client.get(f"{BASE}/courses?categoryid=6", headers=ADMIN).json()["courses"])
    assert error(client.get(f"{BASE}/course/{globex_course['id']}", headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.get(f"{BASE}/category/5", headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.delete(f"{BASE}/course/{globex_course['id']}", headers=TENANT_A)) == (403, "nopermissions")
    assert error(client.post(f"{BASE}/course", json={**NEW_COURSE, "categoryid": 6}, headers=TENANT_A)) == (403, "nopermissions")
    assert client.post(f"{BASE}/course", json=NEW_COURSE, headers=TENANT_A).status_code == 201


def test_course_lists_filter_sort_and_page(client) -> None:
    listed = client.get(f"{BASE}/courses?perpage=5&page=2", headers=ADMIN).json()
    assert listed["batch"] == {"page": 2, "perpage": 5, "totalpages": 4, "totalitems": 20}
    assert [c["id"] for c in listed["courses"]] == [7, 8, 9, 10, 11]
    assert [c["shortname"] for c in client.get(f"{BASE}/courses?shortname=TILL-108", headers=ADMIN).json()["courses"]] == ["TILL-108"]
    hidden = client.get(f"{BASE}/courses?visible=false", headers=ADMIN).json()["courses"]
    assert {c["categoryid"] for c in hidden} == {8} and len(hidden) == 2
    found = client.get(f"{BASE}/courses?search=induction", headers=ADMIN).json()["courses"]
    assert {c["shortname"] for c in found} == {"IND-107", "GIND-111", "LEGIND-119"}
    names = [c["fullname"] for c in client.get(f"{BASE}/courses?sort=fullname&order=desc", headers=ADMIN).json()["courses"]]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert error(client.get(f"{BASE}/courses?perpage=0", headers=ADMIN)) == (400, "invalidparameter")
    tops = client.get(f"{BASE}/categories?parent=0", headers=ADMIN).json()["categories"]
    assert [c["id"] for c in tops] == [1, 2, 5, 7, 8]


def test_modifiedsince_follows_the_server_clock(client) -> None:
    client.post("/__admin/clock", json={"set": "2026-11-22T12:00:00Z"})
    client.put(f"{BASE}/course/5", json={"summary": "new"}, headers=ADMIN)
    recent = client.get(f"{BASE}/courses?modifiedsince=1795000000", headers=ADMIN).json()["courses"]
    assert [c["id"] for c in recent] == [5]


def test_bulk_create_answers_each_item_in_order(client) -> None:
    items = [NEW_COURSE, {**NEW_COURSE, "idnumber": ""}, {**NEW_COURSE, "shortname": "WH-2", "idnumber": "", "categoryid": 99},
             {"fullname": "Yard", "shortname": "WH-3", "categoryid": 7}]
    answer = client.post(f"{BASE}/courses", json={"courses": items}, headers=ADMIN)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [201, 409, 400, 201]
    assert [r["index"] for r in results] == [0, 1, 2, 3]
    assert results[1]["error"]["errorcode"] == "shortnametaken"
    assert results[2]["error"]["errorcode"] == "invalidcategory"
    assert results[0]["data"]["shortname"] == "WH-1" and results[0]["id"] == results[0]["data"]["id"]
    assert answer.json()["summary"] == {"total": 4, "succeeded": 2, "failed": 2}
    assert client.get(f"{BASE}/course/{results[3]['id']}", headers=ADMIN).json()["fullname"] == "Yard"


def test_atomic_bulk_is_all_or_nothing(client) -> None:
    before = state(client)
    items = [NEW_COURSE, {**NEW_COURSE, "shortname": "WH-2", "idnumber": "CRS-1002"}]
    answer = client.post(f"{BASE}/courses?atomic=true", json={"courses": items}, headers=ADMIN)
    assert error(answer) == (409, "courseidnumbertaken") and answer.json()["index"] == 1
    assert state(client) == before
    ok = client.post(f"{BASE}/courses?atomic=true", json={"courses": [NEW_COURSE]}, headers=ADMIN)
    assert ok.status_code == 200 and ok.json()["results"][0]["status"] == 201


@pytest.mark.parametrize(
    "body, code",
    [
        ({"courses": []}, "invalidparameter"),
        ({"courses": [NEW_COURSE] * 101}, "toomanyitems"),
        ({"courses": [NEW_COURSE, {"fullname": "x"}]}, "invalidparameter"),
        ({"items": [NEW_COURSE]}, "invalidparameter"),
    ],
)
def test_bulk_envelope_errors_process_nothing(client, body, code) -> None:
    before = state(client)
    answer = client.post(f"{BASE}/courses", json=body, headers=ADMIN)
    assert error(answer) == (400, code)
    if body.get("courses") and len(body["courses"]) == 2:
        assert answer.json()["index"] == 1
    assert state(client) == before
