"""TeSLA's VLE API session actions: `assessment/` (§2.5) and `launcher/` (§2.6), and the session files."""

from __future__ import annotations

import pytest

from tesla_course_support import NO_PERMISSION, login
from tesla_support import SEED
from tesla_session_support import (ASSESSMENT, FINAL, LAUNCHER, MIDTERM, NOT_FOUND_PAGE, UIDS, advance, bearer, claims,
                               freeze, learner_uuid, media_key, module_headers)

VLE_OF_COURSE = {course["id"]: course["vle"] for course in SEED["courses"]}
VLE2_ONLY = next({"vle_activity_type": a["vle_activity_type"], "vle_activity_id": a["vle_activity_id"]}
                 for a in SEED["activities"] if VLE_OF_COURSE[a["course"]] == 2
                 and not any((b["vle_activity_type"], b["vle_activity_id"]) == (a["vle_activity_type"], a["vle_activity_id"])
                             for b in SEED["activities"] if VLE_OF_COURSE[b["course"]] == 1))
BACK = "http://127.0.0.1:8081/moodle/mod/quiz/view.php?id=17"  # where Moodle sends a learner who rejects
SESSION_KEYS = ["id", "data", "started_at", "checked_at", "closed_at", "auto_closed", "activity", "learner"]
DATA_KEYS = ["mode", "learner", "session_id", "activity", "accessibility", "instruments", "sensors", "token",
             "enrolment", "logo_url", "api_url", "dashboard_url", "launcher", "base_url", "locale", "options"]


@pytest.fixture
def client(tesla_client):
    freeze(tesla_client)
    return tesla_client


@pytest.fixture
def module(client):
    return module_headers(client)


def open_session(client, module, user_id: int = 16, activity: dict | None = None, **extra) -> dict:
    body = {**(activity or MIDTERM), "vle_learner_uid": UIDS.get(user_id, user_id), "options": {}, **extra}
    answer = client.post(ASSESSMENT, json=body, headers=module)
    assert answer.status_code == 200, answer.text
    return answer.json()


def first_session_id(client, module) -> int:
    """The id the next session gets: proof that refused requests stored nothing."""
    return open_session(client, module)["id"]


