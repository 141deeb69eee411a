"""TeSLA's learner API (`/lapi/v1/...`, §2.8): samples, alerts, their status, the profile, and the
emulated workers that process what is stored."""

from __future__ import annotations

import pytest

from tesla_course_support import login
from tesla_session_support import (ASSESSMENT, MIDTERM, NOT_FOUND_PAGE, STAMP, advance, bearer, freeze, launcher_pair,
                               learner_uuid, module_headers, sample, status)

OK_PATH = "1/enrolment/{uuid}/samples/" + STAMP + "_capture.webplugin"
INVALID_TOKEN = {"status": "ERROR", "errors": "Invalid token"}


@pytest.fixture
def client(tesla_client):
    freeze(tesla_client)
    return tesla_client


@pytest.fixture
def module(client):
    return module_headers(client)


@pytest.fixture
def learner(client, module):
    """Learner 16 (oriol.pons) with its LAPI launcher's learner token."""
    uuid = learner_uuid(client, 16)
    return uuid, bearer(launcher_pair(client, module, "nou-1010", "LAPI")["access_token"])


def enrol(client, uuid, headers, iid=1, **extra):
    return client.post(f"/lapi/v1/enrolment/{iid}/{uuid}/", json=sample(uuid, **extra), headers=headers)


def test_each_route_stores_at_the_real_path(client, module, learner) -> None:
    uuid, token = learner
    answer = enrol(client, uuid, token)
    assert (answer.status_code, answer.json()) == (200, {"status": "OK", "path": OK_PATH.format(uuid=uuid)})
    verification = {"learner_id": uuid, "course_id": 1, "activity_id": 1, "session_id": 12, "data": "x",
                    "instruments": [1], "metadata": {"mimetype": "image/png", "filename": None}}
    stored = client.post(f"/lapi/v1/verification/1/{uuid}/", json=verification, headers=token).json()
    assert stored["path"] == f"1/requests/{uuid}/1/1/sessions/12/{STAMP}_None"
    document = client.post(f"/lapi/v1/verification/1/{uuid}/", json={**verification, "session_id": None},
                           headers=token).json()
    assert document["path"] == f"1/requests/{uuid}/1/1/documents/{STAMP}_None"
    alert = {"level": "warning", "learner_id": uuid, "course_id": 1, "activity_id": 1, "session_id": 12,
             "data": {"reason": "two faces"}, "instruments": [1], "raised_at": "2026-03-02T09:59:00Z"}
    assert client.post(f"/lapi/v1/alert/1/{uuid}/", json=alert, headers=token).json()["path"] == \
        f"1/alerts/{uuid}/1/1/sessions/12/{STAMP}_WARNING"
    assert client.post(f"/lapi/v1/alert/1/{uuid}/", json={**alert, "session_id": None}, headers=token).json()["path"] == \
        f"1/alerts/{uuid}/1/1/documents/{STAMP}_WARNING"
    profile = client.get(f"/lapi/v1/profile/1/{uuid}/", headers=token)
    assert profile.json() == {"learner_id": uuid, "institution_id": 1, "email": "oriol.pons@nou.example",
                              "first_name": "Oriol", "last_name": "Pons"}


def test_a_taken_name_gets_a_seeded_suffix(client, learner) -> None:
    uuid, token = learner
    first, second = (enrol(client, uuid, token).json()["path"] for _ in range(2))
    root = f"1/enrolment/{uuid}/samples/{STAMP}_capture"
    assert first == root + ".webplugin"
    assert second.startswith(root + "_") and second.endswith(".webplugin") and len(second) == len(first) + 8
    assert client.post("/__admin/reset").status_code == 200
    freeze(client)
    token = bearer(launcher_pair(client, module_headers(client), "nou-1010", "LAPI")["access_token"])
    assert [enrol(client, uuid, token).json()["path"] for _ in range(2)] == [first, second]


