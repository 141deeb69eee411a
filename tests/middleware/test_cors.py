"""CORS on every vendor: preflights answered by the CORS layer, access-control headers on actual
answers, the `--cors` modes, and what a preflight never does (rate limit, verification counts)."""

from __future__ import annotations

import httpx
import pytest

from mockserver.config import Settings, from_environ
from mockserver.core.cors import Cors, CorsPolicy, CorsSetting, CorsSettingError
from server_support import thread_server

ORIGIN = "http://localhost:3000"
ACCESS = ("access-control-allow-origin", "access-control-allow-headers", "access-control-allow-methods",
          "access-control-max-age", "access-control-allow-credentials", "access-control-expose-headers")
TESLA_ALLOW_HEADERS = "vleid, VLEID, Authorization, Content-Type"
TESLA_ALLOW_METHODS = "DELETE, GET, OPTIONS, PATCH, POST, PUT"
TESLA_USERS = "/tesla/api/v2/institution/1/user/"
TITUS_USERS = "/titus/api/v1/users"
LITMOS_USERS = "/litmos/v1.svc/users?source=test"


def preflight_headers(method: str = "POST", origin: str | None = ORIGIN,
                      request_headers: str | None = "authorization, content-type") -> dict[str, str]:
    """What a browser sends before a cross-origin call with an Authorization header."""
    headers = {"Access-Control-Request-Method": method}
    if origin is not None:
        headers["Origin"] = origin
    if request_headers is not None:
        headers["Access-Control-Request-Headers"] = request_headers
    return headers


def access_headers(response: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name.startswith("access-control-")}


# -- preflights, vendor by vendor -------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    TESLA_USERS,
    "/tesla/api/v2/institution/1/user",  # no slash: answered before Django's 301
    "/tesla/lapi/v1/verification/1/6f1e0c52-0000-4000-8000-000000000016/",  # the LAPI (not served yet)
    "/tesla/api/v2/nothing/here/",
    "/tesla",  # the bare mount root
])
def test_tesla_preflight_is_django_cors_headers(all_client, path: str) -> None:
    response = all_client.options(path, headers=preflight_headers(), follow_redirects=False)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-length"] == "0"
    assert response.headers["vary"] == "origin"
    assert access_headers(response) == {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": TESLA_ALLOW_HEADERS,
        "access-control-allow-methods": TESLA_ALLOW_METHODS,
        "access-control-max-age": "86400",
    }
    assert "allow" not in response.headers and "location" not in response.headers


def test_tesla_preflight_comes_before_authentication(all_client) -> None:
    """A bad token on a preflight changes nothing: the CORS middleware answers before DRF."""
    headers = {**preflight_headers("DELETE"), "Authorization": "JWT not-a-token"}
    response = all_client.options(f"{TESLA_USERS}5/", headers=headers)
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["access-control-allow-origin"] == "*"


def test_tesla_preflight_without_origin_is_still_answered(all_client) -> None:
    """django-cors-headers keys the short-circuit on Access-Control-Request-Method alone."""
    response = all_client.options(TESLA_USERS, headers=preflight_headers(origin=None))
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["vary"] == "origin"
    assert access_headers(response) == {}


def test_titus_preflight(all_client) -> None:
    response = all_client.options(TITUS_USERS, headers=preflight_headers("PUT"))
    assert (response.status_code, response.content) == (200, b"")
    assert "content-type" not in response.headers and "vary" not in response.headers
    assert access_headers(response) == {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "authorization, content-type",  # what the browser asked for
        "access-control-allow-methods": "POST, GET, OPTIONS",  # the REST transport's, whatever the route
    }
    unknown = all_client.options("/titus/api/v1/no/such/route", headers=preflight_headers("GET"))
    assert unknown.status_code == 200 and unknown.headers["access-control-allow-methods"] == "POST, GET, OPTIONS"


def test_litmos_preflight_allows_the_route_methods(all_client) -> None:
    response = all_client.options(LITMOS_USERS, headers=preflight_headers("POST", request_headers="apikey"))
    assert (response.status_code, response.content) == (200, b"")
    assert access_headers(response) == {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "apikey",
        "access-control-allow-methods": "GET, POST",
    }
    # An unknown path allows the method asked for, so the real answer (Litmos's 404) reaches the page.
    unknown = all_client.options("/litmos/v1.svc/nothing?source=test", headers=preflight_headers("DELETE"))
    assert unknown.status_code == 200 and unknown.headers["access-control-allow-methods"] == "DELETE"
    # Headers that are not a list of HTTP tokens are not echoed.
    junk = all_client.options(LITMOS_USERS, headers=preflight_headers(request_headers="a b, (c)"))
    assert "access-control-allow-headers" not in junk.headers


