"""The clients' call sequences of the VLE reference (§4): Moodle's C (a student opens an activity)
and D (a submission), and core's end-to-end cycle H from step 7 on, against the mock."""

from __future__ import annotations

import pytest

from tesla_course_support import login
from tesla_session_support import (ASSESSMENT, ESSAY, LAUNCHER, MIDTERM, VLE, advance, bearer, freeze, learner_uuid,
                               media_key, module_headers, sample, status)


@pytest.fixture
def client(tesla_client):
    freeze(tesla_client)
    return tesla_client


def moodle_assessment(session_id, uid: str = "oriol.pons") -> dict:
    """Moodle's C4 body (`vle_learner_uid` is the user's uid; Moodle uses the email as uid)."""
    return {"vle_course_id": 2, "vle_activity_id": 17, "vle_activity_type": "quiz", "vle_learner_uid": uid,
            "max_ttl": 120, "redirect_reject_url": None, "reject_message": None, "locale": "en",
            "session_id": session_id, "options": {"floating_menu_initial_pos": "top-right"}}


def test_moodle_opens_an_activity_and_submits(client) -> None:
    """C4-C6 on three page views, then D1 and D2 (attachment) at submission."""
    module = module_headers(client)
    uid = "nou-1010"
    # C4 on the first view: no session stored yet.
    first = client.post(ASSESSMENT, json=moodle_assessment(None, uid), headers=module)
    assert first.status_code == 200 and first.json()["data"]["connector"].endswith("/connector.js")
    stored = first.json()["id"]
    connector = client.get("/media/" + media_key(first.json()["data"]["connector"]))  # the injected <script src>
    assert connector.status_code == 200
    # C4 on the next view: the stored session is reused.
    again = client.post(ASSESSMENT, json=moodle_assessment(stored, uid), headers=module)
    assert (again.status_code, again.json()["id"]) == (200, stored)
    # D1: the learner submits; the session is closed.
    closed = client.post(ASSESSMENT, json={"session_id": stored, "close": True}, headers=module)
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    # C4 then C5: the stored session is closed (400), so the same POST again without it.
    refused = client.post(ASSESSMENT, json=moodle_assessment(stored, uid), headers=module)
    assert (refused.status_code, refused.json()) == (400, ["Closed session"])
    retried = client.post(ASSESSMENT, json=moodle_assessment(None, uid), headers=module)
    assert retried.status_code == 200 and retried.json()["id"] != stored
    # C6: a learner without enrolment gets status 4, which sends Moodle to the enrolment page.
    blocked = client.post(ASSESSMENT, json=moodle_assessment(None, "nou-1003"), headers=module)
    assert (blocked.status_code, blocked.json()["status"]) == (406, 4)
    # D2.5-D2.7: the cron asks which instruments take the submission, then sends it.
    uuid = learner_uuid(client, 16)
    url = f"{VLE}/course/1/activity/2/attachment/{uuid}/"
    instruments = [item["instrument"] for item in client.get(url, headers=module).json()]
    assert instruments == [5, 4]
    sent = client.post(url, headers=module, json={
        "data": "data:application/zip;base64,UEsDBBQAAAAIAA==", "session_id": None, "instruments": instruments,
        "metadata": {"mimetype": "application/zip", "filename": "archive.zip", "created_at": "2026-03-02T11:00:00+0100",
                     "context": {"type": "assign", "version": "1.0.0", "vle_id": 1}}})
    assert sent.status_code == 200 and sent.json()["status"] == "OK"
    assert client.get(f"{VLE}/course/1/activity/1/attachment/{uuid}/", headers=module).json() == []  # D2.5 stops


