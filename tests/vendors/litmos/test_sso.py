"""Single sign-on: one-time LoginKey URLs and the login page they open (docs/litmos.md)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from litmos_support import OWNER, get_json, url, user_id, xml_of

from mockserver.config import Settings

LOGIN_KEY = re.compile(r"^http://testserver/v1\.svc/login\.aspx\?loginkey=([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                       r"[89ab][0-9a-f]{3}-[0-9a-f]{12})$")
SOFIA = "sofia.alvarez@harbourline.example"


@pytest.fixture
def client(litmos_client):
    return litmos_client


def login_key(client, who: str = SOFIA, fmt: str = "json") -> str:
    if fmt == "json":
        return get_json(client, f"/users/{who}")["LoginKey"]
    return xml_of(client.get(url(f"/users/{who}"), headers=OWNER)).findtext("LoginKey")


def open_link(client, link: str, **extra: str):
    parts = urlsplit(link)
    query = parts.query + "".join(f"&{k}={v}" for k, v in extra.items())
    return client.get(f"{parts.path}?{query}", follow_redirects=False)


def is_expired_page(response) -> bool:
    return (response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
            and "<title>Login link expired</title>" in response.text and "location" not in response.headers)


def test_every_read_gives_a_fresh_key_url_in_both_formats(client) -> None:
    keys = [login_key(client, fmt=fmt) for fmt in ("json", "xml", "json")]
    assert all(LOGIN_KEY.match(k) for k in keys) and len(set(keys)) == 3
    raw = client.get(url(f"/users/{SOFIA}", format="json"), headers=OWNER).content
    assert b'"LoginKey":"http:\\/\\/testserver\\/v1.svc\\/login.aspx?loginkey=' in raw


def test_first_use_signs_in_and_redirects_to_the_dashboard(client) -> None:
    before = get_json(client, f"/users/{SOFIA}")["LastLogin"]
    answer = open_link(client, login_key(client))
    assert answer.status_code == 302 and answer.headers["location"] == "http://testserver/home/dashboard"
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    after = get_json(client, f"/users/{SOFIA}")["LastLogin"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", after) and after > before


def test_a_key_works_once(client) -> None:
    link = login_key(client, fmt="xml")
    assert open_link(client, link).status_code == 302
    again = open_link(client, link)
    assert is_expired_page(again)


def test_a_newer_read_replaces_the_key(client) -> None:
    first = login_key(client)
    second = login_key(client)
    assert is_expired_page(open_link(client, first))
    assert open_link(client, second).status_code == 302


def test_unknown_missing_and_foreign_keys_answer_expired(client) -> None:
    before = get_json(client, f"/users/{SOFIA}")["LastLogin"]
    assert is_expired_page(client.get("/v1.svc/login.aspx?loginkey=00000000-0000-4000-8000-000000000000"))
    assert is_expired_page(client.get("/v1.svc/login.aspx"))
    assert is_expired_page(client.get("/v1.svc/login.aspx?loginkey=litmos-demo-key"))
    assert get_json(client, f"/users/{SOFIA}")["LastLogin"] == before


def test_course_deep_link_lands_in_the_course(client) -> None:
    course = next(c for c in get_json(client, "/courses") if c["Code"] == "FS101")
    answer = open_link(client, login_key(client), c=str(course["OriginalId"]))
    assert answer.status_code == 302
    assert answer.headers["location"] == f"http://testserver/course/{course['OriginalId']}"
    inactive = next(c for c in get_json(client, "/courses") if not c["Active"])
    for c in (str(inactive["OriginalId"]), "999", "x"):
        landing = open_link(client, login_key(client), c=c)
        assert landing.headers["location"] == "http://testserver/home/dashboard"


def test_keys_of_deactivated_or_deleted_users_expire(client) -> None:
    sofia = user_id(client, SOFIA)
    link = login_key(client)
    assert client.put(url(f"/users/{sofia}"), headers=OWNER, json={"Id": sofia, "Active": False}).status_code == 200
    assert is_expired_page(open_link(client, link))
    grace = "grace.kim@harbourline.example"
    other = login_key(client, grace)
    assert client.delete(url(f"/users/{user_id(client, grace)}"), headers=OWNER).status_code == 200
    assert is_expired_page(open_link(client, other))


def test_keys_repeat_from_the_seed(make_client) -> None:
    runs = []
    for _ in range(2):
        fresh = make_client(vendor="litmos")
        runs.append([login_key(fresh) for _ in range(3)])
    assert runs[0] == runs[1]
    other = make_client(vendor="litmos", seed=Settings().seed + 1)
    assert login_key(other) != runs[0][0]


def test_all_vendors_mount_serves_the_page_under_litmos(make_client) -> None:
    shared = make_client(vendor="all")
    link = shared.get(f"/litmos/v1.svc/users/{SOFIA}?source=t&format=json", headers=OWNER).json()["LoginKey"]
    assert link.startswith("http://testserver/litmos/v1.svc/login.aspx?loginkey=")
    answer = open_link(shared, link)
    assert answer.status_code == 302 and answer.headers["location"] == "http://testserver/litmos/home/dashboard"


def test_the_login_page_is_no_api_call(make_client) -> None:
    """No key, no source, and no count against the key that read the user."""
    limited = make_client(vendor="litmos", litmos_rate_limit="1/60s")
    link = limited.get(url(f"/users/{SOFIA}", format="json"), headers=OWNER).json()["LoginKey"]
    assert open_link(limited, link).status_code == 302
    for _ in range(3):
        assert is_expired_page(open_link(limited, link))
    assert limited.get(url(f"/users/{SOFIA}"), headers=OWNER).status_code == 503
