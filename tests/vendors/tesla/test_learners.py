"""TeSLA CE learners: one id space with users, the §2.2 permissions, the IC flow, enrolments."""

from __future__ import annotations

import pytest

from tesla_course_support import NO_PERMISSION, NOT_FOUND, ids, login
from tesla_support import learner_ids

LEARNERS = "/api/v2/institution/1/learner/"
NEW = {"uid": "nou-l-01", "email": "joan.vila@nou.example", "first_name": "Joan", "last_name": "Vila"}
LIST_KEYS = ["id", "institution", "username", "consent", "consent_accepted", "consent_rejected", "learner_id",
             "last_login", "send", "email", "ic_status", "login_allowed", "first_name", "last_name", "locale",
             "created_at", "updated_at", "uid", "inst_admin", "legal_admin", "send_admin", "data_admin", "joined_at"]


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def test_list_shape_filters_search_and_paging(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    page = client.get(f"{LEARNERS}?limit=3", headers=ia).json()
    assert (page["count"], page["next"]) == (len(learner_ids(1)),
                                             "http://testserver/api/v2/institution/1/learner/?limit=3&offset=3")
    first = page["results"][0]
    assert list(first) == LIST_KEYS
    assert first["institution"]["acronym"] == "NOU"
    assert ids(client, f"{LEARNERS}?uid=nou-1010", ia) == [16]
    assert ids(client, f"{LEARNERS}?id=16", ia) == [16]
    assert ids(client, f"{LEARNERS}?id=16%0A", ia) == [16]  # the form field strips its text first
    assert ids(client, f"{LEARNERS}?id=%0A&limit=2", ia) == learner_ids(1)[:2]  # blank: no filter
    assert ids(client, f"{LEARNERS}?search=nou-101%20pau", ia) == [17]  # paula.mas, uid nou-1011
    assert ids(client, f"{LEARNERS}?ordering=-id&limit=2", ia) == learner_ids(1)[::-1][:2]
    bad = client.get(f"{LEARNERS}?id=abc", headers=ia)
    assert (bad.status_code, bad.json()) == (400, {"id": ["Enter a number."]})
    assert ids(client, "/api/v2/institution/1/user/?roles=LEARNER&limit=50", ia)[:3] == [9, 10, 12]
    assert ids(client, "/api/v2/institution/2/learner/?limit=1", login(client, "cit-admin@tesla.example")) == [44]


def test_detail_consent_send_and_ic_status(client) -> None:
    ia = login(client, "inst-admin@tesla.example")

    def learner(uid: int) -> dict:
        response = client.get(f"{LEARNERS}{uid}/", headers=ia)
        assert response.status_code == 200, response.text
        return response.json()

    detail = learner(16)
    assert "enrolment_status" in detail and list(detail).index("enrolment_status") == LIST_KEYS.index("login_allowed") + 1
    assert (detail["consent"], detail["ic_status"]) == ({"version": "1.1.0", "status": "VALID_NEED_UPDATE"}, "VALID_NEED_UPDATE")
    assert learner(9)["ic_status"] == "VALID"
    assert learner(12)["consent"] == {"version": "1.0.0", "status": "NOT_VALID"}
    assert learner(15)["ic_status"] == "NOT_VALID_REJECTED"
    assert learner(17)["ic_status"] == "NOT_VALID_MISSING"
    assert learner(10)["send"] == {"is_send": True, "send": {"enabled_options": ["big_fonts", "high_contrast",
                                                                                  "text_to_speech"],
                                                             "disabled_instruments": [1]}}
    # learner 15: the Dyslexia assignment runs to 2030; the hand mobility one expired in 2025
    assert learner(15)["send"] == {"is_send": True, "send": {"enabled_options": ["text_to_speech"],
                                                             "disabled_instruments": [2]}}
    assert learner(17)["send"] == {"is_send": False, "send": {"enabled_options": [], "disabled_instruments": []}}
    cit = client.get("/api/v2/institution/2/learner/44/", headers=login(client, "cit-admin@tesla.example")).json()
    assert cit["ic_status"] == "VALID_EXTERNAL"


@pytest.mark.parametrize(("email", "get", "post"), [
    ("admin@tesla.example", 200, 403),
    ("inst-admin@tesla.example", 200, 400),  # allowed: the empty body is then refused
    ("data-admin@tesla.example", 200, 403),
    ("aina.roca@nou.example", 200, 403),
    ("arnau.costa@nou.example", 403, 403),
    ("marta.vidal@nou.example", 403, 403),
    ("member@tesla.example", 403, 403),
    ("cit-admin@tesla.example", 403, 403),
    ("oriol.pons@nou.example", 403, 403),  # a learner may not list learners
])
def test_permission_matrix(client, email: str, get: int, post: int) -> None:
    headers = login(client, email)
    assert client.get(LEARNERS, headers=headers).status_code == get
    assert client.get(f"{LEARNERS}9/", headers=headers).status_code == get
    assert client.post(LEARNERS, json={}, headers=headers).status_code == post
    assert client.get(LEARNERS).json() == NO_PERMISSION  # no header


def test_a_learner_reads_only_its_own_routes(client) -> None:
    me = login(client, "oriol.pons@nou.example")
    assert client.get(f"{LEARNERS}16/", headers=me).status_code == 200
    assert client.get(f"{LEARNERS}17/", headers=me).json() == NO_PERMISSION
    assert client.patch(f"{LEARNERS}16/", json={"email": "x@nou.example"}, headers=me).status_code == 403
    assert client.delete(f"{LEARNERS}16/", headers=me).status_code == 403
    assert ids(client, "/api/v2/institution/1/user/", me) == [16]  # members see only themselves


def test_create_read_update_delete_one_person(client) -> None:
    ia, da = login(client, "inst-admin@tesla.example"), login(client, "data-admin@tesla.example")
    created = client.post(LEARNERS, json={**NEW, "email": " joan.vila@nou.example", "uid": " nou-l-01 "}, headers=ia)
    assert created.status_code == 400  # values are checked as sent (the email pattern has no spaces)
    created = client.post(LEARNERS, json={**NEW, "uid": " nou-l-01 "}, headers=ia)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["username"], body["uid"], body["login_allowed"], body["consent"], body["ic_status"]) == (
        "joan.vila@nou.example", "nou-l-01", False, None, "NOT_VALID_MISSING")
    assert len(body["learner_id"]) == 36 and body["joined_at"] == body["created_at"]
    new_id = body["id"]
    assert client.get(f"/api/v2/institution/1/user/{new_id}/", headers=ia).json()["email"] == NEW["email"]
    patched = client.patch(f"{LEARNERS}{new_id}/", json={"email": "joan.vila2@nou.example", "locale": "ca"}, headers=ia)
    assert patched.status_code == 200 and patched.json()["username"] == "joan.vila2@nou.example"
    put = client.put(f"{LEARNERS}{new_id}/", json={"email": "joan.vila2@nou.example", "uid": "nou-l-02"}, headers=ia)
    assert (put.status_code, put.json()["uid"], put.json()["locale"]) == (200, "nou-l-02", "ca")
    assert client.delete(f"{LEARNERS}{new_id}/", headers=da).status_code == 403  # data admins only read learners
    assert client.delete(f"{LEARNERS}{new_id}/", headers=ia).status_code == 204
    assert client.get(f"/api/v2/institution/1/user/{new_id}/", headers=ia).json() == NOT_FOUND