def test_core_end_to_end_cycle_from_the_launcher(client) -> None:
    """§4 H, steps 7-14, for learner 17 (paula.mas) in activity 1 and, for the attachment, activity 2."""
    module = module_headers(client)
    manager = login(client, "manager@tesla.example")
    # 7. A dashboard launcher (form-encoded), traded for the learner's tokens; the learner accepts the IC.
    launcher = client.post(LAUNCHER, data={"vle_user_uid": "nou-1011"}, headers=module)
    assert launcher.status_code == 200 and "/ui/auth/launcher?" in launcher.json()["url"]
    pair = client.post("/api/v2/auth/token", json={"id": str(launcher.json()["id"]),  # from the dashboard's query
                                                   "token": launcher.json()["token"]}).json()
    user = bearer(pair["access_token"])
    profile = client.get("/api/v2/auth/profile", headers=user).json()
    iid, uuid = profile["institution"]["id"], profile["institution"]["learner_id"]
    body = {**MIDTERM, "vle_learner_uid": "nou-1011", "options": {}}
    assert client.post(ASSESSMENT, json=body, headers=module).json()["status"] == 2  # 9. no IC yet
    version = client.get(f"/api/v2/institution/{iid}/ic/current/", headers=user).json()["version"]
    accepted = client.post(f"/api/v2/institution/{iid}/learner/17/ic/", json={"version": version}, headers=user)
    # 8. The VLE now sees a valid consent.
    assert accepted.status_code == 200 and accepted.json()["ic_status"].startswith("VALID")
    # 9. The face-recognition model is empty: 406 status 4.
    missing = client.post(ASSESSMENT, json=body, headers=module)
    assert (missing.status_code, missing.json()["status"]) == (406, 4)
    # 10. The dashboard's enrolment page sends a sample with the learner's user token; status polls it.
    stored = client.post(f"/lapi/v1/enrolment/{iid}/{uuid}/", json=sample(uuid), headers=user)
    assert stored.status_code == 200
    polled = status(client, iid, uuid, user, stored.json()["path"])
    assert len(polled) == 1 and polled[0] == ("PENDING", None)
    advance(client)
    assert status(client, iid, uuid, user, stored.json()["path"])[0][0] == "VALID"
    opened = client.post(ASSESSMENT, json=body, headers=module)
    assert opened.status_code == 200
    session = opened.json()
    # 11. The browser fetches the session data and sends a sample with the session's learner token.
    data = client.get("/media/" + media_key(session["data"]["data"])).json()
    token = bearer(data["token"]["access_token"])
    verification = {"learner_id": uuid, "course_id": data["activity"]["course"]["id"], "activity_id": data["activity"]["id"],
                    "session_id": data["session_id"], "instruments": data["instruments"], "data": "frame",
                    "metadata": {"mimetype": "image/jpeg", "filename": "capture.webplugin",
                                 "created_at": "2026-03-02T10:00:05Z", "context": {}}}
    sent = client.post(f"/lapi/v1/verification/{iid}/{uuid}/", json=verification, headers=token)
    assert sent.status_code == 200
    refreshed = client.post("/api/v2/auth/token/refresh", json={"token": data["token"]})
    assert refreshed.status_code == 200
    # 12. The VLE asks which instruments take a document of activity 2, then sends one.
    url = f"{VLE}/course/1/activity/2/attachment/{uuid}/"
    instruments = [item["instrument"] for item in client.get(url, headers=module).json()]
    document = client.post(url, headers=module, json={"session_id": None, "instruments": instruments, "data": "essay",
                                                      "metadata": {"mimetype": "text/plain", "filename": "essay.txt"}})
    assert document.json()["status"] == "OK"
    advance(client)
    # 13. The requests and the reports, with the same ids, through the institution API.
    [(state, info)] = status(client, iid, uuid, token, sent.json()["path"])
    assert state == "VALID"
    reports = client.get("/api/v2/institution/1/course/1/activity/1/report/?learner__email=paula.mas@nou.example",
                         headers=manager).json()["results"]
    report = client.get(f"/api/v2/institution/1/course/1/activity/1/report/{reports[0]['id']}/", headers=manager)
    assert report.status_code == 200 and report.json()["learner"]["learner_id"] == uuid
    requests = client.get(f"/api/v2/institution/1/course/1/activity/1/report/{reports[0]['id']}/request/",
                          headers=manager).json()
    assert [(row["id"], row["session"]) for row in requests["results"]] == [(info["request_id"], session["id"])]
    essay = client.get("/api/v2/institution/1/course/1/activity/2/report/?learner__email=paula.mas@nou.example",
                       headers=manager).json()
    assert essay["count"] == 1
    # 14. The session is closed.
    closed = client.post(ASSESSMENT, json={"session_id": session["id"], "close": True}, headers=module)
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None


def test_the_php_client_sends_verifications_with_the_vle_token(client) -> None:
    """PHP's `Verification::send`: the learner API with the module's own token."""
    module = module_headers(client)
    uuid = learner_uuid(client, 16)
    body = {"learner_id": uuid, "course_id": 1, "activity_id": 2, "data": "text", "session_id": None,
            "instruments": [5], "metadata": {"mimetype": "text/plain"}}
    assert client.post(f"/lapi/v1/verification/1/{uuid}/", json=body, headers=module).status_code == 200
    assert client.post(f"/lapi/v1/verification/2/{uuid}/", json=body, headers=module).status_code == 403
    assert ESSAY["vle_activity_id"] == "21"
