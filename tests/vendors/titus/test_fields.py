"""Titus Connect profile field and course custom field definitions, and the values users and courses carry."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, error, seed, seed_rows, state


@pytest.fixture
def client(titus_client):
    return titus_client


NEW_USER = {"username": "fields.user", "firstname": "F", "lastname": "U", "email": "fields.user@example.org"}


def test_definitions_follow_the_seed(client) -> None:
    profile = client.get(f"{BASE}/user_profile_fields?perpage=500", headers=READONLY).json()
    assert [f["shortname"] for f in profile["user_profile_fields"]] == [f["shortname"] for f in seed()["user_profile_fields"]]
    menu = client.get(f"{BASE}/user_profile_fields?datatype=menu", headers=ADMIN).json()["user_profile_fields"]
    assert [f["options"] for f in menu] == [f["options"] for f in seed_rows("user_profile_fields", datatype="menu")]
    course = client.get(f"{BASE}/course_custom_fields?type=select", headers=ADMIN).json()
    assert course["batch"]["totalitems"] == len(seed_rows("course_custom_fields", type="select"))
    assert client.get(f"{BASE}/course_custom_fields?shortname=level", headers=ADMIN).json()["course_custom_fields"][0]["options"]
    assert error(client.get(f"{BASE}/course_custom_fields?type=radio", headers=ADMIN)) == (400, "invalidparameter")


def test_user_values_are_written_and_merged(client) -> None:
    values = [{"shortname": "contracttype", "value": "Contractor"}, {"shortname": "firstaider", "value": "1"},
              {"shortname": "startdate", "value": "1700000000"}]
    created = client.post(f"{BASE}/user", json={**NEW_USER, "customfields": values}, headers=ADMIN)
    assert created.status_code == 201 and created.json()["customfields"] == values
    user_id = created.json()["id"]
    updated = client.put(f"{BASE}/user/{user_id}", json={"customfields": [{"shortname": "firstaider", "value": "0"}]}, headers=ADMIN).json()
    assert updated["customfields"] == [values[0], {"shortname": "firstaider", "value": "0"}, values[2]]


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"shortname": "nosuchfield", "value": "x"}, (400, "invalidcustomfield")),
        ({"shortname": "contracttype", "value": "Intern"}, (400, "invalidcustomfieldvalue")),
        ({"shortname": "firstaider", "value": "yes"}, (400, "invalidcustomfieldvalue")),
        ({"shortname": "startdate", "value": "next week"}, (400, "invalidcustomfieldvalue")),
        ({"shortname": "payrollid", "value": next(v["value"] for u in seed()["generated_users"] for v in u.get("customfields", []) if v["shortname"] == "payrollid")},
         (409, "profilefieldvalueexists")),
        ({"shortname": "costcentre"}, (400, "invalidparameter")),
    ],
)
def test_bad_user_values_change_nothing(client, value, expected) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/user", json={**NEW_USER, "customfields": [value]}, headers=ADMIN)) == expected
    assert error(client.put(f"{BASE}/user/7", json={"customfields": [value]}, headers=ADMIN)) == expected
    assert state(client) == before


def test_a_unique_value_may_be_kept_by_its_holder(client) -> None:
    holder = next(u for u in seed()["generated_users"] if any(v["shortname"] == "payrollid" for v in u["customfields"]))
    mine = next(v for v in holder["customfields"] if v["shortname"] == "payrollid")
    assert client.put(f"{BASE}/user/{holder['id']}", json={"customfields": [mine]}, headers=ADMIN).status_code == 200


def test_course_values(client) -> None:
    body = {"fullname": "Fields", "shortname": "FLD-1", "categoryid": 7,
            "customfields": [{"shortname": "level", "value": "Advanced"}, {"shortname": "mandatory", "value": "1"}]}
    created = client.post(f"{BASE}/course", json=body, headers=ADMIN)
    assert created.status_code == 201 and created.json()["customfields"] == body["customfields"]
    course_id = created.json()["id"]
    updated = client.put(f"{BASE}/course/{course_id}", json={"customfields": [{"shortname": "level", "value": "Beginner"}]}, headers=ADMIN)
    assert updated.json()["customfields"][0] == {"shortname": "level", "value": "Beginner"}
    before = state(client)
    assert error(client.put(f"{BASE}/course/{course_id}", json={"customfields": [{"shortname": "level", "value": "Expert"}]}, headers=ADMIN)) == (400, "invalidcustomfieldvalue")
    assert error(client.put(f"{BASE}/course/{course_id}", json={"customfields": [{"shortname": "costcentre", "value": "x"}]}, headers=ADMIN)) == (400, "invalidcustomfield")
    assert state(client) == before


@pytest.mark.parametrize("path", ["/user_profile_fields", "/course_custom_fields", "/organisation_departments",
                                  "/organisation_positions", "/programs", "/program/1", "/job_assignment/1"])
def test_new_reads_need_a_token(client, path) -> None:
    response = client.get(f"{BASE}{path}")
    assert error(response) == (401, "noauthheader") and response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert error(client.get(f"{BASE}{path}", headers={"Authorization": "Bearer titus-expired-token"})) == (401, "invalidtimedtoken")
    assert client.get(f"{BASE}{path}", headers=READONLY).status_code == 200