def test_delete_removes_the_person_everywhere(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    manager = client.post("/api/v2/auth/login", json={"email": "manager@tesla.example", "password": "tesla-admin"})
    mh = {"Authorization": f"JWT {manager.json()['token']['access_token']}"}
    assert client.get(f"{LEARNERS}10/send/", headers=ia).json()["count"] == 1
    response = client.delete(f"{LEARNERS}10/", headers=mh)
    assert (response.status_code, response.content) == (204, b"")
    for path in (f"{LEARNERS}10/", "/api/v2/institution/1/user/10/"):
        assert client.get(path, headers=ia).json() == NOT_FOUND
    assert client.get(f"{LEARNERS}10/send/", headers=ia).json()["count"] == 0
    assert 10 not in [row["id"] for row in client.get("/api/v2/institution/1/course/1/learner/?limit=50",
                                                      headers=ia).json().get("results", [])]
    # through /user/ as well: learner 9 goes from /learner/ too, with its instrument enrolments
    def enrolled() -> set[int]:
        state = client.get("/__admin/state/tesla").json()
        return {row["learner"] for row in state["tables"]["enrolments"]["rows"]}

    assert 9 in enrolled()
    assert client.delete("/api/v2/institution/1/user/9/", headers=login(client, "data-admin@tesla.example")).status_code == 204
    assert client.get(f"{LEARNERS}9/", headers=ia).json() == NOT_FOUND
    assert 9 not in enrolled()


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"email": ["This field is required."], "uid": ["This field is required."]}),
    ({**NEW, "email": "marc.soler@nou.example"}, {"email": ["This field must be unique."]}),
    ({**NEW, "email": "joan@elsewhere.example"}, {"email": ["Provided email does not belong to institution domain"]}),
    ({**NEW, "email": "nope"}, {"email": ["Enter a valid email address."]}),
    ({**NEW, "first_name": "x" * 151}, {"first_name": ["Ensure this field has no more than 150 characters."]}),
    ({**NEW, "uid": "nou-1010"}, {"non_field_errors": ["The fields institution_id, uid must make a unique set."]}),
    # the email is also the username, a 150-character column (the real server's database refuses it)
    ({**NEW, "email": "x" * 140 + "@nou.example"}, {"email": ["Ensure this field has no more than 150 characters."]}),
])
def test_create_errors_change_nothing(client, body: dict, errors: dict) -> None:
    ia = login(client, "inst-admin@tesla.example")
    response = client.post(LEARNERS, json=body, headers=ia)
    assert (response.status_code, response.json()) == (400, errors)
    assert client.get(LEARNERS, headers=ia).json()["count"] == len(learner_ids(1))


