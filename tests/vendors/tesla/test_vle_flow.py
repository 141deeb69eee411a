"""Issue 13's whole TeSLA VLE flow against a real `mockserver run` process: approle login, sync a
course and an activity, enrol a learner, launcher, IC, assessment session, learner API samples
and their status, then the request and report read back through the VLE API and the institution
API with the same ids. `tesla-ce-client` 0.0.4, unchanged, drives every step it has a method for;
plain HTTP does the rest (the client has no enrolment, assessment or learner API methods)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from server_support import thread_server
from tesla_session_support import NOW, media_key, sample
from tesla_vle_support import APPROLE

LEARNER_UID, LEARNER_ID = "nou-1011", 17  # paula.mas: no consent yet, an empty face-recognition model
FACE_RECOGNITION = 1


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with thread_server() as url:
        yield url


def jwt(token: str) -> dict[str, str]:
    return {"Authorization": f"JWT {token}"}


def test_the_whole_vle_flow_over_http(base: str) -> None:
    from tesla_ce_client import Client

    http = httpx.Client(base_url=f"{base}/tesla", timeout=30)
    assert httpx.post(f"{base}/__admin/reset").status_code == 200
    assert httpx.post(f"{base}/__admin/clock", json={"set": NOW, "freeze": True}).status_code == 200

    # 1. The VLE logs in by approle (the client reads vle_id, config and token from the answer).
    client = Client(api_url=f"{base}/tesla", role_id=APPROLE["role_id"], secret_id=APPROLE["secret_id"],
                    verify_ssl=False)
    vle = client.vle.get()
    module = jwt(http.post("/api/v2/auth/approle", json=APPROLE).json()["token"]["access_token"])
    iid = vle["institution"]["id"]
    prefix = f"/api/v2/vle/{vle['id']}"

    # 2. Sync a course and an activity with face recognition, as a VLE does on its first page view.
    assert client.vle.course.find_by_vle_id("flow-301") is None
    course = client.vle.course.create("flow-301", "FLOW-301", "Flow course", "2026-03-01T00:00:00Z", None)
    assert client.vle.course.find_by_vle_id("flow-301")["id"] == course["id"]
    activity = client.vle.course.activity.create(course["id"], "quiz", "flow-quiz", "Flow quiz", "A quiz")
    assert client.vle.course.activity.find_by_vle_id(course["id"], "quiz", "flow-quiz")["id"] == activity["id"]
    instrument = client.vle.course.activity.add_instrument(course["id"], activity["id"], FACE_RECOGNITION, True, True,
                                                           options={"online": True})
    assert client.vle.course.activity.find_instrument(course["id"], activity["id"], FACE_RECOGNITION)["id"] == \
        instrument["id"]

    # 3. Enrol the learner (Moodle's POST course/C/learner/; again on every page view: 201 each time).
    for _ in range(2):
        enrolled = http.post(f"{prefix}/course/{course['id']}/learner/",
                             json={"uid": LEARNER_UID, "first_name": "Paula", "last_name": "Mas",
                                   "email": "paula.mas@nou.example"}, headers=module)
        assert (enrolled.status_code, enrolled.json()["id"]) == (201, LEARNER_ID)
    learner_uuid = enrolled.json()["learner_id"]
    assert client.vle.course.learner.find_by_uid(course["id"], LEARNER_UID)["learner_id"] == learner_uuid
    assert enrolled.json()["ic_status"].startswith("NOT_VALID")

    # 4. The course and the activity are the institution API's rows, same ids.
    manager = jwt(http.post("/api/v2/auth/login", json={"email": "manager@tesla.example",
                                                        "password": "tesla-admin"}).json()["token"]["access_token"])
    assert http.get(f"/api/v2/institution/{iid}/course/{course['id']}/", headers=manager).json()["code"] == "FLOW-301"
    assert http.get(f"/api/v2/institution/{iid}/course/{course['id']}/activity/{activity['id']}/",
                    headers=manager).status_code == 200

    # 5. A dashboard launcher (the client's own call), traded for the learner's tokens; the learner accepts the IC.
    launcher = client.vle.get_launcher(LEARNER_UID)
    assert "/ui/auth/launcher?" in launcher["url"]
    pair = http.post("/api/v2/auth/token", json={"id": str(launcher["id"]), "token": launcher["token"]}).json()
    user = jwt(pair["access_token"])
    body = {"vle_activity_type": "quiz", "vle_activity_id": "flow-quiz", "vle_learner_uid": LEARNER_UID, "options": {}}
    no_consent = http.post(f"{prefix}/assessment/", json=body, headers=module)
    assert (no_consent.status_code, no_consent.json()["status"]) == (406, 2)
    version = http.get(f"/api/v2/institution/{iid}/ic/current/", headers=user).json()["version"]
    accepted = http.post(f"/api/v2/institution/{iid}/learner/{LEARNER_ID}/ic/", json={"version": version}, headers=user)
    assert accepted.json()["ic_status"].startswith("VALID")

    # 6. No enrolment yet: 406 status 4; an enrolment sample through the learner API; its status.
    missing = http.post(f"{prefix}/assessment/", json=body, headers=module)
    assert (missing.status_code, missing.json()["status"]) == (406, 4)
    stored = http.post(f"/lapi/v1/enrolment/{iid}/{learner_uuid}/", json=sample(learner_uuid), headers=user)
    assert stored.status_code == 200 and stored.json()["status"] == "OK"
    status = http.post(f"/lapi/v1/status/{iid}/{learner_uuid}/",
                       json={"learner_id": learner_uuid, "samples": [stored.json()["path"]]}, headers=user)
    assert status.json()[0]["status"] == "PENDING"
    assert httpx.post(f"{base}/__admin/clock", json={"advance": "5s"}).status_code == 200  # the emulated workers
    status = http.post(f"/lapi/v1/status/{iid}/{learner_uuid}/",
                       json={"learner_id": learner_uuid, "samples": [stored.json()["path"]]}, headers=user)
    assert status.json()[0]["status"] == "VALID"

    # 7. The assessment session opens; the browser fetches its data and sends a verification sample.
    opened = http.post(f"{prefix}/assessment/", json=body, headers=module)
    assert opened.status_code == 200, opened.text
    session = opened.json()
    data = httpx.get(session["data"]["data"]).json()
    assert (data["session_id"], data["activity"]["id"]) == (session["id"], activity["id"])
    assert httpx.get(session["data"]["connector"]).status_code == 200
    assert media_key(session["data"]["data"]).endswith(".json")
    verification = {"learner_id": learner_uuid, "course_id": course["id"], "activity_id": activity["id"],
                    "session_id": session["id"], "instruments": data["instruments"], "data": "frame",
                    "metadata": {"mimetype": "image/jpeg", "filename": "capture.webplugin", "created_at": NOW,
                                 "context": {}}}
    sent = http.post(f"/lapi/v1/verification/{iid}/{learner_uuid}/", json=verification,
                     headers=jwt(data["token"]["access_token"]))
    assert sent.status_code == 200 and "/sessions/" in sent.json()["path"]
    assert httpx.post(f"{base}/__admin/clock", json={"advance": "5s"}).status_code == 200

    # 8. The request and the report, read back through the VLE API (the client's calls) ...
    requests = client.vle.course.activity.result.list_requests(course["id"], activity["id"], LEARNER_ID)["results"]
    assert len(requests) == 1 and requests[0]["session"] == session["id"]
    reports = client.vle.course.activity.result.list(course["id"], activity["id"])["results"]
    assert [report["learner"]["learner_id"] for report in reports] == [learner_uuid]
    detail = client.vle.course.activity.result.get(course["id"], activity["id"], reports[0]["id"])
    assert detail["detail"][0]["instrument_id"] == FACE_RECOGNITION

    # ... and through the institution API, with the same ids.
    inst = f"/api/v2/institution/{iid}/course/{course['id']}/activity/{activity['id']}/report/"
    assert [row["id"] for row in http.get(inst, headers=manager).json()["results"]] == [reports[0]["id"]]
    inst_requests = http.get(f"{inst}{reports[0]['id']}/request/", headers=manager).json()["results"]
    assert [row["id"] for row in inst_requests] == [requests[0]["id"]]

    # 9. The VLE closes the session (Moodle's D1).
    closed = http.post(f"{prefix}/assessment/", json={"session_id": session["id"], "close": True}, headers=module)
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    assert httpx.post(f"{base}/__admin/clock", json={"reset": True}).status_code == 200
