"""GET /users/paginated and GET /users/details (docs/litmos.md)."""

from __future__ import annotations


import pytest
from litmos_support import OWNER, SEEDED_USERS, detail, get_json, url, xml_of

MSG_SINCE = ("Please provide a valid 'since=' query string parameter. Valid formats are 'yyyy-MM-dd HH:mm:ss' "
             "or 'yyyy-MM-dd HH:mm' or 'yyyy-MM-dd'")


@pytest.fixture
def client(litmos_client):
    return litmos_client


def test_paginated_wraps_the_users_page_with_its_numbers(client) -> None:
    page = get_json(client, "/users/paginated", start="10", limit="5")
    assert page["Pagination"] == {"BatchParam": "Limit", "BatchSize": 5, "Start": 10, "TotalCount": SEEDED_USERS}
    assert page["Items"] == get_json(client, "/users", start="10", limit="5")


def test_paginated_total_counts_the_filter(client) -> None:
    page = get_json(client, "/users/paginated", search="smith", limit="1")
    assert page["Pagination"]["TotalCount"] == len(get_json(client, "/users", search="smith")) >= 2
    assert len(page["Items"]) == 1
    inactive_left_out = get_json(client, "/users/paginated", showInactive="false")["Pagination"]["TotalCount"]
    assert inactive_left_out == len(get_json(client, "/users", showInactive="false", limit="1000")) < SEEDED_USERS


def test_paginated_xml_shape_and_parity(client) -> None:
    response = client.get(url("/users/paginated", limit="2"), headers=OWNER)
    root = xml_of(response)
    assert root.tag == "UserCollection"
    assert [child.tag for child in root] == ["Pagination", "Items"]
    assert [child.tag for child in root[0]] == ["BatchParam", "BatchSize", "Start", "TotalCount"]
    ids = [user.findtext("Id") for user in root[1]]
    assert ids == [u["Id"] for u in get_json(client, "/users/paginated", limit="2")["Items"]]
    past_end = xml_of(client.get(url("/users/paginated", start="500"), headers=OWNER))
    assert len(past_end[1]) == 0 and past_end[0].findtext("TotalCount") == str(SEEDED_USERS)


def test_details_are_full_users_created_since(client) -> None:
    everyone = get_json(client, "/users/details", limit="1000")
    assert len(everyone) == SEEDED_USERS and "LoginKey" in everyone[0] and "Culture" in everyone[0]
    recent = get_json(client, "/users/details", since="2024-01-01", limit="1000")
    assert recent and all(u["CreatedDate"] >= "2024-01-01T00:00:00Z" for u in recent)
    assert len(recent) == sum(u["CreatedDate"] >= "2024-01-01T00:00:00Z" for u in everyone) < SEEDED_USERS
    with_minutes = get_json(client, "/users/details", since="2024-01-01%2000:00")
    assert [u["Id"] for u in with_minutes] == [u["Id"] for u in recent]
    assert get_json(client, "/users/details", since="2100-01-01") == []


def test_details_xml_is_users_of_full_user(client) -> None:
    root = xml_of(client.get(url("/users/details", limit="1"), headers=OWNER))
    assert root.tag == "Users" and root[0].tag == "User"
    assert [c.tag for c in root[0]][31:33] == ["Culture", "CustomField4"]


@pytest.mark.parametrize("since", ["yesterday", "2026-02-30", "2026-2-3", "2026-01-01T00:00:00", "2026-13-01",
                                   "2026-01-01%2024:00"])
def test_bad_since_is_406_in_both_formats(client, since: str) -> None:
    for fmt, kind in (("json", "application/json"), ("xml", "application/xml; charset=utf-8")):
        response = client.get(url("/users/details", since=since, format=fmt), headers=OWNER)
        assert detail(response) == (406, MSG_SINCE, MSG_SINCE)
        assert response.headers["content-type"] == kind


def test_leap_day_since_follows_the_calendar(client) -> None:
    assert client.get(url("/users/details", since="2024-02-29"), headers=OWNER).status_code == 200
    assert client.get(url("/users/details", since="2025-02-29"), headers=OWNER).status_code == 406


def test_list_access_levels(client) -> None:
    for path in ("/users/paginated", "/users/details"):  # Account Owners only (x-access-levels in the spec)
        assert client.get(url(path), headers={"apikey": "litmos-demo-key"}).status_code == 200
        assert client.get(url(path), headers={"apikey": "litmos-admin-key"}).status_code == 403
        assert client.get(url(path), headers={"apikey": "litmos-learner-key"}).status_code == 403
        assert client.get(url(path), headers={"apikey": "nope"}).status_code == 401