def test_lookups_and_patch_without_email(client, make_client) -> None:
    ga, ia = login(client, "admin@tesla.example"), login(client, "inst-admin@tesla.example")
    assert ids(client, "/api/v2/institution/99/learner/", ga) == []
    for missing in ("7", "999", "abc", "44"):  # an instructor, no one, not a number, another institution
        assert client.get(f"{LEARNERS}{missing}/", headers=ia).json() == NOT_FOUND, missing
    response = client.patch(f"{LEARNERS}16/", json={"locale": "es"}, headers=ia)
    assert (response.status_code, response.json()) == (400, {"email": ["This field is required."]})
    quirky = make_client(vendor="tesla", quirks=True)
    crash = quirky.patch(f"{LEARNERS}16/", json={"locale": "es"}, headers=login(quirky, "inst-admin@tesla.example"))
    assert (crash.status_code, crash.text) == (500, "Error processing the request.")


def test_ic_accept_and_reject_flow(client) -> None:
    me, ia = login(client, "oriol.pons@nou.example"), login(client, "inst-admin@tesla.example")
    ic = f"{LEARNERS}16/ic/"
    denied = client.post(ic, json={"version": "1.1.2"}, headers=ia)
    assert (denied.status_code, denied.json()) == (403, {"detail": "Only learner can manage his/her IC"})
    assert client.post(f"{LEARNERS}17/ic/", json={"version": "1.1.2"}, headers=me).status_code == 403
    missing = client.post(ic, json={}, headers=me)
    assert (missing.status_code, missing.json()) == (400, {"version": ["This field is required."]})
    unknown = client.post(ic, json={"version": "9.9.9"}, headers=me)
    assert (unknown.status_code, unknown.json()) == (404, "Informed Consent not found")
    older = client.post(ic, json={"version": "1.0.0"}, headers=me)
    assert (older.status_code, older.json()) == (400, "Cannot downgrade consent")
    same = client.post(ic, json={"version": "01.1.0"}, headers=me)
    assert (same.status_code, same.json()) == (400, "Cannot downgrade consent")
    accepted = client.post(ic, json={"version": "1.1.2"}, headers=me)
    assert accepted.status_code == 200
    body = accepted.json()
    assert (body["consent"], body["ic_status"], body["consent_rejected"]) == (
        {"version": "1.1.2", "status": "VALID"}, "VALID", None)
    assert "enrolment_status" in body
    rejected = client.delete(ic, headers=me)
    assert rejected.status_code == 200
    assert (rejected.json()["ic_status"], rejected.json()["consent"]["version"]) == ("NOT_VALID_REJECTED", "1.1.2")
    again = client.post(ic, json={"version": "1.0.0"}, headers=me)  # after a rejection any version will do
    assert (again.status_code, again.json()["consent"]["version"]) == (200, "1.0.0")
    nobody = login(client, "paula.mas@nou.example")
    nothing = client.delete(f"{LEARNERS}17/ic/", headers=nobody)
    assert (nothing.status_code, nothing.json()) == (404, "No Informed Consent to reject")


