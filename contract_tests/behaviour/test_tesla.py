"""TeSLA CE's documented behaviour (docs/tesla.md), against any instance: a bad login 401 with a
bare string, no header 403 and a bad token 401 with DRF's `detail` and `WWW-Authenticate: JWT`,
404 `Not found.`, limit/offset pages, ISO dates, and (with writes) uniqueness as 400, never 409."""

from __future__ import annotations

import re
import uuid

import pytest

from .vendor_api import VendorApi

pytestmark = [pytest.mark.contract, pytest.mark.behaviour]
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


@pytest.fixture(scope="module")
def token(tesla: VendorApi) -> str:
    answer = tesla.request("POST", "/api/v2/auth/login", json={"email": tesla.credentials["email"],
                                                                "password": tesla.credentials["password"]})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]["access_token"]


def jwt(token: str) -> dict[str, str]:
    return {"Authorization": f"JWT {token}"}


def test_a_bad_login_is_401_with_a_bare_string(tesla: VendorApi) -> None:
    answer = tesla.request("POST", "/api/v2/auth/login", json={"email": tesla.credentials["email"],
                                                                "password": f"wrong-{uuid.uuid4().hex}"})
    assert answer.status_code == 401 and answer.json() == "Invalid credentials"


def test_no_header_is_403_and_a_bad_token_401_with_www_authenticate(tesla: VendorApi) -> None:
    none = tesla.request("GET", "/api/v2/institution/1/")
    assert none.status_code == 403 and set(none.json()) == {"detail"}
    bad = tesla.request("GET", "/api/v2/institution/1/", headers=jwt("not.a.token"))
    assert bad.status_code == 401 and bad.headers.get("www-authenticate") == "JWT" and set(bad.json()) == {"detail"}


def test_an_unknown_record_is_404_not_found(tesla: VendorApi, token: str) -> None:
    answer = tesla.request("GET", "/api/v2/institution/1/user/2147483000/", headers=jwt(token))
    assert answer.status_code == 404 and answer.json() == {"detail": "Not found."}


def test_lists_are_limit_offset_pages_with_iso_dates(tesla: VendorApi, token: str) -> None:
    answer = tesla.request("GET", "/api/v2/institution/1/user/", params={"limit": 2, "offset": 0}, headers=jwt(token))
    assert answer.status_code == 200
    page = answer.json()
    assert list(page) == ["count", "next", "previous", "results"] and len(page["results"]) <= 2
    assert page["previous"] is None and (page["next"] is None) == (page["count"] <= 2)
    if page["next"]:
        assert "limit=2" in page["next"] and "offset=2" in page["next"]
    dates = [value for user in page["results"] for key, value in user.items()
             if isinstance(value, str) and key.endswith(("_at", "joined", "login"))]
    assert dates and all(ISO.match(value) for value in dates), dates


def test_a_taken_username_is_400_never_409(tesla: VendorApi, token: str) -> None:
    tesla.needs_writes()
    name = f"contract{uuid.uuid4().hex[:10]}"
    user = {"username": name, "email": f"{name}@example.org", "first_name": "Contract", "last_name": "Check",
            "uid": name, "password": f"Contract-{uuid.uuid4().hex}"}
    created = tesla.request("POST", "/api/v2/institution/1/user/", json=user, headers=jwt(token))
    assert created.status_code == 201, created.text
    again = tesla.request("POST", "/api/v2/institution/1/user/", json=user, headers=jwt(token))
    assert again.status_code == 400 and "username" in again.json()
