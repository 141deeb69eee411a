"""Verification (QA toolkit item 7): count and find journalled requests by pattern, a bounded
journal, credentials redacted in it, and the unmatched requests with their near misses."""

from __future__ import annotations

import json
from typing import Any

import pytest


TITUS = "/titus/api/v1"
LITMOS = "/litmos/v1.svc"
TESLA = "/tesla/api/v2"
ADMIN = {"Authorization": "Bearer titus-admin-token"}
READONLY = {"Authorization": "Bearer titus-readonly-token"}
LITMOS_KEY = {"apikey": "litmos-demo-key"}


@pytest.fixture
def client(all_client: Any) -> Any:
    return all_client


def count(client: Any, pattern: dict[str, Any]) -> int:
    answer = client.post("/__admin/requests/count", json=pattern)
    assert answer.status_code == 200, answer.text
    return answer.json()["count"]


def find(client: Any, pattern: dict[str, Any], limit: int | None = None) -> list[dict[str, Any]]:
    answer = client.post("/__admin/requests/find" + (f"?limit={limit}" if limit else ""), json=pattern)
    assert answer.status_code == 200, answer.text
    return answer.json()["requests"]


def new_user(username: str, **extra: Any) -> dict[str, Any]:
    return {"username": username, "firstname": "Ola", "lastname": "Berg", "email": f"{username}@example.org", **extra}


def litmos_user_xml(username: str) -> bytes:
    return (f"<User><UserName>{username}</UserName><FirstName>Xml</FirstName><LastName>Person</LastName>"
            f"<Email>{username}</Email><AccessLevel>Learner</AccessLevel></User>").encode()


def test_vendor_method_path_and_glob(client) -> None:
    for user_id in (5, 6, 5):
        assert client.get(f"{TITUS}/user/{user_id}", headers=ADMIN).status_code == 200
    assert client.get(f"{LITMOS}/users?source=qa&limit=1", headers=LITMOS_KEY).status_code == 200
    assert count(client, {"vendor": "titus", "method": "GET", "path": "/user/5"}) == 2
    assert count(client, {"vendor": "titus", "method": "POST", "path": "/user/5"}) == 0
    assert count(client, {"vendor": "litmos", "path": "/user/5"}) == 0
    assert count(client, {"vendor": "titus", "path_glob": "/user/*"}) == 3
    assert count(client, {"vendor": "titus", "path_glob": "/**"}) == 3
    assert count(client, {"vendor": "litmos", "path_glob": "/**"}) == 1
    assert count(client, {"vendor": "litmos", "path": "/users"}) == 1
    assert count(client, {"method": ["GET", "DELETE"], "vendor": "titus"}) == 3
    assert count(client, {"path_regex": "^/user/[56]$"}) == 3


def test_body_fields_json_xml_and_dotted(client) -> None:
    assert client.post(f"{TITUS}/user", json=new_user("body.match"), headers=ADMIN).status_code == 201
    assert client.post(f"{TITUS}/user", json=new_user("other.user"), headers=ADMIN).status_code == 201
    assert count(client, {"vendor": "titus", "method": "POST", "path": "/user", "body": {"username": "body.match"}}) == 1
    assert count(client, {"body": {"username": "body.match", "firstname": "Ola"}}) == 1
    assert count(client, {"body": {"username": "body.match", "firstname": "Someone"}}) == 0

    xml = client.post(f"{LITMOS}/users?source=qa", content=litmos_user_xml("xml.match@example.org"),
                      headers={**LITMOS_KEY, "Content-Type": "application/xml"})
    assert xml.status_code == 201, xml.text
    assert count(client, {"vendor": "litmos", "method": "POST", "body": {"UserName": "xml.match@example.org"}}) == 1
    assert count(client, {"vendor": "litmos", "body": {"UserName": "nobody@example.org"}}) == 0
    assert count(client, {"vendor": "litmos", "body_contains": "<UserName>xml.match@"}) == 1

    nested = {"courseid": 1, "userid": 5, "meta": {"source": {"job": "hr-sync"}}}
    client.post(f"{TITUS}/course_enrolment", json=nested, headers=ADMIN)  # refused or not, it is journalled
    assert count(client, {"body": {"meta.source.job": "hr-sync"}}) == 1
    assert count(client, {"body": {"meta.source.job": "other"}}) == 0