def test_enrolment_summaries(client, make_client) -> None:
    member, da = login(client, "member@tesla.example"), login(client, "data-admin@tesla.example")
    summaries = client.get(f"{LEARNERS}16/enrolment/", headers=member)
    assert summaries.status_code == 200
    assert [(s["instrument_id"], s["percentage__min"], s["percentage__max"], s["pending_contributions"])
            for s in summaries.json()] == [(1, 1.0, 1.0, 0), (2, 0.25, 0.6, 2)]
    # Activity 1 watches with face recognition; keystroke dynamics is its SEND alternative, used
    # only by learners whose SEND switches face recognition off (learner 10), as upstream.
    need = client.get(f"{LEARNERS}9/enrolment/?activity_id=1", headers=member).json()
    assert (need["missing_enrolments"], sorted(need["instruments"]), need["learner_id"]) == (True, ["1"], 9)
    alternative = client.get(f"{LEARNERS}10/enrolment/?activity_id=1", headers=member).json()
    assert alternative["instruments"] == {"2": {"instrument_id": 2, "percentage__min": 0, "percentage__max": 0,
                                                "can_analyse__min": False, "can_analyse__max": False, "pending": [],
                                                "pending_contributions": 0}}
    disabled = client.get(f"{LEARNERS}9/enrolment/?activity_id=3", headers=member).json()
    assert (disabled["missing_enrolments"], disabled["instruments"]) == (False, {})  # activity 3 is not enabled
    bad = client.get(f"{LEARNERS}9/enrolment/?activity_id=x", headers=member)
    assert (bad.status_code, bad.json()) == (400, {"activity_id": ["A valid integer is required."]})
    huge = client.get(f"{LEARNERS}9/enrolment/?activity_id={2**64}", headers=member)
    assert huge.json() == {"activity_id": ["Ensure this value is less than or equal to 9223372036854775807."]}
    assert client.get(f"{LEARNERS}999/enrolment/", headers=member).json() == NOT_FOUND
    assert client.delete(f"{LEARNERS}17/enrolment/", headers=member).status_code == 403
    assert client.delete(f"{LEARNERS}17/enrolment/", headers=da).json() == []  # 0 % and nothing pending: unused
    assert client.delete(f"{LEARNERS}16/enrolment/", headers=da).json() == summaries.json()
    quirky = make_client(vendor="tesla", quirks=True)
    assert quirky.get(f"{LEARNERS}999/enrolment/", headers=login(quirky, "member@tesla.example")).status_code == 500
