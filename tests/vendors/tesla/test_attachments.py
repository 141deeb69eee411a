"""TeSLA's activity attachments (§2.7): the learner's instruments that take a document, and documents."""

from __future__ import annotations

import pytest

from tesla_course_support import NO_PERMISSION, NOT_FOUND, login
from tesla_session_support import (NOT_FOUND_PAGE, STAMP, VLE, advance, bearer, freeze, learner_uuid, module_headers,
                               status)

ACTIVITY_INSTRUMENT_KEYS = ["id", "activity", "options", "active", "created_at", "updated_at", "instrument",
                            "alternative_to"]
ACTIVITY_KEYS = ["id", "course", "vle_activity_type", "vle_activity_id", "description", "name", "enabled", "start",
                 "end", "conf", "created_at", "updated_at"]
COURSE_KEYS = ["id", "vle", "enabled", "code", "vle_course_id", "description", "start", "end", "created_at",
               "updated_at"]
DOCUMENT = {"data": "data:application/zip;base64,UEsDBBQAAAAIAA==", "session_id": None, "instruments": [4, 5],
            "metadata": {"mimetype": "application/zip", "filename": "archive.zip",
                         "context": {"type": "assign", "version": "1.0.0", "vle_id": 1},
                         "created_at": "2026-03-02T10:00:00+0100"}}


@pytest.fixture
def client(tesla_client):
    freeze(tesla_client)
    return tesla_client


@pytest.fixture
def module(client):
    return module_headers(client)


def attachment(activity: int, learner: str, course: int = 1) -> str:
    return f"{VLE}/course/{course}/activity/{activity}/attachment/{learner}/"


def test_the_instruments_that_take_a_document(client, module) -> None:
    uuid = learner_uuid(client, 16)
    answer = client.get(attachment(2, uuid), headers=module)
    assert answer.status_code == 200
    items = answer.json()  # a plain array, not a page
    assert [(item["id"], item["instrument"]) for item in items] == [(3, 5), (4, 4)]
    assert list(items[0]) == ACTIVITY_INSTRUMENT_KEYS
    assert list(items[0]["activity"]) == ACTIVITY_KEYS and list(items[0]["activity"]["course"]) == COURSE_KEYS
    assert items[0]["activity"]["course"]["vle"]["type"] == "MOODLE"
    assert (items[0]["options"], items[0]["alternative_to"]) == ({"check_internet": True}, None)
    # Activity 1 watches with face recognition online only: no document wanted (Moodle stops there).
    assert client.get(attachment(1, uuid), headers=module).json() == []
    admin = login(client, "inst-admin@tesla.example")
    changed = client.patch("/api/v2/institution/1/course/1/activity/1/instrument/1/",
                           json={"options": {"online": True, "offline": True}}, headers=admin)
    assert changed.status_code == 200
    assert [item["instrument"] for item in client.get(attachment(1, uuid), headers=module).json()] == [1]


def test_send_alternatives_apply(client, module) -> None:
    """A learner whose SEND switches forensic analysis off gets its active alternative instead."""
    admin = login(client, "inst-admin@tesla.example")
    category = client.post("/api/v2/institution/1/send/", headers=admin, json={
        "description": "No forensic analysis", "data": {"enabled_options": [], "disabled_instruments": [4]}}).json()
    assert client.post("/api/v2/institution/1/learner/16/send/", json={"category": category["id"]},
                       headers=admin).status_code == 201
    alternative = client.post("/api/v2/institution/1/course/1/activity/2/instrument/", headers=admin,
                              json={"instrument_id": 1, "active": True, "alternative_to": 4,
                                    "options": {"offline": True}}).json()
    uuid = learner_uuid(client, 16)
    assert [item["id"] for item in client.get(attachment(2, uuid), headers=module).json()] == [3, alternative["id"]]
    other = learner_uuid(client, 17)
    assert [item["id"] for item in client.get(attachment(2, other), headers=module).json()] == [3, 4]


