"""TeSLA CE institution slice: auth answers, permissions, DRF paging and errors, routing quirks."""

from __future__ import annotations

import copy

import pytest

from tesla_course_support import NO_PERMISSION, NOT_FOUND, login
from tesla_support import NEXT_USER_ID, SEED, learner_ids, user_ids, users_of

INSTITUTIONS = "/api/v2/institution/"
USERS = "/api/v2/institution/1/user/"
# The permission matrix's callers (their passwords: tesla_course_support.login).
CALLERS = ("admin@tesla.example", "inst-admin@tesla.example", "data-admin@tesla.example", "member@tesla.example",
           "cit-admin@tesla.example")
NEW_USER = {
    "username": "new.person", "uid": "nou-9001", "password": "pa55word", "password2": "pa55word",
    "first_name": "New", "last_name": "Person", "email": "new.person@nou.example", "login_allowed": True,
}


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def answer(response) -> tuple[int, object]:
    return response.status_code, response.json()


# -- authentication ------------------------------------------------------------------------------

def test_authorization_header_answers(client) -> None:
    token = login(client, "inst-admin@tesla.example")["Authorization"].split()[1]
    path = "/api/v2/institution/1/"
    assert answer(client.get(path)) == (403, NO_PERMISSION)
    assert "www-authenticate" not in client.get(path).headers
    cases = [
        ("JWT", "Invalid token header. No credentials provided."),
        (f"JWT {token} extra", "Invalid token header. Token string should not contain spaces."),
        ("JWT not.a.token", "Invalid token: Invalid JWT token"),
        (f"JWT {token[:-8]}AAAAAAA=", "Invalid token: Invalid JWT token"),
    ]
    for header, detail in cases:
        response = client.get(path, headers={"Authorization": header})
        assert answer(response) == (401, {"detail": detail}), header
        assert response.headers["www-authenticate"] == "JWT"
    for word in ("JWT", "Bearer", "Anything"):  # the first word is never checked
        assert client.get(path, headers={"Authorization": f"{word} {token}"}).status_code == 200


