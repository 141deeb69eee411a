"""Titus Connect's documented behaviour (docs/titus.md), against any instance: Moodle-style error
bodies, 401 without a token, 404 for an unknown record, the batch paging, epoch dates, and (with
writes) a create read back and a duplicate refused with 409."""

from __future__ import annotations

import uuid

import pytest

from .vendor_api import VendorApi

pytestmark = [pytest.mark.contract, pytest.mark.behaviour]
MOODLE_ERROR = {"exception", "errorcode", "message"}


def auth(titus: VendorApi) -> dict[str, str]:
    return {"Authorization": f"Bearer {titus.credentials['token']}"}


def test_no_token_is_401_noauthheader(titus: VendorApi) -> None:
    answer = titus.request("GET", "/users")
    assert answer.status_code == 401 and answer.headers["content-type"].startswith("application/json")
    assert set(answer.json()) >= MOODLE_ERROR and answer.json()["errorcode"] == "noauthheader"


def test_an_unknown_token_is_401_invalidtoken(titus: VendorApi) -> None:
    answer = titus.request("GET", "/users", headers={"Authorization": f"Bearer nope-{uuid.uuid4().hex}"})
    assert answer.status_code == 401 and answer.json()["errorcode"] == "invalidtoken"


def test_an_unknown_user_is_404_with_a_moodle_error(titus: VendorApi) -> None:
    answer = titus.request("GET", "/user/2147483000", headers=auth(titus))
    assert answer.status_code == 404 and set(answer.json()) >= MOODLE_ERROR


def test_users_come_in_batches_with_epoch_dates(titus: VendorApi) -> None:
    answer = titus.request("GET", "/users", params={"perpage": 2, "page": 1}, headers=auth(titus))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body["batch"]) == {"page", "perpage", "totalpages", "totalitems"}
    assert body["batch"]["page"] == 1 and body["batch"]["perpage"] == 2 and len(body["users"]) <= 2
    for user in body["users"]:
        assert isinstance(user["timecreated"], int) and not isinstance(user["timecreated"], bool)


def test_a_created_user_reads_back_and_a_duplicate_is_409(titus: VendorApi) -> None:
    titus.needs_writes()
    name = f"contract.{uuid.uuid4().hex[:10]}"
    user = {"username": name, "firstname": "Contract", "lastname": "Check", "email": f"{name}@example.org"}
    created = titus.request("POST", "/user", json=user, headers=auth(titus))
    assert created.status_code == 201 and created.headers.get("location")
    read = titus.request("GET", f"/user/{created.json()['id']}", headers=auth(titus))
    assert read.status_code == 200 and {k: read.json()[k] for k in user} == user
    again = titus.request("POST", "/user", json=user, headers=auth(titus))
    assert again.status_code == 409 and again.json()["errorcode"] == "usernameexists"