def test_body_errors_come_first_in_each_routes_shape(client, learner) -> None:
    uuid, _ = learner
    cases = [
        ("enrolment", {}, {"learner_id": ["This field is required."], "data": ["This field is required."],
                           "instruments": ["This field is required."], "metadata": ["This field is required."]}),
        ("enrolment", {"learner_id": "x", "data": "  ", "instruments": [], "metadata": "x"},
         {"learner_id": ["Must be a valid UUID."], "data": ["This field may not be blank."],
          "instruments": ["This list may not be empty."],
          "metadata": {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}}),
        ("enrolment", {"learner_id": uuid, "data": 5, "instruments": ["a", None], "metadata": {"filename": ""}},
         {"instruments": {"0": ["A valid integer is required."], "1": ["This field may not be null."]},
          "metadata": {"filename": ["This field may not be blank."], "mimetype": ["This field is required."]}}),
        ("verification", {"learner_id": uuid, "data": "x", "instruments": "1", "metadata": {"mimetype": "a"}},
         {"course_id": ["This field is required."], "activity_id": ["This field is required."],
          "instruments": ['Expected a list of items but got type "str".']}),
        ("alert", {"learner_id": uuid, "course_id": 1, "activity_id": 1, "data": None, "raised_at": "yesterday"},
         {"level": ["This field is required."], "data": ["This field may not be null."],
          "raised_at": ["Datetime has wrong format. Use one of these formats instead: "
                        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}),
        ("enrolment", [], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ]
    for route, body, errors in cases:  # no token at all: the body is checked first
        answer = client.post(f"/lapi/v1/{route}/1/{uuid}/", json=body)
        assert (answer.status_code, answer.json()) == (400, {"status": "ERROR", "errors": errors}), (route, body)
    unwrapped = client.post(f"/lapi/v1/status/1/{uuid}/", json={"learner_id": uuid, "samples": ["", 3]})
    assert (unwrapped.status_code, unwrapped.json()) == (
        400, {"errors": {"samples": {"0": ["This field may not be blank."]}}})
    broken = client.post(f"/lapi/v1/enrolment/1/{uuid}/", content=b"{", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["detail"].startswith("JSON parse error - ")
    assert client.post(f"/lapi/v1/enrolment/1/{uuid}/", json=sample(uuid)).json() == INVALID_TOKEN  # then the caller
    assert client.post(f"/lapi/v1/status/1/{uuid}/", json={"learner_id": uuid, "samples": ["a"]}).json() == {
        "errors": "Invalid token"}
    bad = client.post(f"/lapi/v1/enrolment/1/{uuid}/", json=sample(uuid), headers=bearer("bad"))
    assert (bad.status_code, bad.headers["www-authenticate"]) == (401, "JWT")


@pytest.mark.parametrize("caller", ["learner token", "user token", "vle token", "other learner", "instructor",
                                    "other vle", "anonymous"])
def test_who_passes(client, module, learner, caller) -> None:
    uuid, token = learner
    other_vle = client.post("/api/v2/institution/2/vle/", json={"type": 0, "name": "CIT Moodle 2"},
                            headers=login(client, "cit-admin@tesla.example")).json()["credentials"]
    headers = {
        "learner token": token,
        "user token": login(client, "oriol.pons@nou.example", "tesla-learner"),
        "vle token": module,
        "other learner": login(client, "paula.mas@nou.example", "tesla-learner"),
        "instructor": login(client, "marta.vidal@nou.example"),
        "other vle": module_headers(client, other_vle["role_id"], other_vle["secret_id"]),
        "anonymous": {},
    }[caller]
    passes = caller in ("learner token", "user token", "vle token")
    answer = enrol(client, uuid, headers)
    assert (answer.status_code, answer.json()) == ((200, {"status": "OK", "path": OK_PATH.format(uuid=uuid)}) if passes
                                                   else (403, INVALID_TOKEN))
    profile = client.get(f"/lapi/v1/profile/1/{uuid}/", headers=headers)
    expected = {"learner token": 200, "user token": 200}.get(caller, 403)
    assert profile.status_code == expected
    if caller == "vle token":
        assert profile.json() == {"status": "ERROR", "errors": "Invalid user object"}
    # The body's learner must be the path's, and the path's institution the caller's: a VLE token
    # passes for its own institution's id, whoever the learner is (as upstream).
    other = learner_uuid(client, 17)
    assert client.post(f"/lapi/v1/enrolment/1/{uuid}/", json=sample(other), headers=headers).status_code == 403
    assert enrol(client, uuid, headers, iid=2).status_code == (200 if caller == "other vle" else 403)


def test_routing_answers_as_django(client, learner) -> None:
    uuid, token = learner
    for path in (f"/lapi/v1/enrolment/1/{uuid.upper()}/", "/lapi/v1/enrolment/1/not-a-uuid/",
                 f"/lapi/v1/enrolment/-1/{uuid}/", f"/lapi/v1/enrolment/x/{uuid}/", f"/lapi/v1/nothing/1/{uuid}/",
                 f"/lapi/v1/enrolment/1/{uuid.upper()}"):
        answer = client.post(path, json=sample(uuid), headers=bearer("bad"), follow_redirects=False)
        assert answer.status_code == 404 and NOT_FOUND_PAGE in answer.text, path
    moved = client.post(f"/lapi/v1/enrolment/1/{uuid}", json={}, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, f"/lapi/v1/enrolment/1/{uuid}/")
    for method, route in (("get", "enrolment"), ("get", "status"), ("post", "profile"), ("delete", "alert")):
        answer = client.request(method.upper(), f"/lapi/v1/{route}/1/{uuid}/", headers=token)
        assert (answer.status_code, answer.json()) == (405, {"detail": f'Method "{method.upper()}" not allowed.'})
    assert client.get(f"/lapi/v1/enrolment/1/{uuid}/", headers=bearer("bad")).status_code == 401  # authentication first


def test_enrolment_samples_are_validated_after_a_delay(client, learner) -> None:
    uuid, token = learner
    manager = login(client, "manager@tesla.example")
    path = enrol(client, uuid, token, instruments=[2]).json()["path"]
    missing = enrol(client, uuid, token, instruments=[5]).json()["path"]  # anti-plagiarism needs no enrolment
    unknown = enrol(client, uuid, token, instruments=[2, 99]).json()["path"]
    assert status(client, 1, uuid, token, path, "1/none") == [("PENDING", None), ("NOT_FOUND", None)]
    advance(client, "4s")
    assert status(client, 1, uuid, token, path) == [("PENDING", None)]
    advance(client, "1s")
    validations = {"status": 1, "status_code": "Valid", "error_message": None, "contribution": 0.6, "info": None}
    assert status(client, 1, uuid, token, path, missing, unknown) == [
        ("VALID", {"status": "VALID", "validations": {"2": validations, "3": validations}}),
        ("ERROR", {"status": "MISSING_PROVIDER",
                   "message": "There is no validation provider for instrument <Anti-Plagiarism>"}),
        ("ERROR", {"message": "Invalid instruments"})]
    enrolment = client.get("/api/v2/institution/1/learner/16/enrolment/", headers=manager).json()
    assert [(e["instrument_id"], e["percentage__min"], e["percentage__max"], e["can_analyse__min"]) for e in enrolment] \
        == [(1, 1.0, 1.0, True), (2, 0.85, 1.0, True)]  # ks providers 2 and 3 had 0.6 and 0.25


def test_a_sample_of_a_learner_without_consent_is_deleted(client, module) -> None:
    uuid = learner_uuid(client, 17)  # paula.mas: no informed consent
    token = login(client, "paula.mas@nou.example", "tesla-learner")
    path = enrol(client, uuid, token).json()["path"]
    advance(client)
    assert status(client, 1, uuid, token, path) == [("NOT_FOUND", None)]


def test_verification_samples_become_requests_and_reports(client, module, learner) -> None:
    uuid, token = learner
    session = client.post(ASSESSMENT, json={**MIDTERM, "vle_learner_uid": "nou-1010", "options": {}}, headers=module).json()
    body = {"learner_id": uuid, "course_id": 1, "activity_id": 1, "session_id": session["id"], "data": "frame-1",
            "instruments": [1, 2], "metadata": {"mimetype": "image/jpeg", "filename": "capture.webplugin"}}
    path = client.post(f"/lapi/v1/verification/1/{uuid}/", json=body, headers=token).json()["path"]
    invalid = client.post(f"/lapi/v1/verification/1/{uuid}/", json={**body, "instruments": [1, 99]},
                          headers=token).json()["path"]
    orphan = client.post(f"/lapi/v1/verification/1/{uuid}/", json={**body, "activity_id": 999},
                         headers=token).json()["path"]
    advance(client)
    (state, info), (bad, bad_info), (stuck, _) = status(client, 1, uuid, token, path, invalid, orphan)
    assert (state, bad, bad_info, stuck) == ("VALID", "ERROR", {"message": "Invalid instruments"}, "PENDING")
    request_id = info["request_id"]
    assert info == {"message": "stored", "request_id": request_id}
    manager = login(client, "manager@tesla.example")
    reports = client.get("/api/v2/institution/1/course/1/activity/1/report/?learner__email=oriol.pons@nou.example",
                         headers=manager).json()["results"]
    assert len(reports) == 1  # learner 16 had none in activity 1: the worker wrote it
    report = client.get(f"/api/v2/institution/1/course/1/activity/1/report/{reports[0]['id']}/", headers=manager)
    assert report.status_code == 200
    assert [item["instrument_acronym"] for item in report.json()["detail"]] == ["fr", "ks"]
    requests = client.get(f"/api/v2/institution/1/course/1/activity/1/report/{reports[0]['id']}/request/",
                          headers=manager).json()["results"]
    by_id = {row["id"]: row for row in requests}
    made = by_id[request_id]
    assert (made["status"], made["session"], made["learner"], made["activity"], made["instruments"]) == (
        3, session["id"], 16, 1, [1, 2])
    assert made["data"] == f"http://testserver/media/{path}"
    assert [(r["instrument"], r["status"], r["request"]) for r in made["result"]] == [(1, 1, request_id), (2, 1, request_id)]
    assert all(0.35 <= r["result"] <= 1 for r in made["result"])
    refused = by_id[request_id + 1]
    assert (refused["status"], refused["error_message"], refused["instruments"], refused["result"]) == (
        2, "Invalid instruments", [1], [])


def test_results_are_reproducible_and_missing_enrolments_show(client, make_client) -> None:
    def run(target) -> list:
        freeze(target)
        uuid = learner_uuid(target, 9)  # face model at 40 %: cannot analyse yet
        headers = login(target, "manager@tesla.example")
        vle = module_headers(target)
        body = {"learner_id": uuid, "course_id": 1, "activity_id": 1, "session_id": None, "data": "same document",
                "instruments": [1, 5], "metadata": {"mimetype": "text/plain", "filename": "essay.txt"}}
        target.post(f"/lapi/v1/verification/1/{uuid}/", json=body, headers=vle)
        advance(target)
        report = target.get("/api/v2/institution/1/course/1/activity/1/report/?learner__email=laia.ferrer@nou.example",
                            headers=headers).json()["results"][0]
        rows = target.get(f"/api/v2/institution/1/course/1/activity/1/report/{report['id']}/request/",
                          headers=headers).json()["results"]
        return [(row["status"], row["session"], [(r["status"], r["result"]) for r in row["result"]]) for row in rows
                if row["session"] is None]

    first = run(client)
    assert [(status_, session, [s for s, _ in results]) for status_, session, results in first] == [(4, None, [5, 1])]
    assert first == run(make_client(vendor="tesla"))  # another app of the same seed scores the same


def test_alerts_and_their_status(client, learner) -> None:
    uuid, token = learner
    alert = {"level": "ALERT", "learner_id": uuid, "course_id": 1, "activity_id": 1, "data": [1, 2],
             "raised_at": "2026-03-02 09:59", "instruments": None}
    stored = client.post(f"/lapi/v1/alert/1/{uuid}/", json=alert, headers=token).json()["path"]
    unknown = client.post(f"/lapi/v1/alert/1/{uuid}/", json={**alert, "instruments": [77]}, headers=token).json()["path"]
    advance(client)
    assert status(client, 1, uuid, token, stored, unknown) == [
        ("VALID", {"message": "stored", "alert_id": 1}), ("ERROR", {"message": "Invalid instruments"})]


def test_names_that_leave_the_folder_are_refused(client, learner, make_client) -> None:
    uuid, token = learner
    answer = enrol(client, uuid, token, metadata={"mimetype": "image/png", "filename": "a/../../b"})
    assert answer.status_code == 400
    assert answer.json()["errors"]["metadata"]["filename"][0].startswith("Detected path traversal attempt in '1/enrolment/")
    assert status(client, 1, uuid, token, f"1/enrolment/{uuid}/samples/{STAMP}_a/../../b") == [("NOT_FOUND", None)]
    quirky = make_client(vendor="tesla", quirks=True)
    freeze(quirky)
    headers = login(quirky, "oriol.pons@nou.example", "tesla-learner")
    crash = enrol(quirky, uuid, headers, metadata={"mimetype": "image/png", "filename": "x/../y"})
    assert crash.status_code == 500