@pytest.mark.parametrize(("path", "allow"), [(TITUS_USERS, "GET, PUT"), (LITMOS_USERS, "GET, POST")])
def test_without_origin_titus_and_litmos_see_a_plain_options(all_client, path: str, allow: str) -> None:
    """A request without Origin is no CORS request there: the vendor's own 405 with Allow."""
    response = all_client.options(path, headers=preflight_headers(origin=None))
    assert response.status_code == 405 and response.headers["allow"] == allow


@pytest.mark.parametrize("vendor_path", [
    TESLA_USERS, "/titus/api/v1/users", "/litmos/v1.svc/users?source=test"])
def test_namespaced_preflight_behaves_the_same(all_client, vendor_path: str) -> None:
    plain = all_client.options(vendor_path, headers=preflight_headers())
    namespaced = all_client.options(f"/ns/cors-job{vendor_path}", headers=preflight_headers())
    assert namespaced.status_code == plain.status_code == 200
    assert access_headers(namespaced) == access_headers(plain) != {}
    assert namespaced.headers.get("vary") == plain.headers.get("vary")


# -- actual requests ----------------------------------------------------------------------------------

def test_tesla_actual_answers_vary_on_origin_and_allow_any_origin(all_client) -> None:
    token = all_client.post("/tesla/api/v2/auth/login", json={"email": "manager@tesla.example",
                                                              "password": "tesla-admin"}).json()["token"]["access_token"]
    ok = all_client.get(TESLA_USERS, headers={"Origin": ORIGIN, "Authorization": f"JWT {token}"})
    forbidden = all_client.get(TESLA_USERS, headers={"Origin": ORIGIN})
    unauthorized = all_client.get(TESLA_USERS, headers={"Origin": ORIGIN, "Authorization": "JWT bad"})
    for response, status in ((ok, 200), (forbidden, 403), (unauthorized, 401)):
        assert response.status_code == status
        assert response.headers["vary"] == "origin"
        assert access_headers(response) == {"access-control-allow-origin": "*"}, status
    without_origin = all_client.get(TESLA_USERS, headers={"Authorization": f"JWT {token}"})
    assert without_origin.headers["vary"] == "origin" and access_headers(without_origin) == {}
    moved = all_client.get("/tesla/api/v2/institution/1/user", headers={"Origin": ORIGIN}, follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["access-control-allow-origin"] == "*"


def test_titus_allows_any_origin_on_every_answer(all_client) -> None:
    for headers in ({}, {"Origin": ORIGIN}):
        refused = all_client.get("/titus/api/v1/user/5", headers=headers)
        assert refused.status_code == 401 and access_headers(refused) == {"access-control-allow-origin": "*"}
        assert "vary" not in refused.headers
    ok = all_client.get("/titus/api/v1/user/5", headers={"Authorization": "Bearer titus-admin-token"})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "*"


def test_litmos_allows_any_origin_when_asked(all_client) -> None:
    with_origin = all_client.get(LITMOS_USERS, headers={"apikey": "litmos-demo-key", "Origin": ORIGIN})
    assert with_origin.status_code == 200 and access_headers(with_origin) == {"access-control-allow-origin": "*"}
    without = all_client.get(LITMOS_USERS, headers={"apikey": "litmos-demo-key"})
    assert without.status_code == 200 and access_headers(without) == {}


def test_admin_api_has_no_cors(all_client) -> None:
    """The control plane is the mock's own, called by tests and tools, not by a vendor's browser page."""
    response = all_client.options("/__admin/health", headers=preflight_headers("GET"))
    assert response.status_code == 405 and access_headers(response) == {}
    assert access_headers(all_client.get("/__admin/health", headers={"Origin": ORIGIN})) == {}


# -- the --cors modes --------------------------------------------------------------------------------

def test_cors_off_leaves_every_vendor_as_without_a_cors_layer(make_client) -> None:
    client = make_client(cors="off")
    tesla = client.options(TESLA_USERS, headers=preflight_headers())
    # no CORS middleware: DRF answers the OPTIONS itself, after its permission check
    assert tesla.status_code == 403 and "vary" not in tesla.headers and access_headers(tesla) == {}
    titus = client.options(TITUS_USERS, headers=preflight_headers())
    assert titus.status_code == 405 and access_headers(titus) == {}
    actual = client.get("/titus/api/v1/user/5", headers={"Origin": ORIGIN})
    assert actual.status_code == 401 and access_headers(actual) == {}


def test_cors_origins_answer_only_the_listed_ones(make_client) -> None:
    client = make_client(cors=f"{ORIGIN}, https://App.Example:443/")
    listed = client.options(TESLA_USERS, headers=preflight_headers())
    assert listed.status_code == 200 and listed.headers["access-control-allow-origin"] == ORIGIN
    assert listed.headers["access-control-allow-methods"] == TESLA_ALLOW_METHODS
    normalised = client.get(TESLA_USERS, headers={"Origin": "https://app.example"})
    assert normalised.headers["access-control-allow-origin"] == "https://app.example"
    other = client.options(TESLA_USERS, headers=preflight_headers(origin="http://evil.example"))
    assert (other.status_code, other.headers["vary"], access_headers(other)) == (200, "origin", {})
    titus = client.get("/titus/api/v1/user/5", headers={"Origin": ORIGIN})
    assert titus.headers["access-control-allow-origin"] == ORIGIN and titus.headers["vary"] == "Origin"
    titus_without = client.get("/titus/api/v1/user/5")
    assert access_headers(titus_without) == {} and titus_without.headers["vary"] == "Origin"
    litmos_other = client.options(LITMOS_USERS, headers=preflight_headers(origin="http://evil.example"))
    assert litmos_other.status_code == 200 and access_headers(litmos_other) == {}


@pytest.mark.parametrize("value", ["*", "", " , ", "localhost:3000", "ftp://files.example", "http://a.example/path",
                                   "http://user@a.example", "http://[::1", "vendor,http://a.example"])
def test_bad_cors_values_are_refused_with_what_to_write(value: str) -> None:
    with pytest.raises(CorsSettingError, match="--cors"):
        CorsSetting.parse(value)
    with pytest.raises(ValueError):
        Settings(cors=value)


def test_cors_setting_reads_modes_origins_and_the_environment() -> None:
    assert CorsSetting.parse(" OFF ") == CorsSetting("off")
    assert CorsSetting.parse("vendor").mode == "vendor"
    parsed = CorsSetting.parse("HTTP://LocalHost:80, https://[::1]:8443, null")
    assert parsed.origins == frozenset({"http://localhost", "https://[::1]:8443", "null"})
    assert from_environ({"MOCKSERVER_CORS": "off"}).cors_setting.mode == "off"
    assert Settings().cors_setting.mode == "vendor"


def test_cli_refuses_a_bad_cors_value(capsys) -> None:
    from mockserver.cli import main

    assert main(["check", "--cors", "*"]) == 2
    assert "--cors" in capsys.readouterr().err


def test_vary_is_added_to_the_tokens_already_there() -> None:
    cors = Cors(CorsPolicy(vary_always=True, vary_token="origin"), CorsSetting())
    merged = cors.response_headers("GET", {}, [("vary", "Accept")], lambda: None)
    assert merged == [("vary", "Accept, origin")]
    kept = cors.response_headers("GET", {}, [("vary", "Accept, Origin")], lambda: None)
    assert kept == [("vary", "Accept, Origin")]
    # an Origin urlsplit refuses gets nothing, as in django-cors-headers
    assert cors.response_headers("GET", {"origin": "http://[::1"}, [], lambda: None) == [("vary", "origin")]


# -- what a preflight never does ------------------------------------------------------------------------

def test_preflights_never_count_against_the_litmos_rate_limit(make_client) -> None:
    client = make_client(vendor="litmos", litmos_rate_limit="2/60s")
    for _ in range(5):
        answer = client.options("/v1.svc/users?source=test", headers={**preflight_headers("GET"),
                                                                        "apikey": "litmos-demo-key"})
        assert answer.status_code == 200
    assert client.get("/__admin/ratelimits").json()["vendors"]["litmos"]["credentials"] == {}
    statuses = [client.get("/v1.svc/users?source=test", headers={"apikey": "litmos-demo-key"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 503]
    # Without the CORS layer too: the OPTIONS is Litmos's 405, refused before the key is counted.
    off = make_client(vendor="litmos", litmos_rate_limit="2/60s", cors="off")
    for _ in range(3):
        answer = off.options("/v1.svc/users?source=test", headers={**preflight_headers("GET"), "apikey": "litmos-demo-key"})
        assert answer.status_code == 405
    assert off.get("/__admin/ratelimits").json()["vendors"]["litmos"]["credentials"] == {}


def test_verification_leaves_preflights_out_unless_asked(all_client) -> None:
    all_client.options(TESLA_USERS, headers=preflight_headers())
    all_client.options("/titus/api/v1/nowhere", headers=preflight_headers())
    all_client.get(TESLA_USERS)
    count = all_client.post("/__admin/requests/count", json={"vendor": "tesla"}).json()["count"]
    assert count == 1
    asked = {"vendor": "tesla", "include_preflight": True}
    assert all_client.post("/__admin/requests/count", json=asked).json()["count"] == 2
    found = all_client.post("/__admin/requests/find", json={"method": "OPTIONS", "include_preflight": True}).json()
    assert [(e["vendor"], e["preflight"], e["route"]) for e in found["requests"]] == [
        ("titus", True, None), ("tesla", True, None)]
    assert all_client.post("/__admin/requests/find", json={"method": "OPTIONS"}).json()["requests"] == []
    # a preflight reached no operation, but it is no client's miss either
    assert [e["method"] for e in all_client.get("/__admin/requests/unmatched").json()["requests"]] == []
    # the journal itself keeps them, marked
    journal = all_client.get("/__admin/requests", params={"method": "OPTIONS"}).json()["requests"]
    assert [e["preflight"] for e in journal] == [True, True]


def test_include_preflight_must_be_a_boolean_and_is_refused_in_fault_rules(all_client) -> None:
    bad = all_client.post("/__admin/requests/count", json={"include_preflight": "yes"})
    assert bad.status_code == 400 and "include_preflight" in bad.json()["message"]
    rule = all_client.post("/__admin/faults", json={"match": {"include_preflight": True},
                                                    "action": {"type": "status", "status": 500}})
    assert rule.status_code == 400 and "include_preflight" in rule.json()["message"]
    assert all_client.get("/__admin/faults").json()["faults"] == []


def test_faults_and_forced_statuses_leave_preflights_alone(all_client) -> None:
    rule = all_client.post("/__admin/faults", json={"match": {"vendor": "tesla"}, "times": 1,
                                                    "action": {"type": "status", "status": 500}}).json()
    preflight = all_client.options(TESLA_USERS, headers={**preflight_headers(), "X-Mock-Status": "503"})
    assert (preflight.status_code, preflight.content) == (200, b"")
    assert all_client.get(f"/__admin/faults/{rule['id']}").json()["remaining"] == 1  # not spent on it
    actual = all_client.get(TESLA_USERS, headers={"Origin": ORIGIN})
    assert actual.status_code == 500 and actual.headers["access-control-allow-origin"] == "*"


# -- a real server, a browser-like preflight ------------------------------------------------------------

def test_a_browser_preflight_against_a_real_server() -> None:
    browser = {
        "Origin": "http://127.0.0.1:4200", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type", "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Site": "same-site", "Sec-Fetch-Dest": "empty", "Accept": "*/*",
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    }
    with thread_server() as base:  # the default CORS setting
        lapi = httpx.options(f"{base}/tesla/lapi/v1/enrolment/1/6f1e0c52-0000-4000-8000-000000000016/",
                             headers=browser)
        assert (lapi.status_code, lapi.content) == (200, b"")
        assert lapi.headers["content-type"] == "text/html; charset=utf-8" and lapi.headers["content-length"] == "0"
        assert lapi.headers["access-control-allow-origin"] == "*"
        assert lapi.headers["access-control-allow-methods"] == TESLA_ALLOW_METHODS
        # The browser then checks: POST is allowed, and so is every header it asked for.
        allowed = {h.strip().lower() for h in lapi.headers["access-control-allow-headers"].split(",")}
        assert {"authorization", "content-type"} <= allowed
        titus = httpx.options(f"{base}/titus/api/v1/user", headers=browser)
        assert titus.status_code == 200 and "POST" in titus.headers["access-control-allow-methods"]
        counted = httpx.post(f"{base}/__admin/requests/count", json={}).json()["count"]
        assert counted == 0