def test_query_header_credential_and_status(client) -> None:
    for perpage in ("2", "3"):
        assert client.get(f"{TITUS}/users?perpage={perpage}", headers=ADMIN).status_code == 200
    assert client.get(f"{TITUS}/users", headers={**READONLY, "X-Trace": "job-7"}).status_code == 200
    assert client.get(f"{TITUS}/user/999999", headers=ADMIN).status_code == 404
    assert count(client, {"path": "/users", "query": {"perpage": "2"}}) == 1
    assert count(client, {"path": "/users", "query": {"perpage": "*"}}) == 2
    assert count(client, {"path": "/users", "query": {"perpage": None}}) == 1
    assert count(client, {"headers": {"x-trace": "job-7"}}) == 1
    assert count(client, {"headers": {"X-Trace": "*"}}) == 1
    assert count(client, {"vendor": "titus", "headers": {"x-trace": None}}) == 3
    assert count(client, {"credential": "titus-readonly-token"}) == 1
    assert count(client, {"credential": "titus-admin-token"}) == 3
    assert count(client, {"credential": "not-a-token-anyone-used"}) == 0
    assert count(client, {"vendor": "titus", "status": 404}) == 1
    assert count(client, {"vendor": "titus", "status": 200}) == 3


def test_the_client_created_exactly_one_enrolment(client) -> None:
    # Course 3 and user 6 are seeded, and user 6 is not enrolled in course 3.
    pattern = {"vendor": "titus", "method": "POST", "path": "/course_enrolment", "status": 201}
    enrolment = {"courseid": 3, "userid": 6, "roleid": 5}
    assert count(client, pattern) == 0
    assert client.post(f"{TITUS}/course_enrolment", json=enrolment, headers=ADMIN).status_code == 201
    assert client.post(f"{TITUS}/course_enrolment", json=enrolment, headers=ADMIN).status_code == 200  # upsert
    assert count(client, pattern) == 1
    assert count(client, {**pattern, "body": {"courseid": 3, "userid": 6}}) == 1
    assert count(client, {**pattern, "body": {"courseid": 3, "userid": 7}}) == 0
    assert count(client, {**pattern, "status": 200}) == 1
    answer = client.post("/__admin/requests/count", json=pattern).json()
    assert answer["journal_capacity"] == 1000 and answer["journal_size"] == 2  # client calls only


def test_find_is_newest_first_and_honours_limit(client) -> None:
    for user_id in (5, 6, 7, 8):
        client.get(f"{TITUS}/user/{user_id}", headers=ADMIN)
    found = find(client, {"vendor": "titus", "path_glob": "/user/*"})
    assert [e["vendor_path"] for e in found] == ["/user/8", "/user/7", "/user/6", "/user/5"]
    assert [e["id"] for e in found] == sorted((e["id"] for e in found), reverse=True)
    assert [e["vendor_path"] for e in find(client, {"vendor": "titus", "path_glob": "/user/*"}, limit=2)] == \
        ["/user/8", "/user/7"]
    entry = found[0]
    assert entry["route"] == "/user/{id}" and entry["namespace"] is None
    assert entry["path"] == f"{TITUS}/user/8" and entry["credential_id"].startswith("sha256:")


@pytest.mark.parametrize("pattern", [
    {"colour": "red"},
    {"method": 5},
    {"path_regex": "("},
    {"status": 42},
    {"query": ["a"]},
])
def test_bad_pattern_is_400(client, pattern) -> None:
    for endpoint in ("count", "find"):
        answer = client.post(f"/__admin/requests/{endpoint}", json=pattern)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"] in ("bad_pattern", "bad_request")
        assert answer.headers["x-mock-source"] == "lms-mockserver"


def test_bad_pattern_kind_is_bad_pattern(client) -> None:
    answer = client.post("/__admin/requests/count", json={"path_regex": "(unclosed"})
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_pattern")


def test_journal_is_bounded(make_client) -> None:
    client = make_client(vendor="titus", journal_size=5)
    for user_id in range(5, 13):
        assert client.get(f"/api/v1/user/{user_id}", headers=ADMIN).status_code == 200
    answer = client.post("/__admin/requests/count", json={"vendor": "titus"}).json()
    assert answer == {"count": 5, "journal_size": 5, "journal_capacity": 5}
    # Client calls only: the admin calls (this count) sit in their own ring.
    kept = [e["vendor_path"] or e["path"] for e in client.get("/__admin/requests").json()["requests"]]
    assert kept == ["/user/12", "/user/11", "/user/10", "/user/9", "/user/8"]