def test_field_errors_then_missing_lookup_fields_change_nothing(client, module) -> None:
    cases = [
        ({}, {"non_field_errors": ["Missing vle_activity_type value"]}),
        ({"vle_activity_type": "quiz"}, {"non_field_errors": ["Missing vle_activity_id value"]}),
        ({**MIDTERM, "options": {}}, {"non_field_errors": ["Missing vle_learner_uid value"]}),
        ({"vle_activity_type": "", "vle_activity_id": None, "vle_learner_uid": True},
         {"vle_activity_type": ["This field may not be blank."], "vle_activity_id": ["This field may not be null."],
          "vle_learner_uid": ["Not a valid string."]}),
        ({**MIDTERM, "vle_learner_uid": "nou-1010", "max_ttl": "x", "session_id": 1.5, "close": "yes",
          "locale": "", "redirect_reject_url": "not a url"},
         {"locale": ["This field may not be blank."], "max_ttl": ["A valid integer is required."],
          "session_id": ["A valid integer is required."], "redirect_reject_url": ["Enter a valid URL."],
          "close": ["Must be a valid boolean."]}),
        ({"redirect_reject_url": "  "}, {"redirect_reject_url": ["This field may not be blank."]}),
        ([], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ]
    for body, errors in cases:
        answer = client.post(ASSESSMENT, json=body, headers=module)
        assert (answer.status_code, answer.json()) == (400, errors), body
    broken = client.post(ASSESSMENT, content=b"{", headers={**module, "Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["detail"].startswith("JSON parse error - ")
    assert first_session_id(client, module) == 1


def test_lookups_answer_bare_strings(client, module) -> None:
    cases = [
        ({"vle_activity_type": "quiz", "vle_activity_id": "999", "vle_learner_uid": "nou-1010"}, "Activity not found"),
        ({**VLE2_ONLY, "vle_learner_uid": "nou-1010"}, "Activity not found"),  # an activity of VLE 2
        ({**MIDTERM, "vle_learner_uid": "nou-9999"}, "Learner not found"),
        ({**MIDTERM, "vle_learner_uid": "nou-1001"}, "Learner not found"),  # an instructor, no learner
        ({"session_id": 4242}, "Session not found"),
        ({"session_id": 4242, "close": True}, "Session not found"),
    ]
    for body, text in cases:
        answer = client.post(ASSESSMENT, json={**body, "options": {}}, headers=module)
        assert (answer.status_code, answer.json()) == (404, text), body
    # PHP sends the activity id as a JSON number: DRF's CharField takes it as its text.
    numeric = client.post(ASSESSMENT, json={"vle_activity_type": "quiz", "vle_activity_id": 17,
                                            "vle_learner_uid": "nou-1010", "options": None}, headers=module)
    assert (numeric.status_code, numeric.json()["activity"]) == (200, 1)


def test_informed_consent_is_checked_first(client, module) -> None:
    for user_id, body in [(17, {"status": 2, "message": "Missing Informed Consent"}),
                          (15, {"status": 2, "message": "Missing Informed Consent"}),  # rejected
                          (12, {"status": 3, "message": "Invalid Informed Consent"})]:  # 1.0.0 no longer valid
        answer = client.post(ASSESSMENT, json={**MIDTERM, "vle_learner_uid": UIDS[user_id], "options": {}},
                             headers=module)
        assert (answer.status_code, answer.json()) == (406, body), user_id
    # An institution with an external informed consent skips the check (learner 17 then lacks an enrolment).
    admin = login(client, "inst-admin@tesla.example")
    assert client.patch("/api/v2/institution/1/", json={"external_ic": True}, headers=admin).status_code == 200
    answer = client.post(ASSESSMENT, json={**MIDTERM, "vle_learner_uid": UIDS[17], "options": {}}, headers=module)
    assert (answer.status_code, answer.json()["status"]) == (406, 4)


def test_missing_enrolment_body(client, module) -> None:
    answer = client.post(ASSESSMENT, json={**MIDTERM, "vle_learner_uid": UIDS[9], "options": {}}, headers=module)
    assert answer.status_code == 406
    assert answer.json() == {"status": 4, "message": "Missing Enrolment", "enrolments": {
        "missing_enrolments": True,
        "instruments": {"1": {"instrument_id": 1, "percentage__min": 0.4, "percentage__max": 0.4,
                              "can_analyse__min": False, "can_analyse__max": False, "pending": [],
                              "not_validated": [{"provider_id": 1, "instrument_id": 1, "count": 3}],
                              "pending_contributions": 0, "not_validated_count": 3}},
        "activity_id": 1, "learner_id": 9}}
    # A disabled activity checks no enrolment: the same learner gets a session.
    assert open_session(client, module, 9, FINAL)["activity"] == 3


def test_a_new_session_and_its_side_effects(client, module) -> None:
    manager = login(client, "manager@tesla.example")
    learners = "/api/v2/institution/1/course/1/learner/?uid=nou-1015"
    assert client.get(learners, headers=manager).json()["count"] == 0  # learner 21 follows course 2 only
    answer = client.post(ASSESSMENT, json={**FINAL, "vle_learner_uid": "nou-1015", "vle_course_id": 2, "max_ttl": 30,
                                           "locale": "ca", "redirect_reject_url": BACK, "reject_message": "Bye",
                                           "options": {"floating_menu_initial_pos": "top-left"}},
                         headers=module)
    assert answer.status_code == 200, answer.text
    session = answer.json()
    assert list(session) == SESSION_KEYS
    assert (session["id"], session["activity"], session["learner"], session["started_at"], session["checked_at"],
            session["closed_at"], session["auto_closed"]) == (1, 3, 21, "2026-03-02T10:00:00.123456Z", None, None, None)
    uuid = learner_uuid(client, 21)
    folder = f"1/{uuid}/sessions/3/1"
    assert session["data"] == {"id": 1, "connector": f"http://testserver/media/{folder}/connector.js",
                               "data": f"http://testserver/media/{folder}/data.json", "session": 1}
    assert client.get(learners, headers=manager).json()["count"] == 1  # the learner joined the course
    data = client.get(f"/media/{folder}/data.json")
    assert (data.status_code, data.headers["content-type"]) == (200, "application/json")
    data = data.json()
    assert list(data) == DATA_KEYS
    assert data["learner"] == {"id": 21, "learner_id": uuid, "first_name": "Nora", "last_name": "Bosch",
                               "picture": None, "institution_id": 1}
    assert data["activity"]["course"] == {"id": 1, "code": "NOU-PSY101-2024", "description": "Introduction to Psychology",
                                          "start": "2024-09-16T07:00:00+00:00", "end": "2025-01-31T22:59:59+00:00"}
    assert (data["activity"]["enabled"], data["activity"]["redirect_reject_url"], data["activity"]["rejected_message"],
            data["activity"]["vle_id"]) == (False, BACK, "Bye", 1)
    assert (data["mode"], data["session_id"], data["locale"], data["options"]) == (
        "verification", 1, "ca", {"floating_menu_initial_pos": "top-left"})
    assert data["accessibility"] == {"high_contrast": False, "big_fonts": False, "text_to_speech": False}
    assert (data["instruments"], data["sensors"], data["enrolment"]) == ([], {}, {"missing_enrolments": False,
                                                                                  "instruments": {}})
    assert (data["api_url"], data["dashboard_url"], data["base_url"]) == (
        "http://testserver", "http://testserver", "http://testserver/static/web-plugin/")
    token = claims(data["token"]["access_token"])
    assert (token["group"], token["sub"], token["type"], token["pk"]) == ("learners", uuid, "learner", 21)
    assert token["scope"] == [f"/lapi/v1/{route}/1/{uuid}/" for route in ("verification", "status", "alert")]
    assert token["filters"] == {"session_id": 1, "mode": "verification"}
    assert claims(data["token"]["refresh_token"])["exp"] - token["iat"] == 30 * 60  # max_ttl minutes
    assert client.get(f"/media/{folder}/data.json").json() == data  # the same file every time
    # The dashboard launcher inside trades once for the learner's *user* pair (refresh: 24 h).
    pair = client.post("/api/v2/auth/token", json=data["launcher"])
    assert pair.status_code == 200 and claims(pair.json()["access_token"])["group"] == "users"
    assert client.post("/api/v2/auth/token", json=data["launcher"]).json() == "Invalid credentials"
    refreshed = client.post("/api/v2/auth/token/refresh", json={"token": data["token"]},)
    assert refreshed.status_code == 200 and claims(refreshed.json()["token"]["access_token"])["filters"]["session_id"] == 1


def test_sessions_of_an_enabled_activity_carry_instruments_and_sensors(client, module) -> None:
    session = open_session(client, module, 16, MIDTERM, options=None)
    data = client.get(f"/media/{media_key(session['data']['data'])}").json()
    assert (data["instruments"], data["sensors"], data["options"]) == (
        [1], {"camera": [1]}, {"floating_menu_initial_pos": "top-right"})
    assert data["enrolment"]["missing_enrolments"] is False and list(data["enrolment"]["instruments"]) == ["1"]
    connector = client.get(f"/media/{media_key(session['data']['connector'])}")
    assert (connector.status_code, connector.headers["content-type"]) == (200, "application/javascript")
    assert f'"data_url": "{session["data"]["data"]}"' in connector.text and '"active": true' in connector.text
    missing = client.get("/media/1/nothing/here.json")
    assert missing.status_code == 404 and NOT_FOUND_PAGE in missing.text


def test_options_must_be_an_object_or_null(client, module, make_client) -> None:
    for body, errors in [({}, {"options": ["This field is required."]}),
                         ({"options": ["a"]}, {"options": ['Expected a dictionary of items but got type "list".']}),
                         ({"options": True}, {"options": ['Expected a dictionary of items but got type "bool".']})]:
        answer = client.post(ASSESSMENT, json={**MIDTERM, "vle_learner_uid": "nou-1010", **body}, headers=module)
        assert (answer.status_code, answer.json()) == (400, errors), body
    assert first_session_id(client, module) == 1  # nothing was stored
    quirky = make_client(vendor="tesla", quirks=True)
    quirky_module = module_headers(quirky)
    crash = quirky.post(ASSESSMENT, json={**MIDTERM, "vle_learner_uid": "nou-1010"}, headers=quirky_module)
    assert (crash.status_code, crash.text) == (500, "Error processing the request.")
    orphan = quirky.post(ASSESSMENT, json={"session_id": 1}, headers=quirky_module)  # left behind, as upstream
    assert (orphan.status_code, orphan.json()["data"]) == (200, None)


def test_reuse_close_and_moodle_retry(client, module) -> None:
    first = open_session(client, module)
    advance(client, "1m")
    second = open_session(client, module)
    assert second["id"] == 2 and client.post(ASSESSMENT, json={"session_id": 1}, headers=module).json() == first
    closed = client.post(ASSESSMENT, json={"session_id": 2, "close": True}, headers=module).json()
    assert (closed["closed_at"], closed["auto_closed"]) == ("2026-03-02T10:01:00.123456Z", False)
    older = client.post(ASSESSMENT, json={"session_id": 1}, headers=module)  # closed with it, automatically
    assert (older.status_code, older.json()) == (400, ["Closed session"])
    again = client.post(ASSESSMENT, json={"session_id": 2, "close": True}, headers=module)
    assert (again.status_code, again.json()) == (400, ["Cannot close a closed session"])
    # Moodle (C4, C5): the stored session id is closed, so it posts again with session_id null.
    body = {"vle_course_id": 2, **MIDTERM, "vle_learner_uid": "nou-1010", "max_ttl": 120, "redirect_reject_url": None,
            "reject_message": None, "locale": "en", "session_id": 2, "options": {"floating_menu_initial_pos": "top-right"}}
    assert client.post(ASSESSMENT, json=body, headers=module).status_code == 400
    retry = client.post(ASSESSMENT, json={**body, "session_id": None}, headers=module)
    assert (retry.status_code, retry.json()["id"]) == (200, 3)


def test_permission_routing_and_methods(client, module) -> None:
    assert client.post(ASSESSMENT, json={}).json() == NO_PERMISSION
    learner = login(client, "oriol.pons@nou.example", "tesla-learner")
    assert client.post(ASSESSMENT, json={}, headers=learner).status_code == 403
    assert client.post("/api/v2/vle/2/assessment/", json={}, headers=module).status_code == 403  # another VLE
    assert client.post(LAUNCHER, json={}, headers=bearer("bad")).status_code == 401
    wrong = client.get(ASSESSMENT, headers=module)
    assert (wrong.status_code, wrong.json()) == (405, {"detail": 'Method "GET" not allowed.'})
    assert client.get(ASSESSMENT).status_code == 403  # permission before the method
    assert client.get(LAUNCHER, headers=module).status_code == 405
    moved = client.post("/api/v2/vle/1/assessment", json={}, headers=module, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, ASSESSMENT)
    text = client.post(ASSESSMENT, content=b"a=b", headers={**module, "Content-Type": "text/plain"})
    assert text.status_code == 415


def test_launchers(client, module, make_client) -> None:
    answer = client.post(LAUNCHER, json={"vle_user_uid": "nou-1001"}, headers=module)  # an instructor
    assert answer.status_code == 200 and list(answer.json()) == ["token", "id", "url"]
    launcher = answer.json()
    assert launcher["id"] == 3  # after the two seeded launchers
    assert launcher["url"] == f"http://testserver/ui/auth/launcher?id=3&token={launcher['token']}"
    pair = client.post("/api/v2/auth/token", json={"id": launcher["id"], "token": launcher["token"]}).json()
    access, refresh = claims(pair["access_token"]), claims(pair["refresh_token"])
    assert (access["group"], access["sub"], access["pk"], access["scope"]) == (
        "users", "nou-1001", 7, ["/api/v2/institution/1/user/7/*"])
    assert refresh["exp"] - access["iat"] == 120 * 60
    assert client.get("/api/v2/auth/profile", headers=bearer(pair["access_token"])).json()["roles"] == ["INSTRUCTOR"]
    # Forms work too (core's tests post one); the LAPI target holds a learner pair.
    form = client.post(LAUNCHER, data={"vle_user_uid": "nou-1010", "target": "LAPI", "ttl": "30", "session_id": ""},
                       headers=module)
    assert form.status_code == 200, form.text
    lapi = client.post("/api/v2/auth/token", json={"id": form.json()["id"], "token": form.json()["token"]}).json()
    access = claims(lapi["access_token"])
    assert (access["group"], access["sub"], access["scope"]) == ("learners", learner_uuid(client, 16), ["/lapi/*"])
    assert claims(lapi["refresh_token"])["exp"] - access["iat"] == 30 * 60
    multipart = client.post(LAUNCHER, files={"vle_user_uid": (None, "nou-1010")}, headers=module)
    assert multipart.status_code == 200
    cases = [
        ({}, 400, {"vle_user_uid": ["This field is required."]}),
        ({"vle_user_uid": "nou-1010", "target": "dashboard"}, 400, {"target": ['"dashboard" is not a valid choice.']}),
        ({"vle_user_uid": "nou-1010", "ttl": "x"}, 400, {"ttl": ["A valid integer is required."]}),
        ({"vle_user_uid": "nou-1001", "target": "LAPI"}, 400, {"vle_user_uid": ["Provided user is not a learner"]}),
        ({"vle_user_uid": "nou-9999"}, 404, "User not found"),
        ({"vle_user_uid": "CIT20254"}, 404, "User not found"),  # another institution's
        ({"vle_user_uid": "nou-1010", "session_id": 77}, 404, "Session not found"),
    ]
    for body, code, expected in cases:
        answer = client.post(LAUNCHER, json=body, headers=module)
        assert (answer.status_code, answer.json()) == (code, expected), body
    assert client.post(LAUNCHER, data={"vle_user_uid": "nou-1010", "ttl": "1.5"}, headers=module).json() == {
        "ttl": ["A valid integer is required."]}
    quirky = make_client(vendor="tesla", quirks=True)
    crash = quirky.post(LAUNCHER, json={"vle_user_uid": "nou-1001", "target": "LAPI"}, headers=module_headers(quirky))
    assert crash.status_code == 500


def test_launcher_tokens_and_ids_come_from_the_seed_and_reset(client, module, make_client) -> None:
    first = client.post(LAUNCHER, json={"vle_user_uid": "nou-1010"}, headers=module).json()
    other = make_client(vendor="tesla")
    second = other.post(LAUNCHER, json={"vle_user_uid": "nou-1010"}, headers=module_headers(other)).json()
    assert (first["id"], first["token"]) == (second["id"], second["token"])
    session = open_session(client, module)
    key = media_key(session["data"]["data"])
    data = client.get(f"/media/{key}").json()
    exported = client.get("/__admin/state/tesla", params={"secrets": "true"}).json()  # a round trip needs them
    state = exported["tables"]
    assert [row["id"] for row in state["assessment_sessions"]["rows"]] == [session["id"]]
    assert {row["kind"] for row in state["storage"]["rows"]} == {"session_data", "session_connector"}
    assert "access_token" not in str(state["assessment_sessions"])  # minted again, never stored
    assert client.post("/__admin/reset").status_code == 200
    state = client.get("/__admin/state/tesla").json()["tables"]
    assert (state["assessment_sessions"]["rows"], state["storage"]["rows"]) == ([], [])
    assert client.get(f"/media/{key}").status_code == 404
    assert client.put("/__admin/state/tesla", json=exported).status_code == 200
    assert client.get(f"/media/{key}").json() == data  # the same file, token included
    assert client.post("/__admin/reset").status_code == 200
    freeze(client)
    again = client.post(LAUNCHER, json={"vle_user_uid": "nou-1010"}, headers=module_headers(client)).json()
    assert (again["id"], again["token"]) == (first["id"], first["token"])


def test_deleting_the_activity_or_the_learner_takes_the_sessions(client, module) -> None:
    session = open_session(client, module)
    key = media_key(session["data"]["data"])
    admin = login(client, "inst-admin@tesla.example")
    assert client.delete("/api/v2/institution/1/learner/16/", headers=admin).status_code == 204
    assert client.post(ASSESSMENT, json={"session_id": session["id"]}, headers=module).json() == "Session not found"
    assert client.get(f"/media/{key}").status_code == 404
    other = open_session(client, module, 9, FINAL)
    assert client.delete("/api/v2/institution/1/course/1/activity/3/", headers=admin).status_code == 204
    assert client.post(ASSESSMENT, json={"session_id": other["id"]}, headers=module).json() == "Session not found"