def test_lookup_errors_of_both_methods(client, module) -> None:
    uuid = learner_uuid(client, 16)
    outsider = learner_uuid(client, 21)  # a NOU learner outside course 1
    for method in ("GET", "POST"):
        def call(path, headers=module):
            return client.request(method, path, headers=headers, json=DOCUMENT)

        assert (call(attachment(2, "abc")).status_code, call(attachment(2, "abc")).json()) == (
            400, "['“abc” is not a valid UUID.']")
        assert call(attachment(2, outsider)).json() == "Learner does not exist"
        assert call(attachment(2, uuid.upper())).status_code == 200  # Django parses any UUID spelling
        assert call(attachment(999, uuid)).json() == NOT_FOUND
        assert call(attachment(4, uuid)).json() == NOT_FOUND  # activity 4 is course 2's
        assert call(attachment(6, uuid, course=5)).json() == NOT_FOUND  # VLE 2's course
        dotted = call(attachment(2, "a.b"))
        assert dotted.status_code == 404 and NOT_FOUND_PAGE in dotted.text
        assert call(attachment(2, uuid), headers={}).json() == NO_PERMISSION
        assert call(attachment(2, uuid).replace("/vle/1/", "/vle/2/")).status_code == 403
    learner = login(client, "oriol.pons@nou.example", "tesla-learner")
    assert client.get(attachment(2, uuid), headers=learner).status_code == 403
    assert client.put(attachment(2, uuid), headers=module, json={}).json() == {"detail": 'Method "PUT" not allowed.'}


def test_documents_are_stored_and_become_requests(client, module) -> None:
    uuid = learner_uuid(client, 16)
    answer = client.post(attachment(2, uuid), json={**DOCUMENT, "session_id": 5, "learner_id": None, "course_id": 9,
                                                    "activity_id": 9, "close_session": False}, headers=module)
    assert (answer.status_code, answer.json()) == (200, {
        "status": "OK", "path": f"1/requests/{uuid}/1/2/documents/{STAMP}_archive.zip"})  # always documents/
    unnamed = client.post(attachment(2, uuid), json={**DOCUMENT, "metadata": {"mimetype": "text/plain"}},
                          headers=module)
    assert unnamed.json()["path"] == f"1/requests/{uuid}/1/2/documents/{STAMP}_None"
    learner = bearer(client.post("/api/v2/auth/login", json={"email": "oriol.pons@nou.example",
                                                             "password": "tesla-learner"}).json()["token"]["access_token"])
    assert status(client, 1, uuid, learner, answer.json()["path"]) == [("PENDING", None)]
    advance(client)
    [(state, info)] = status(client, 1, uuid, learner, unnamed.json()["path"])
    assert state == "VALID"
    # A session id that names no session: the task fails upstream and the document stays pending.
    assert status(client, 1, uuid, learner, answer.json()["path"]) == [("PENDING", None)]
    manager = login(client, "manager@tesla.example")
    reports = client.get("/api/v2/institution/1/course/1/activity/2/report/?learner__email=oriol.pons@nou.example",
                         headers=manager).json()["results"]
    # Learner 16 has no forensic-analysis model: that result is 5 (Missing Enrolment), the
    # request 4 (Error); anti-plagiarism needs none and is processed (1). Only it is reported.
    assert [item["instrument"] for item in reports[0]["detail"]] == ["Anti-Plagiarism"]
    requests = client.get(f"/api/v2/institution/1/course/1/activity/2/report/{reports[0]['id']}/request/",
                          headers=manager).json()["results"]
    assert [(row["id"], row["session"], row["status"], row["instruments"]) for row in requests] == [
        (info["request_id"], None, 4, [4, 5])]
    assert [(item["instrument"], item["status"]) for item in requests[0]["result"]] == [(4, 5), (5, 1)]


def test_document_body_errors(client, module) -> None:
    uuid = learner_uuid(client, 16)
    cases = [
        ({}, {"data": ["This field is required."], "instruments": ["This field is required."],
              "metadata": ["This field is required."]}),
        ({**DOCUMENT, "learner_id": "x", "close_at": None, "close_session": "no"},
         {"learner_id": ["Must be a valid UUID."], "close_at": ["This field may not be null."],
          "close_session": ["Must be a valid boolean."]}),
        ({**DOCUMENT, "close_at": "soon"}, {"close_at": ["Datetime has wrong format. Use one of these formats instead: "
                                                          "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}),
        ("x", {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}),
    ]
    for body, errors in cases:
        answer = client.post(attachment(2, uuid), json=body, headers=module)
        assert (answer.status_code, answer.json()) == (400, {"status": "ERROR", "errors": errors}), body
    assert client.post(attachment(2, uuid), json={**DOCUMENT, "close_at": "2026-03-02 11:00"},
                       headers=module).status_code == 200