def test_credentials_are_redacted_but_still_matchable(client) -> None:
    client.post(f"{TITUS}/user", json=new_user("red.act", password="Sup3r-Secret!"), headers=ADMIN)
    client.post(f"{TITUS}/user", json={"token": "body-token-value", "username": "x"}, headers=ADMIN)
    client.get(f"{LITMOS}/users?source=qa&limit=1", headers=LITMOS_KEY)
    client.get(f"{LITMOS}/users?source=qa&limit=1&apikey=litmos-demo-key")
    client.post(f"{TESLA}/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    client.post(f"{TESLA}/auth/approle", json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    journal = client.get("/__admin/requests?limit=100").json()["requests"]
    text = json.dumps(journal)
    for secret in ("Sup3r-Secret!", "body-token-value", "litmos-demo-key", "tesla-admin", "tesla-mock-secret",
                   "titus-admin-token"):
        assert secret not in text, secret

    bodies = {e["vendor_path"]: e["request_body"] for e in journal if e["method"] == "POST" and e["vendor"] == "tesla"}
    assert json.loads(bodies["/api/v2/auth/login"])["password"] == "***"
    assert json.loads(bodies["/api/v2/auth/login"])["email"] == "inst-admin@tesla.example"
    assert json.loads(bodies["/api/v2/auth/approle"])["secret_id"] == "***"
    assert json.loads(bodies["/api/v2/auth/approle"])["role_id"] == "tesla-mock-role"
    titus_bodies = [json.loads(e["request_body"]) for e in journal if e["vendor"] == "titus"]
    assert {"password": "***"}.items() <= next(b for b in titus_bodies if b.get("username") == "red.act").items()
    assert next(b for b in titus_bodies if b.get("username") == "x")["token"] == "***"
    litmos = [e for e in journal if e["vendor"] == "litmos"]
    header_entry = next(e for e in litmos if "apikey" not in e["query"])
    assert header_entry["request_headers"]["apikey"] == "***"
    query_entry = next(e for e in litmos if "apikey" in e["query"])
    assert "apikey=***" in query_entry["query"] or "apikey=%2A%2A%2A" in query_entry["query"]
    titus_entry = next(e for e in journal if e["vendor"] == "titus")
    assert titus_entry["request_headers"]["authorization"] == "***"

    # Matching by credential still works on the redacted journal, for header and query keys alike.
    assert count(client, {"vendor": "litmos", "credential": "litmos-demo-key"}) == 2
    assert count(client, {"vendor": "titus", "credential": "titus-admin-token"}) == 2
    assert count(client, {"vendor": "titus", "credential": "titus-readonly-token"}) == 0


def test_unmatched_requests_with_near_misses(client) -> None:
    assert client.get(f"{TITUS}/user/5", headers=ADMIN).status_code == 200
    typo = client.get(f"{TITUS}/usres/5", headers=ADMIN)
    assert typo.status_code == 404
    outside = client.get("/nowhere/at/all")
    assert outside.status_code == 404
    wrong_method = client.patch(f"{TITUS}/user/5", json={}, headers=ADMIN)
    assert wrong_method.status_code == 405
    unmatched = client.get("/__admin/requests/unmatched").json()["requests"]
    by_path = {(e["method"], e["path"]): e for e in unmatched}
    assert set(by_path) == {("GET", f"{TITUS}/usres/5"), ("GET", "/nowhere/at/all"), ("PATCH", f"{TITUS}/user/5")}
    # Newest first.
    assert [e["path"] for e in unmatched] == [f"{TITUS}/user/5", "/nowhere/at/all", f"{TITUS}/usres/5"]
    near = by_path[("GET", f"{TITUS}/usres/5")]["near_misses"]
    assert (near[0]["method"], near[0]["path"]) == ("GET", "/user/{id}")
    assert all(0 <= n["score"] <= 1 for n in near)
    assert [n["score"] for n in near] == sorted((n["score"] for n in near), reverse=True)
    assert by_path[("GET", "/nowhere/at/all")]["near_misses"]  # guessed across every mount
    wrong = by_path[("PATCH", f"{TITUS}/user/5")]["near_misses"]
    assert wrong[0]["path"] == "/user/{id}" and wrong[0]["method"] in ("GET", "PUT", "DELETE")
    # Matched requests (and admin calls) never appear.
    assert all(e["route"] is None for e in unmatched)


def test_litmos_xml_and_json_passwords_are_redacted(client) -> None:
    xml = (b"<User><UserName>pw.x@example.org</UserName><FirstName>A</FirstName><LastName>B</LastName>"
           b"<Email>pw.x@example.org</Email><Password>XmlSecret9</Password></User>")
    assert client.post(f"{LITMOS}/users?source=qa", content=xml,
                       headers={**LITMOS_KEY, "Content-Type": "application/xml"}).status_code == 201
    found = find(client, {"vendor": "litmos", "body": {"UserName": "pw.x@example.org"}})
    assert len(found) == 1
    assert "<Password>***</Password>" in found[0]["request_body"] and "XmlSecret9" not in found[0]["request_body"]


def test_tesla_jwt_is_a_credential_to_match(client) -> None:
    def token_of(credentials: dict[str, str]) -> str:
        return client.post(f"{TESLA}/auth/login", json=credentials).json()["token"]["access_token"]

    admin = token_of({"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    member = token_of({"email": "member@tesla.example", "password": "tesla-member"})
    for token in (admin, admin, member):
        client.get(f"{TESLA}/institution/1/", headers={"Authorization": f"JWT {token}"})
    assert count(client, {"vendor": "tesla", "credential": admin}) == 2
    assert count(client, {"vendor": "tesla", "credential": member}) == 1
    assert admin not in json.dumps(client.get("/__admin/requests?vendor=tesla").json())


def test_credentials_in_admin_bodies_are_redacted(client) -> None:
    count(client, {"credential": "titus-admin-token"})
    client.put("/__admin/ratelimits", json={"vendor": "litmos", "credential": "litmos-demo-key", "used": 1})
    journal = json.dumps(client.get("/__admin/requests?vendor=admin").json())
    assert "titus-admin-token" not in journal and "litmos-demo-key" not in journal


def test_near_misses_for_a_wrong_base_path_name_the_full_route(client) -> None:
    """Outside every mount the route is compared with full paths, so the answer says which API."""
    client.get("/titus/api/v2/user/5", headers=ADMIN)
    client.get("/litmos/v1/users?source=qa", headers=LITMOS_KEY)
    client.get("/ns/near/titus/api/v2/user/5", headers=ADMIN)
    by_path = {e["path"]: e["near_misses"] for e in client.get("/__admin/requests/unmatched").json()["requests"]}
    assert by_path["/titus/api/v2/user/5"][0]["path"] == f"{TITUS}/user/{{id}}"
    assert by_path["/litmos/v1/users"][0]["path"] == f"{LITMOS}/users"
    in_namespace = client.get("/__admin/requests/unmatched?namespace=near").json()["requests"]
    assert [(e["path"], e["near_misses"][0]["path"]) for e in in_namespace] == \
        [("/ns/near/titus/api/v2/user/5", f"{TITUS}/user/{{id}}")]


def test_a_day_of_health_checks_leaves_the_client_counts_exact(client) -> None:
    """Docker asks every 30 s by default; a tighter health check (every 5 s) for a day is 17,280
    calls. A fraction of that here: health checks are journalled nowhere, so the count of client
    calls is exact and the journal holds only them."""
    client.delete("/__admin/requests")
    client.get(f"{TITUS}/user/5", headers=ADMIN)
    for _ in range(1500):  # more than the journal's 1,000 entries
        client.get("/__admin/health")
    assert count(client, {"vendor": "titus", "method": "GET"}) == 1
    listed = client.get("/__admin/requests").json()
    assert listed["total"] == 1 and [e["vendor"] for e in listed["requests"]] == ["titus"]


def test_admin_calls_sit_in_a_small_ring_of_their_own(client) -> None:
    client.delete("/__admin/requests")
    client.get(f"{TITUS}/user/5", headers=ADMIN)
    for _ in range(3):
        client.get("/__admin/clock")
    plain = client.get("/__admin/requests").json()
    assert [e["vendor"] for e in plain["requests"]] == ["titus"]
    both = client.get("/__admin/requests?include=admin").json()["requests"]
    # Newest first across both journals: the plain listing, three clock reads, the client's
    # call, the clearing call (each admin call is recorded once it has answered).
    assert [e["vendor"] for e in both] == ["admin"] * 4 + ["titus", "admin"]
    ids = [e["id"] for e in both]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    admin_only = client.get("/__admin/requests?vendor=admin&limit=1000").json()
    assert {e["vendor"] for e in admin_only["requests"]} == {"admin"}
    assert count(client, {"vendor": "admin", "path": "/__admin/clock"}) == 3
    for _ in range(150):
        client.get("/__admin/clock")
    assert client.get("/__admin/requests?vendor=admin&limit=1000").json()["total"] == 100
    assert client.get("/__admin/requests?include=admin&limit=5").json()["total"] == 101


def test_include_takes_only_admin(client) -> None:
    answer = client.get("/__admin/requests?include=everything")
    assert answer.status_code == 400
