"""TeSLA CE course activities and activity instruments: VLE-made records, alternatives, cascades."""

from __future__ import annotations

import pytest

from tesla_course_support import INSTITUTION, NO_PERMISSION, NOT_FOUND, ids, login


@pytest.fixture
def client(tesla_client):
    return tesla_client

ACTIVITIES = f"{INSTITUTION}/course/1/activity/"
INSTRUMENTS = f"{ACTIVITIES}1/instrument/"


def test_activity_shape_and_lists(client) -> None:
    manager = login(client, "manager@tesla.example")
    assert ids(client, ACTIVITIES, manager) == [1, 2, 3]
    activity = client.get(f"{ACTIVITIES}1/", headers=manager).json()
    assert list(activity) == ["id", "course_id", "vle_id", "vle_activity_type", "vle_activity_id", "name", "start",
                              "end", "description", "enabled", "conf", "created_at", "updated_at"]
    assert (activity["course_id"], activity["vle_id"], activity["name"]) == (1, 1, "Midterm exam")
    assert client.get(f"{INSTITUTION}/course/99/activity/", headers=manager).json()["count"] == 0
    assert client.get(f"{INSTITUTION}/course/2/activity/1/", headers=manager).json() == NOT_FOUND  # another course's
    assert client.get(f"{ACTIVITIES}x/", headers=manager).json() == NOT_FOUND


@pytest.mark.parametrize(("email", "read", "write"), [
    ("admin@tesla.example", 200, 403),
    ("inst-admin@tesla.example", 200, 200),
    ("marta.vidal@nou.example", 200, 200),  # the course's instructor
    ("oriol.pons@nou.example", 200, 403),  # one of its learners
    ("data-admin@tesla.example", 403, 403),
    ("aina.roca@nou.example", 403, 403),
    ("member@tesla.example", 403, 403),
])
def test_activity_permissions(client, email: str, read: int, write: int) -> None:
    headers = login(client, email)
    assert client.get(ACTIVITIES, headers=headers).status_code == read
    assert client.get(INSTRUMENTS, headers=headers).status_code == read
    assert client.patch(f"{ACTIVITIES}3/", json={"enabled": True}, headers=headers).status_code == write
    assert client.get(f"{INSTITUTION}/course/3/activity/", headers=login(client, "marta.vidal@nou.example")).json() \
        == NO_PERMISSION  # not her course


def test_only_enabled_and_conf_change(client) -> None:
    marta = login(client, "marta.vidal@nou.example")
    response = client.put(f"{ACTIVITIES}3/", json={"enabled": True, "conf": "{}", "name": "Renamed", "course_id": 2},
                          headers=marta)
    assert response.status_code == 200, response.text
    assert (response.json()["enabled"], response.json()["conf"], response.json()["name"]) == (True, "{}", "Final exam")
    assert client.patch(f"{ACTIVITIES}3/", json={"enabled": "yes"}, headers=marta).json() == {
        "enabled": ["Must be a valid boolean."]}
    assert client.patch(f"{ACTIVITIES}3/", json={"conf": None}, headers=marta).json()["conf"] is None
    assert client.patch(f"{ACTIVITIES}9/", json={}, headers=marta).json() == NOT_FOUND
    disabled = client.patch(f"{INSTITUTION}/course/2/activity/4/", json={"enabled": False},
                            headers=login(client, "manager@tesla.example"))
    assert disabled.status_code == 200
    assert client.get(f"{INSTITUTION}/course/2/", headers=marta).json()["enabled"] is False  # no enabled activity


