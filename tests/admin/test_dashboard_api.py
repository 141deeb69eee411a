"""What the dashboard stands on: the landing page at `/`, the page and its files at
`/__admin/ui/`, the admin API's Swagger UI at `/__admin/docs/`, and `/__admin/data`."""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.fixture
def client(all_client: Any) -> Any:
    return all_client


def test_the_landing_page_links_the_dashboard_each_api_and_its_swagger_ui(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    links = re.findall(r'href="([^"]+)"', page.text)
    assert links[0] == "/__admin/ui/"
    for expected in ("/titus/api/v1/ui/", "/litmos/v1.svc/ui/", "/tesla/ui/", "/__admin/docs/", "/__admin/metrics"):
        assert expected in links, links
    for link in links:
        assert client.get(link).status_code == 200, link
    for base in ("<code>/titus/api/v1</code>", "<code>/litmos/v1.svc</code>", "<code>/tesla</code>"):
        assert base in page.text
    assert client.head("/").status_code == 200 and client.post("/").status_code == 404


def test_a_vendor_served_alone_at_its_root_keeps_its_own_links(make_client: Any) -> None:
    titus = make_client(vendor="titus")
    links = re.findall(r'href="([^"]+)"', titus.get("/").text)
    assert "/api/v1/ui/" in links and all(titus.get(link).status_code == 200 for link in links)


def test_the_dashboard_is_served_with_a_strict_policy(client: Any) -> None:
    page = client.get("/__admin/ui/")
    assert page.status_code == 200 and '<script src="app.js">' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for asset, kind in (("app.js", "text/javascript"), ("style.css", "text/css")):
        answer = client.get(f"/__admin/ui/{asset}")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(kind)
    assert client.get("/__admin/ui/secrets.txt").status_code in (400, 404)
    assert "http://" not in client.get("/__admin/ui/app.js").text  # nothing fetched from elsewhere
    assert client.get("/__admin/docs/").status_code == 200  # the admin API's Swagger UI, moved here


def test_tables_pages_and_search(client: Any) -> None:
    overview = client.get("/__admin/data").json()
    assert overview["vendors"]["titus"]["users"] > 10 and "users" in overview["vendors"]["litmos"]
    page = client.get("/__admin/data/titus/users?limit=5&offset=0").json()
    assert len(page["rows"]) == 5 and page["total"] == overview["vendors"]["titus"]["users"]
    assert page["rows"][0]["id"] < page["rows"][1]["id"] and "username" in page["columns"]
    found = client.get("/__admin/data/titus/users?q=PRIYA").json()
    assert found["total"] >= 1 and all("priya" in str(row).lower() for row in found["rows"])
    assert client.get("/__admin/data/titus/users?q=no-such-person-anywhere").json()["total"] == 0


def test_a_record_with_what_it_refers_to_and_what_refers_to_it(client: Any) -> None:
    user = client.get("/__admin/data/titus/users/5").json()
    assert user["label"] == user["row"]["username"]
    assert {group["table"] for group in user["referred_by"]} >= {"enrolments"}
    enrolment_id = next(g for g in user["referred_by"] if g["table"] == "enrolments")["rows"][0]["id"]
    enrolment = client.get(f"/__admin/data/titus/enrolments/{enrolment_id}").json()
    to_user = next(ref for ref in enrolment["refers_to"] if ref["column"] == "userid")
    assert to_user == {"column": "userid", "table": "users", "value": 5, "id": 5, "label": user["label"]}
    litmos_user = client.get("/__admin/data/litmos/users?limit=1").json()["rows"][0]
    record = client.get(f"/__admin/data/litmos/users/{litmos_user['id']}").json()
    assert record["row"]["Id"] == litmos_user["Id"]


def test_secrets_stay_masked_and_unknowns_are_404(client: Any) -> None:
    keys = client.get("/__admin/data/litmos/api_keys?limit=50").json()["rows"]
    assert keys and all(row["Key"] == "***" for row in keys)
    # A secret is not searched either: its value would show through the count.
    assert client.get("/__admin/data/litmos/api_keys?q=litmos-demo-key").json()["total"] == 0
    for path in ("/__admin/data/nobody/users", "/__admin/data/titus/nothing", "/__admin/data/titus/users/999999",
                 "/__admin/data/titus/users/abc"):
        assert client.get(path).status_code == 404, path


def test_data_follows_the_namespace(client: Any) -> None:
    client.post("/__admin/reset?namespaces=drop")
    created = client.post("/ns/dash-1/titus/api/v1/user", headers={"Authorization": "Bearer titus-admin-token"},
                          json={"username": "dash.only", "firstname": "D", "lastname": "O",
                                "email": "dash.only@example.org"})
    assert created.status_code == 201
    assert client.get("/__admin/data/titus/users?q=dash.only&namespace=dash-1").json()["total"] == 1
    assert client.get("/__admin/data/titus/users?q=dash.only").json()["total"] == 0