def test_login_and_approle_failures(client) -> None:
    bad = client.post("/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "wrong"})
    assert answer(bad) == (401, "Invalid credentials") and "www-authenticate" not in bad.headers
    # A seeded user without a usable password, and one who may not log in.
    assert answer(client.post("/api/v2/auth/login", json={"email": "nora.bosch@nou.example", "password": "x"}))[0] == 401
    assert answer(client.post("/api/v2/auth/login", json={})) == (
        400, {"email": ["This field is required."], "password": ["This field is required."]})
    assert answer(client.post("/api/v2/auth/login", json={"email": "not-an-email", "password": "x"})) == (
        400, {"email": ["Enter a valid email address."]})
    wrong_secret = client.post("/api/v2/auth/approle", json={"role_id": "tesla-mock-role", "secret_id": "nope"})
    assert answer(wrong_secret) == (401, "Invalid credentials")
    for path in ("/api/v2/auth/login", "/api/v2/auth/approle", "/api/v2/auth/token/refresh"):
        response = client.get(path)
        assert answer(response) == (405, "Method not allowed") and response.headers["allow"] == "POST, OPTIONS"
    put = client.put("/api/v2/auth/login", json={})
    assert answer(put) == (405, {"detail": 'Method "PUT" not allowed.'})


def test_a_deleted_user_token_is_an_invalid_user(client) -> None:
    data_admin = login(client, "data-admin@tesla.example")
    member = login(client, "member@tesla.example")
    assert client.delete(f"{USERS}5/", headers=data_admin).status_code == 204
    assert answer(client.get(USERS, headers=member)) == (401, {"detail": "Invalid user."})


# -- permissions ---------------------------------------------------------------------------------

def test_permission_matrix(client) -> None:
    who = {email.split("@")[0]: login(client, email) for email in CALLERS}
    who["anonymous"] = {}
    rows = [
        # institution: only a global admin lists; members read their own; admins write their own
        ("admin", "GET", INSTITUTIONS, 200), ("inst-admin", "GET", INSTITUTIONS, 403),
        ("member", "GET", INSTITUTIONS, 403), ("anonymous", "GET", INSTITUTIONS, 403),
        ("admin", "GET", "/api/v2/institution/2/", 200), ("admin", "PATCH", "/api/v2/institution/1/", 403),
        ("admin", "GET", "/api/v2/institution/99/", 404), ("admin", "GET", "/api/v2/institution/abc/", 404),
        ("inst-admin", "PATCH", "/api/v2/institution/1/", 200), ("inst-admin", "PUT", "/api/v2/institution/1/", 200),
        ("inst-admin", "GET", "/api/v2/institution/2/", 403), ("inst-admin", "GET", "/api/v2/institution/99/", 403),
        ("inst-admin", "GET", "/api/v2/institution/01/", 403),  # membership is the literal path segment
        ("member", "GET", "/api/v2/institution/1/", 200), ("member", "PATCH", "/api/v2/institution/1/", 403),
        ("data-admin", "PATCH", "/api/v2/institution/1/", 403),
        # users: global admin read-only, IA all but DELETE, DATA everything, members read-only
        ("admin", "GET", USERS, 200), ("admin", "GET", "/api/v2/institution/99/user/", 200),
        ("admin", "GET", "/api/v2/institution/abc/user/", 404), ("admin", "POST", USERS, 403),
        ("inst-admin", "GET", f"{USERS}10/", 200), ("inst-admin", "PATCH", f"{USERS}10/", 200),
        ("inst-admin", "DELETE", f"{USERS}10/", 403), ("inst-admin", "GET", "/api/v2/institution/2/user/", 403),
        ("member", "GET", f"{USERS}10/", 404), ("member", "GET", f"{USERS}5/", 200),
        ("member", "PATCH", f"{USERS}5/", 403), ("member", "DELETE", f"{USERS}5/", 403),
        ("cit-admin", "GET", f"{USERS}10/", 403), ("data-admin", "GET", "/api/v2/institution/1/user/abc/", 404),
        ("data-admin", "DELETE", f"{USERS}10/", 204), ("data-admin", "GET", f"{USERS}10/", 404),
    ]
    for name, method, path, expected in rows:
        body = {} if method in ("PUT", "PATCH") else None
        response = client.request(method, path, headers=who[name], json=body)
        assert response.status_code == expected, (name, method, path, response.text)
        if expected == 403:
            assert response.json() == NO_PERMISSION
        if expected == 404:
            assert response.json() == NOT_FOUND


def test_members_without_admin_flags_see_only_themselves(client) -> None:
    member = client.get(USERS, headers=login(client, "member@tesla.example")).json()
    assert (member["count"], [u["id"] for u in member["results"]]) == (1, [5])
    admin = client.get(USERS, headers=login(client, "inst-admin@tesla.example")).json()
    assert admin["count"] == len(user_ids(1)) and len(admin["results"]) == 10


def test_legal_admin_reads_all_users_but_writes_nothing(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    legal = {**NEW_USER, "username": "legal", "email": "legal@nou.example", "uid": "nou-legal", "legal_admin": True}
    assert client.post(USERS, json=legal, headers=ia).status_code == 201
    headers = login(client, "legal@nou.example", "pa55word")
    assert client.get(USERS, headers=headers).json()["count"] == len(user_ids(1)) + 1
    assert client.patch(f"{USERS}10/", json={}, headers=headers).status_code == 403


def test_nobody_deletes_themselves(client) -> None:
    response = client.delete(f"{USERS}3/", headers=login(client, "data-admin@tesla.example"))
    assert answer(response) == (403, {"detail": "Cannot delete yourself"})


# -- paging, filters, ordering -------------------------------------------------------------------

def test_paging_links_are_absolute_sorted_and_drop_offset_at_zero(client) -> None:
    ga = {**login(client, "admin@tesla.example"), "Host": "127.0.0.1:8080"}
    first = client.get(f"{INSTITUTIONS}?limit=1", headers=ga).json()
    assert list(first) == ["count", "next", "previous", "results"]
    assert (first["count"], first["previous"]) == (3, None)
    assert first["next"] == "http://127.0.0.1:8080/api/v2/institution/?limit=1&offset=1"
    second = client.get(f"{INSTITUTIONS}?search=o&offset=1&limit=1", headers=ga).json()
    assert second["previous"] == "http://127.0.0.1:8080/api/v2/institution/?limit=1&search=o"
    assert second["next"] == "http://127.0.0.1:8080/api/v2/institution/?limit=1&offset=2&search=o"
    past = client.get(f"{INSTITUTIONS}?offset=10&limit=5", headers=ga).json()
    assert (past["results"], past["next"]) == ([], None)
    assert past["previous"] == "http://127.0.0.1:8080/api/v2/institution/?limit=5&offset=5"
    users = client.get(f"{USERS}?ordering=-id,nope&limit=2&offset=3", headers=ga).json()
    assert users["previous"] == "http://127.0.0.1:8080/api/v2/institution/1/user/?limit=2&offset=1&ordering=-id%2Cnope"
    assert [u["id"] for u in users["results"]] == sorted(user_ids(1), reverse=True)[3:5]


def test_bad_paging_values_fall_back_to_defaults(client) -> None:
    ga = login(client, "admin@tesla.example")
    for query in ("limit=0", "limit=abc", "limit=-3", "offset=-1", "offset=x", ""):
        page = client.get(f"{USERS}?{query}", headers=ga).json()
        assert [u["id"] for u in page["results"]] == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12], query
        assert page["previous"] is None
    assert len(client.get(f"{USERS}?limit=1000", headers=ga).json()["results"]) == len(user_ids(1))  # no maximum


def test_filters_search_and_ordering(client) -> None:
    ga = login(client, "admin@tesla.example")

    def ids(query: str) -> list[int]:
        response = client.get(f"{USERS}?limit=1000&{query}", headers=ga)
        assert response.status_code == 200, response.text
        return [u["id"] for u in response.json()["results"]]

    assert ids("roles=ADMIN") == [2, 4]
    assert ids("roles=DATA&roles=ADMIN") == [2, 3, 4]
    assert ids("roles=LEARNER")[:27] == [9, 10, 12, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 27, 28, 30, 31, 32, 33, 34,
                                         35, 36, 38, 39, 40, 41, 42]  # the hand-written learners come first
    assert ids("roles=LEARNER") == learner_ids(1)
    assert ids("username=ADMIN") == [2, 3]  # icontains
    assert ids("search=nou.example, marta") == [7]  # every term, in any searched field
    by_last_name = sorted(users_of(1), key=lambda u: u["last_name"], reverse=True)  # stable: ties by id
    assert ids("ordering=-last_name")[:3] == [u["id"] for u in by_last_name[:3]]
    assert ids("ordering=nope,-password") == ids("")  # unknown fields are ignored
    institutions = client.get(f"{INSTITUTIONS}?acronym=CIT", headers=ga).json()["results"]
    assert [i["id"] for i in institutions] == [2]
    assert answer(client.get(f"{USERS}?roles=FOO", headers=ga)) == (
        400, {"roles": ["Select a valid choice. FOO is not one of the available choices."]})
    assert answer(client.get(f"{USERS}?username=a%00b", headers=ga)) == (
        400, {"username": ["Null characters are not allowed."]})


# -- bodies, field errors, uniqueness ------------------------------------------------------------

def test_create_read_update_delete_a_user(client) -> None:
    headers = login(client, "data-admin@tesla.example")
    created = client.post(USERS, json={**NEW_USER, "first_name": "  New  ", "is_staff": True}, headers=headers)
    assert created.status_code == 201
    user = created.json()
    assert list(user) == ["id", "username", "last_login", "first_name", "last_name", "uid", "email", "login_allowed",
                          "inst_admin", "legal_admin", "send_admin", "data_admin", "locale", "created_at", "updated_at"]
    assert (user["id"], user["first_name"], user["last_login"], user["locale"]) == (NEXT_USER_ID, "New", None, None)
    assert user["created_at"].endswith("Z") and "password" not in user
    assert client.get(f"{USERS}{NEXT_USER_ID}/", headers=headers).json() == user
    assert client.post("/api/v2/auth/login", json={"email": NEW_USER["email"], "password": "pa55word"}).status_code == 200

    patched = client.patch(f"{USERS}{NEXT_USER_ID}/", json={"locale": "ca", "uid": "nou-9002"}, headers=headers).json()
    assert (patched["locale"], patched["uid"], patched["first_name"]) == ("ca", "nou-9002", "New")
    put = client.put(f"{USERS}{NEXT_USER_ID}/", json={"username": "renamed", "uid": "nou-9002"}, headers=headers)
    assert put.status_code == 200 and put.json()["username"] == "renamed" and put.json()["email"] == NEW_USER["email"]
    # Turning login off makes the password unusable.
    client.patch(f"{USERS}{NEXT_USER_ID}/", json={"login_allowed": False}, headers=headers)
    assert client.post("/api/v2/auth/login", json={"email": NEW_USER["email"], "password": "pa55word"}).status_code == 401

    deleted = client.delete(f"{USERS}{NEXT_USER_ID}/", headers=headers)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert answer(client.get(f"{USERS}{NEXT_USER_ID}/", headers=headers)) == (404, NOT_FOUND)


def test_field_errors_use_drf_texts_in_field_order(client) -> None:
    headers = login(client, "inst-admin@tesla.example")
    assert answer(client.post(USERS, json={}, headers=headers)) == (400, {
        "username": ["This field is required."], "password": ["This field is required."],
        "first_name": ["This field is required."], "last_name": ["This field is required."],
        "uid": ["This field is required."], "email": ["This field is required."],
    })
    body = {"username": "   ", "password": "x", "first_name": None, "last_name": "a\x00b", "uid": 5,
            "email": "no", "login_allowed": "true", "locale": "x" * 11}
    assert answer(client.post(USERS, json=body, headers=headers)) == (400, {
        "username": ["This field may not be blank."],
        "first_name": ["This field may not be null."],
        "last_name": ["Null characters are not allowed."],
        "uid": ["Not a valid string."],
        "email": ["Enter a valid email address."],
        "login_allowed": ["Must be a valid boolean."],
        "locale": ["Ensure this field has no more than 10 characters."],
    })
    patch = client.patch("/api/v2/institution/1/", json={"external_ic": "yes", "mail_domain": "x" * 256}, headers=headers)
    assert answer(patch) == (400, {"external_ic": ["Must be a valid boolean."],
                                   "mail_domain": ["Ensure this field has no more than 255 characters."]})
    surrogate = client.post(USERS, content=b'{"username": "\\ud800"}', headers={**headers, "Content-Type": "application/json"})
    assert surrogate.json()["username"] == ["Surrogate characters are not allowed: U+D800."]


def test_malformed_bodies(client) -> None:
    headers = {**login(client, "inst-admin@tesla.example"), "Content-Type": "application/json"}
    assert answer(client.post(USERS, content=b'{"a":', headers=headers)) == (
        400, {"detail": "JSON parse error - Expecting value: line 1 column 6 (char 5)"})
    assert answer(client.post(USERS, content=b"[1]", headers=headers)) == (
        400, {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]})
    assert answer(client.post(USERS, content=b"null", headers=headers)) == (400, {"non_field_errors": ["No data provided"]})
    deep = client.post(USERS, content=b"[" * 100_000 + b"]" * 100_000, headers=headers)
    assert answer(deep) == (400, {"detail": "JSON parse error - maximum recursion depth exceeded while decoding "
                                            "a JSON array from a unicode string"})
    form = client.post(USERS, content=b"a=1", headers={**headers, "Content-Type": "text/plain"})
    assert answer(form) == (415, {"detail": 'Unsupported media type "text/plain" in request.'})