def test_create_activity_is_refused(client, make_client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    refused = client.post(ACTIVITIES, json={"enabled": True}, headers=ia)
    assert (refused.status_code, refused.json()) == (400, {"non_field_errors": ["Activities are created through the VLE API."]})
    assert client.post(ACTIVITIES, json={"enabled": 3}, headers=ia).json() == {"enabled": ["Must be a valid boolean."]}
    assert client.post(f"{INSTITUTION}/course/99/activity/", json={}, headers=ia).json() == NOT_FOUND
    quirky = make_client(vendor="tesla", quirks=True)
    crash = quirky.post(ACTIVITIES, json={}, headers=login(quirky, "inst-admin@tesla.example"))
    assert (crash.status_code, crash.content) == (500, b"Error processing the request.")


def test_delete_activity_cascades(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    assert client.delete(f"{ACTIVITIES}1/", headers=ia).status_code == 204
    assert client.get(f"{ACTIVITIES}1/", headers=ia).json() == NOT_FOUND
    assert client.get(INSTRUMENTS, headers=ia).json()["count"] == 0
    assert client.get(f"{ACTIVITIES}1/report/", headers=ia).json()["count"] == 0
    assert client.get(f"{ACTIVITIES}1/report/1/request/", headers=ia).json() == NOT_FOUND
    assert ids(client, f"{ACTIVITIES}2/report/", ia) == [6, 7, 8]


# -- activity instruments --------------------------------------------------------------------------

def test_activity_instrument_shape(client) -> None:
    marta = login(client, "marta.vidal@nou.example")
    assert ids(client, INSTRUMENTS, marta) == [1, 2]
    row = client.get(f"{INSTRUMENTS}2/", headers=marta).json()
    assert list(row) == ["id", "options", "instrument", "active", "created_at", "updated_at", "alternative_to"]
    assert (row["alternative_to"], row["instrument"]["acronym"]) == (1, "ks")
    primary = client.get(f"{INSTRUMENTS}1/", headers=marta).json()
    assert primary["instrument"]["options_schema"] == '{"type": "object", "properties": {"online": {"type": "boolean", "default": true}}}'
    assert client.get(f"{ACTIVITIES}99/instrument/", headers=marta).json()["count"] == 0
    assert client.get(f"{ACTIVITIES}2/instrument/1/", headers=marta).json() == NOT_FOUND


def test_create_update_and_alternatives(client) -> None:
    marta = login(client, "marta.vidal@nou.example")
    created = client.post(INSTRUMENTS, json={"instrument_id": 4, "active": False, "options": {"x": 1},
                                             "alternative_to": 1, "instrument": {"ignored": True}}, headers=marta)
    assert created.status_code == 201, created.text
    new = created.json()
    assert (new["instrument"]["acronym"], new["active"], new["options"], new["alternative_to"]) == ("fa", False, {"x": 1}, 1)
    updated = client.put(f"{INSTRUMENTS}{new['id']}/", json={"instrument_id": 5, "active": True}, headers=marta)
    assert (updated.status_code, updated.json()["instrument"]["acronym"], updated.json()["alternative_to"]) == (200, "plag", 1)
    patched = client.patch(f"{INSTRUMENTS}{new['id']}/", json={"alternative_to": None}, headers=marta)
    assert patched.json()["alternative_to"] is None
    assert client.get(f"{INSTRUMENTS}{new['id']}/", headers=marta).json()["instrument"]["id"] == 5


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"instrument_id": ["This field is required."], "active": ["This field is required."]}),
    ({"instrument_id": 999, "active": True}, {"instrument_id": ['Invalid pk "999" - object does not exist.']}),
    ({"instrument_id": 1, "active": True}, {"non_field_errors": ["The fields activity_id, instrument_id must make a unique set."]}),
    ({"instrument_id": 4, "active": True, "alternative_to": 3}, {"alternative_to": ['Invalid pk "3" - object does not exist.']}),
    ({"instrument_id": "4", "active": None}, {"instrument_id": ["A valid integer is required."], "active": ["This field may not be null."]}),
    ({"instrument_id": 4, "active": True, "options": []}, {"options": ['Expected a dictionary of items but got type "list".']}),
])
def test_create_errors_change_nothing(client, body: dict, errors: dict) -> None:
    ia = login(client, "inst-admin@tesla.example")
    response = client.post(INSTRUMENTS, json=body, headers=ia)
    assert (response.status_code, response.json()) == (400, errors)
    assert ids(client, INSTRUMENTS, ia) == [1, 2]


def test_unknown_instrument_crashes_with_quirks(make_client) -> None:
    quirky = make_client(vendor="tesla", quirks=True)
    response = quirky.post(INSTRUMENTS, json={"instrument_id": 999, "active": True},
                           headers=login(quirky, "inst-admin@tesla.example"))
    assert (response.status_code, response.content) == (500, b"Error processing the request.")


def test_self_alternative_and_learner_writes_are_refused(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    response = client.patch(f"{INSTRUMENTS}2/", json={"alternative_to": 2}, headers=ia)
    assert response.json() == {"alternative_to": ['Invalid pk "2" - object does not exist.']}
    oriol = login(client, "oriol.pons@nou.example")
    assert client.post(INSTRUMENTS, json={"instrument_id": 4, "active": True}, headers=oriol).json() == NO_PERMISSION


def test_deleting_a_primary_deletes_its_alternatives(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    third = client.post(INSTRUMENTS, json={"instrument_id": 4, "active": True, "alternative_to": 2}, headers=ia).json()
    assert client.delete(f"{INSTRUMENTS}1/", headers=ia).status_code == 204
    assert client.get(INSTRUMENTS, headers=ia).json()["count"] == 0  # 2 was an alternative to 1, and 3rd to 2
    assert client.get(f"{INSTRUMENTS}{third['id']}/", headers=ia).json() == NOT_FOUND
    assert ids(client, f"{ACTIVITIES}2/instrument/", ia) == [3, 4]
    assert client.delete(f"{ACTIVITIES}2/instrument/4/", headers=ia).status_code == 204
    assert ids(client, f"{ACTIVITIES}2/instrument/", ia) == [3]