def test_uniqueness_is_400_and_changes_nothing(client) -> None:
    headers = login(client, "inst-admin@tesla.example")
    assert client.post(USERS, json=NEW_USER, headers=headers).status_code == 201
    count = client.get(USERS, headers=headers).json()["count"]
    again = client.post(USERS, json={**NEW_USER, "uid": "other"}, headers=headers)
    assert answer(again) == (400, {"username": ["This field must be unique."], "email": ["This field must be unique."]})
    same_uid = client.post(USERS, json={**NEW_USER, "username": "u2", "email": "u2@nou.example"}, headers=headers)
    assert answer(same_uid) == (400, {"non_field_errors": ["The fields institution_id, uid must make a unique set."]})
    mismatch = {**NEW_USER, "username": "u3", "email": "u3@nou.example", "uid": "u3", "password2": "different"}
    assert answer(client.post(USERS, json=mismatch, headers=headers)) == (400, {"non_field_errors": ["Passwords does not match"]})
    taken = client.patch(f"{USERS}10/", json={"email": "member@tesla.example"}, headers=headers)
    assert answer(taken) == (400, {"email": ["This field must be unique."]})
    assert client.get(USERS, headers=headers).json()["count"] == count
    # The same uid in another institution is fine.
    cit = {**NEW_USER, "username": "cit.new", "email": "new@cit.example"}
    assert client.post("/api/v2/institution/2/user/", json=cit, headers=login(client, "cit-admin@tesla.example")).status_code == 201


def test_institution_update_ignores_read_only_fields(client) -> None:
    headers = login(client, "inst-admin@tesla.example")
    before = client.get("/api/v2/institution/1/", headers=headers).json()
    assert before["created_at"] == "2024-09-02T08:00:00Z"
    body = {"acronym": "ZZZ", "name": "Renamed", "external_ic": True, "mail_domain": " mail.nou.example "}
    after = client.put("/api/v2/institution/1/", json=body, headers=headers).json()
    assert (after["acronym"], after["name"]) == ("NOU", "Northwind Open University")
    assert (after["external_ic"], after["mail_domain"]) == (True, "mail.nou.example")
    assert after["updated_at"] > before["updated_at"] and after["created_at"] == before["created_at"]


# -- routing -------------------------------------------------------------------------------------

def test_routing_quirks(client) -> None:
    headers = login(client, "inst-admin@tesla.example")
    moved = client.post("/api/v2/institution/1/user?limit=2", json={}, headers=headers, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"], moved.content) == (301, "/api/v2/institution/1/user/?limit=2", b"")
    for path in ("/api/v2/unknown/", "/api/v2/auth/login/", "/api/v2/institution/1.5/", "/api/v2/institution/1/course/1/unknown/"):
        response = client.get(path, headers=headers, follow_redirects=False)
        assert response.status_code == 404 and response.headers["content-type"] == "text/html; charset=utf-8", path
        assert "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>" in response.text
    assert answer(client.get(f"{USERS}abc/", headers=headers)) == (404, NOT_FOUND)
    wrong = client.delete("/api/v2/institution/1/", headers=headers)
    # DRF's Allow: the view's methods in its order, HEAD with GET, then OPTIONS
    assert answer(wrong) == (405, {"detail": 'Method "DELETE" not allowed.'})
    assert wrong.headers["allow"] == "GET, PUT, PATCH, HEAD, OPTIONS"
    # The permission check comes first: a member, or no header at all, gets 403 instead.
    assert client.delete("/api/v2/institution/1/", headers=login(client, "member@tesla.example")).status_code == 403
    assert answer(client.delete("/api/v2/institution/1/")) == (403, NO_PERMISSION)


def test_served_under_tesla_when_sharing_a_port(make_client) -> None:
    client = make_client(vendor="all")
    token = client.post("/tesla/api/v2/auth/login", json={"email": "admin@tesla.example", "password": "tesla-admin"})
    headers = {"Authorization": f"JWT {token.json()['token']['access_token']}"}
    page = client.get("/tesla/api/v2/institution/?limit=2", headers=headers).json()
    assert page["next"] == "http://testserver/tesla/api/v2/institution/?limit=2&offset=2"
    moved = client.get("/tesla/api/v2/institution", headers=headers, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, "/tesla/api/v2/institution/")


# -- state ---------------------------------------------------------------------------------------

def test_reset_restores_the_seed_and_its_ids(client) -> None:
    headers = login(client, "data-admin@tesla.example")
    first = client.post(USERS, json=NEW_USER, headers=headers).json()["id"]
    client.delete(f"{USERS}10/", headers=headers)
    assert client.post("/__admin/reset").status_code == 200
    headers = login(client, "data-admin@tesla.example")
    assert client.get(f"{USERS}10/", headers=headers).status_code == 200
    assert client.post(USERS, json=NEW_USER, headers=headers).json()["id"] == first == NEXT_USER_ID


def test_quirks_reproduce_the_upstream_crashes(make_client) -> None:
    without_password = {key: value for key, value in NEW_USER.items() if key not in ("password", "password2")}
    clean = make_client(vendor="tesla")
    response = clean.post(USERS, json=without_password, headers=login(clean, "inst-admin@tesla.example"))
    assert answer(response) == (400, {"password": ["This field is required."]})

    quirky = make_client(vendor="tesla", quirks=True)
    headers = login(quirky, "inst-admin@tesla.example")
    crash = quirky.post(USERS, json=without_password, headers=headers)
    assert (crash.status_code, crash.headers["content-type"], crash.text) == (
        500, "text/html; charset=utf-8", "Error processing the request.")
    for token in ("not.a.token", "caf\u00e9", "e30=.e30=.AAAA"):  # non-JSON, non-ASCII, no `ver`
        header = {"Authorization": f"JWT {token}".encode("latin-1")}
        assert quirky.get(USERS, headers=header).status_code == 500, token
        assert clean.get(USERS, headers=header).status_code == 401, token
    assert quirky.get(USERS, headers={"Authorization": "JWT a.b"}).status_code == 401  # caught upstream too
    deep = b"[" * 100_000 + b"]" * 100_000
    assert quirky.post(USERS, content=deep, headers={**headers, "Content-Type": "application/json"}).status_code == 500
    email = quirky.get(f"{USERS}10/", headers=headers).json()["email"]
    assert quirky.patch(f"{USERS}10/", json={"email": None}, headers=headers).status_code == 500
    assert quirky.get(USERS, headers=headers).json()["count"] == len(user_ids(1))  # nothing was stored
    assert quirky.get(f"{USERS}10/", headers=headers).json()["email"] == email


def test_fixtures_are_checked_at_startup(tmp_path) -> None:
    import orjson

    from mockserver.app import create_app
    from mockserver.config import Settings
    from mockserver.core.fixtures import FixtureError

    seed = copy.deepcopy(SEED)
    # As JSON, which YAML includes: the fixture loader reads it at once (the grown seed is large).
    seed["users"][3]["institution"] = 99
    (tmp_path / "tesla.yaml").write_bytes(orjson.dumps(seed))
    with pytest.raises(FixtureError, match=r"users\[3\]: field 'institution': refers to 99"):
        create_app(Settings(vendor="tesla", fixtures=tmp_path))
    seed["users"][3]["institution"] = 1
    seed["users"][3]["email"] = "not an email"
    (tmp_path / "tesla.yaml").write_bytes(orjson.dumps(seed))
    with pytest.raises(FixtureError, match=r"users\[3\] \(id 4\): field 'email'"):
        create_app(Settings(vendor="tesla", fixtures=tmp_path))
