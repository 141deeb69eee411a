"""TeSLA CE VLE API: the VLE, instruments, courses, activities, activity instruments and what a VLE
reads back (reports, requests, activity learners): shapes, filters, uniqueness, cascades, and the
same rows as the institution API in both directions."""

from __future__ import annotations

import pytest

from tesla_course_support import NOT_FOUND, login
from tesla_support import SEED, ids_where, next_id
from tesla_vle_support import VLE, module_login, page_ids

INSTITUTION = "/api/v2/institution/1"
COURSE_KEYS = ["id", "vle", "enabled", "code", "vle_course_id", "description", "start", "end", "created_at",
               "updated_at"]
ACTIVITY_KEYS = ["id", "course", "vle_activity_type", "vle_activity_id", "description", "name", "enabled", "start",
                 "end", "conf", "created_at", "updated_at"]
VLE_COURSES = ids_where("courses", vle=1)
ALL_COURSES = sorted(c["id"] for c in SEED["courses"])


@pytest.fixture
def client(tesla_client):
    return tesla_client


@pytest.fixture
def module(client):
    return module_login(client)


def test_the_vle_and_its_instruments(client, module) -> None:
    vle = client.get(f"{VLE}/", headers=module).json()
    assert list(vle) == ["id", "type", "institution", "name", "url", "client_id"]
    assert (vle["id"], vle["type"], vle["name"], vle["institution"]["acronym"]) == (1, "MOODLE", "NOU Moodle", "NOU")
    enabled = sorted(r["id"] for r in SEED["instruments"] if r.get("enabled", True))
    assert page_ids(client, f"{VLE}/instrument/?limit=100", module) == enabled
    instrument = client.get(f"{VLE}/instrument/1/", headers=module).json()
    assert list(instrument) == ["id", "name", "acronym", "queue", "enabled", "requires_enrolment", "description",
                                "identity", "originality", "authorship", "integrity", "options_schema",
                                "created_at", "updated_at"]
    assert isinstance(instrument["options_schema"], str) and '"online"' in instrument["options_schema"]
    disabled = ids_where("instruments", enabled=False)
    assert disabled and client.get(f"{VLE}/instrument/{disabled[0]}/", headers=module).json() == NOT_FOUND


def test_course_list_is_every_vles_courses_with_exact_filters(client, module) -> None:
    assert page_ids(client, f"{VLE}/course/?limit=1000", module) == ALL_COURSES  # the VLE filter never applies
    course = client.get(f"{VLE}/course/?vle_course_id=2", headers=module).json()["results"]
    assert [c["id"] for c in course] == [1] and list(course[0]) == COURSE_KEYS
    assert course[0]["vle"] == client.get(f"{VLE}/", headers=module).json()
    assert page_ids(client, f"{VLE}/course/?vle_course_id=02", module) == []  # an exact text comparison
    shared = client.get(f"{VLE}/course/?vle_course_id=11&limit=100", headers=module).json()
    assert sorted(c["vle"]["id"] for c in shared["results"]) == [1, 2]  # both VLEs number a course 11
    assert page_ids(client, f"{VLE}/course/?vle=2&limit=100", module) == ids_where("courses", vle=2)
    assert page_ids(client, f"{VLE}/course/?code=NOU-PSY101-2024", module) == [1]
    bad = client.get(f"{VLE}/course/?vle=99", headers=module)
    assert (bad.status_code, bad.json()) == (
        400, {"vle": ["Select a valid choice. That choice is not one of the available choices."]})
    psychology = [c["id"] for c in SEED["courses"] if "psychology" in (c.get("description") or "").lower()]
    assert 1 in psychology and page_ids(client, f"{VLE}/course/?search=psychology&limit=100", module) == psychology
    assert client.get(f"{VLE}/course/1/", headers=module).json()["enabled"] is True


def test_course_create_update_delete_and_the_institution_view(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    body = {"code": " MDL-1 ", "vle": 2, "vle_course_id": 9001, "description": "Moodle course", "parent": None,
            "start": "2026-09-01T08:00:00", "end": None, "enabled": True, "id": 5}
    response = client.post(f"{VLE}/course/", json=body, headers=module)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"] == next_id("courses")
    assert (created["code"], created["vle_course_id"], created["vle"]["id"]) == ("MDL-1", "9001", 1)
    assert (created["start"], created["enabled"]) == ("2026-09-01T08:00:00Z", False)
    seen = client.get(f"{INSTITUTION}/course/{created['id']}/", headers=ia).json()
    assert (seen["vle_course_id"], seen["code"], seen["vle"]["id"]) == ("9001", "MDL-1", 1)
    duplicate = client.post(f"{VLE}/course/", json={"code": "x", "vle_course_id": "9001"}, headers=module)
    assert (duplicate.status_code, duplicate.json()) == (
        400, {"non_field_errors": ["The fields vle_id, vle_course_id must make a unique set."]})
    put = client.put(f"{VLE}/course/{created['id']}/", json={"code": "MDL-2", "vle_course_id": "9001"}, headers=module)
    assert (put.status_code, put.json()["code"], put.json()["description"]) == (200, "MDL-2", "Moodle course")
    assert client.patch(f"{VLE}/course/{created['id']}/", json={"description": None}, headers=module).json()[
        "description"] is None
    assert client.delete(f"{VLE}/course/{created['id']}/", headers=module).status_code == 204
    assert client.get(f"{INSTITUTION}/course/{created['id']}/", headers=ia).json() == NOT_FOUND
    assert client.get(f"{VLE}/course/{created['id']}/", headers=module).json() == NOT_FOUND


def test_course_field_errors_change_nothing(client, module) -> None:
    cases = [
        ({}, {"code": ["This field is required."], "vle_course_id": ["This field is required."]}),
        ({"code": "x" * 251, "vle_course_id": True}, {"code": ["Ensure this field has no more than 250 characters."],
                                                      "vle_course_id": ["Not a valid string."]}),
        ({"code": "x", "vle_course_id": "1", "start": "tomorrow"}, {"start": [
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}),
        ({"code": "x", "vle_course_id": "2"}, {"non_field_errors": [
            "The fields vle_id, vle_course_id must make a unique set."]}),
    ]
    for body, errors in cases:
        response = client.post(f"{VLE}/course/", json=body, headers=module)
        assert (response.status_code, response.json()) == (400, errors), body
    assert client.put(f"{VLE}/course/1/", json={"code": "x"}, headers=module).json() == {
        "vle_course_id": ["This field is required."]}
    assert client.patch(f"{VLE}/course/1/", json={"vle_course_id": "3"}, headers=module).json() == {
        "non_field_errors": ["The fields vle_id, vle_course_id must make a unique set."]}
    assert client.get(f"{VLE}/course/?limit=1000", headers=module).json()["count"] == len(ALL_COURSES)
    assert client.get(f"{VLE}/course/1/", headers=module).json()["code"] == "NOU-PSY101-2024"


def test_a_write_through_a_vle_stores_that_vle(client, module) -> None:
    """Another VLE's course can be read and written (the real lookup ignores the VLE): it moves."""
    taken = {c["vle_course_id"] for c in SEED["courses"] if c["vle"] == 1}
    free, clashing = ([c["id"] for c in SEED["courses"] if c["vle"] == 2 and (c["vle_course_id"] in taken) is clash]
                      for clash in (False, True))
    moved = client.patch(f"{VLE}/course/{free[0]}/", json={}, headers=module).json()
    assert moved["vle"]["id"] == 1
    refused = client.patch(f"{VLE}/course/{clashing[0]}/", json={}, headers=module)
    assert refused.json() == {"non_field_errors": ["The fields vle_id, vle_course_id must make a unique set."]}


def test_activities_scoped_to_the_vle_and_course(client, module) -> None:
    activities = [a["id"] for a in SEED["activities"] if a["course"] == 1]
    assert page_ids(client, f"{VLE}/course/1/activity/", module) == activities
    found = client.get(f"{VLE}/course/1/activity/?vle_activity_id=17&vle_activity_type=quiz", headers=module).json()
    assert (found["count"], list(found["results"][0]), found["results"][0]["course"]["id"]) == (1, ACTIVITY_KEYS, 1)
    assert page_ids(client, f"{VLE}/course/1/activity/?vle_activity_id=17&vle_activity_type=assign", module) == []
    assert page_ids(client, f"{VLE}/course/2/activity/?vle_activity_id=17", module) == []
    assert page_ids(client, f"{VLE}/course/999/activity/", module) == []  # an unknown course: an empty page
    cit_course = ids_where("courses", vle=2)[0]
    assert page_ids(client, f"{VLE}/course/{cit_course}/activity/", module) == []  # VLE 2's activities
    assert client.get(f"{VLE}/course/2/activity/1/", headers=module).json() == NOT_FOUND
    assert client.get(f"{VLE}/course/1/activity/?course_id=abc", headers=module).status_code == 400


def test_activity_create_update_delete_and_uniqueness(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    body = {"vle_activity_type": "quiz", "vle_activity_id": 4242, "name": "Quiz", "description": None,
            "enabled": True, "start": None, "end": None, "conf": '{"a": 1}', "vle_id": 2, "code": "ignored"}
    response = client.post(f"{VLE}/course/2/activity/", json=body, headers=module)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["id"], created["vle_activity_id"], created["enabled"]) == (next_id("activities"), "4242", True)
    assert created["course"]["enabled"] is True and created["conf"] == '{"a": 1}'
    seen = client.get(f"{INSTITUTION}/course/2/activity/{created['id']}/", headers=ia).json()
    assert (seen["vle_id"], seen["course_id"], seen["vle_activity_id"]) == (1, 2, "4242")
    unique = {"non_field_errors": ["The fields vle_id, vle_activity_type, vle_activity_id must make a unique set."]}
    for course in (2, 3):  # unique across the VLE's courses
        again = client.post(f"{VLE}/course/{course}/activity/", json={"vle_activity_type": "quiz",
                                                                     "vle_activity_id": "4242"}, headers=module)
        assert (again.status_code, again.json()) == (400, unique)
    assert client.post(f"{VLE}/course/2/activity/", json={"vle_activity_type": "quiz", "vle_activity_id": "1",
                                                           "conf": {"a": 1}}, headers=module).json() == {
        "conf": ["Not a valid string."]}
    unknown = client.post(f"{VLE}/course/999/activity/", json={"vle_activity_type": "q", "vle_activity_id": "1"},
                          headers=module)
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    patched = client.patch(f"{VLE}/course/2/activity/{created['id']}/",
                           json={"vle_id": 1, "vle_activity_type": "quiz", "vle_activity_id": "4242", "enabled": False},
                           headers=module)
    assert (patched.status_code, patched.json()["enabled"], patched.json()["name"]) == (200, False, "Quiz")
    assert client.put(f"{VLE}/course/2/activity/{created['id']}/", json={"vle_activity_type": "quiz"},
                      headers=module).json() == {"vle_activity_id": ["This field is required."]}
    assert client.put(f"{VLE}/course/3/activity/{created['id']}/", json={"vle_activity_type": "quiz",
                                                                          "vle_activity_id": "1"},
                      headers=module).json() == NOT_FOUND  # the lookup is scoped to the path's course
    clash = client.patch(f"{VLE}/course/2/activity/{created['id']}/", json={"vle_activity_id": "17"}, headers=module)
    assert (clash.status_code, clash.json()) == (400, unique)  # activity 1 (course 1) is quiz 17
    assert client.delete(f"{VLE}/course/2/activity/{created['id']}/", headers=module).status_code == 204
    assert client.get(f"{INSTITUTION}/course/2/activity/{created['id']}/", headers=ia).json() == NOT_FOUND


def test_institution_writes_show_through_the_vle_api(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    assert client.patch(f"{INSTITUTION}/course/1/activity/3/", json={"conf": "x", "enabled": True},
                        headers=ia).status_code == 200
    seen = client.get(f"{VLE}/course/1/activity/3/", headers=module).json()
    assert (seen["conf"], seen["enabled"]) == ("x", True)
    added = client.post(f"{INSTITUTION}/course/1/activity/3/instrument/", json={"instrument_id": 4, "active": True},
                        headers=ia).json()
    assert client.get(f"{VLE}/course/1/activity/3/instrument/{added['id']}/", headers=module).json()["instrument"] == 4
    assert client.delete(f"{INSTITUTION}/course/1/activity/3/", headers=ia).status_code == 204
    assert client.get(f"{VLE}/course/1/activity/3/", headers=module).json() == NOT_FOUND


def test_course_delete_cascades_but_people_stay(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    activities = [a["id"] for a in SEED["activities"] if a["course"] == 1]
    reports = [r["id"] for r in SEED["reports"] if r["activity"] in activities]
    assert reports and client.delete(f"{VLE}/course/1/", headers=module).status_code == 204
    for activity in activities:
        assert client.get(f"{VLE}/course/1/activity/{activity}/", headers=module).json() == NOT_FOUND
        assert page_ids(client, f"{VLE}/course/1/activity/{activity}/instrument/", module) == []
        assert page_ids(client, f"{VLE}/course/1/activity/{activity}/learner/9/request/", module) == []
    learners = next(c for c in SEED["courses"] if c["id"] == 1)["learners"]
    for person in learners:
        assert client.get(f"{INSTITUTION}/learner/{person}/", headers=ia).status_code == 200
    assert client.get(f"{INSTITUTION}/instructor/7/", headers=ia).status_code == 200


def test_activity_instruments(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    expected = [r["id"] for r in SEED["activity_instruments"] if r["activity"] == 1]
    assert page_ids(client, f"{VLE}/course/1/activity/1/instrument/", module) == expected
    assert page_ids(client, f"{VLE}/course/99/activity/1/instrument/", module) == expected  # V and C not checked
    assert page_ids(client, f"{VLE}/course/1/activity/1/instrument/?instrument_id=2", module) == [2]
    row = client.get(f"{VLE}/course/1/activity/1/instrument/1/", headers=module).json()
    assert list(row) == ["id", "activity", "options", "active", "created_at", "updated_at", "instrument",
                         "alternative_to"]
    assert (row["options"], row["instrument"], row["alternative_to"], row["activity"]["id"]) == (
        {"online": True}, 1, None, 1)
    body = {"instrument": 4, "active": True, "required": True, "options": '{"offline": true}', "alternative_to": None}
    created = client.post(f"{VLE}/course/1/activity/1/instrument/", json=body, headers=module)
    assert created.status_code == 201, created.text
    assert (created.json()["options"], created.json()["instrument"]) == ({"offline": True}, 4)
    seen = client.get(f"{INSTITUTION}/course/1/activity/1/instrument/{created.json()['id']}/", headers=ia).json()
    assert (seen["instrument"]["id"], seen["options"]) == (4, {"offline": True})
    cases = [
        ({}, {"options": ["This field is required."], "active": ["This field is required."],
              "instrument": ["This field is required."]}),
        ({"instrument": 999, "active": True, "options": None}, {"instrument": ['Invalid pk "999" - object does not exist.']}),
        ({"instrument": "fr", "active": True, "options": "not json"}, {
            "options": ["Value must be valid JSON."], "instrument": ["Incorrect type. Expected pk value, received str."]}),
        ({"instrument": 4, "active": True, "options": None}, {"non_field_errors": [
            "The fields activity_id, instrument must make a unique set."]}),
        ({"instrument": 5, "active": True, "options": None, "alternative_to": 3}, {
            "alternative_to": ['Invalid pk "3" - object does not exist.']}),
    ]
    for body, errors in cases:
        response = client.post(f"{VLE}/course/1/activity/1/instrument/", json=body, headers=module)
        assert (response.status_code, response.json()) == (400, errors), body
    unknown = client.post(f"{VLE}/course/1/activity/99999/instrument/", json={"instrument": 4, "active": True,
                                                                              "options": None}, headers=module)
    assert unknown.json() == NOT_FOUND
    put = client.put(f"{VLE}/course/1/activity/1/instrument/{created.json()['id']}/",
                     json={"instrument": 4, "active": False, "options": {"offline": False}}, headers=module)
    assert (put.status_code, put.json()["active"], put.json()["options"]) == (200, False, {"offline": False})
    # Deleting a primary instrument takes its alternatives (activity instrument 2 is 1's alternative).
    assert client.delete(f"{VLE}/course/1/activity/1/instrument/1/", headers=module).status_code == 204
    assert client.get(f"{VLE}/course/1/activity/1/instrument/2/", headers=module).json() == NOT_FOUND


def test_reports_requests_and_the_activity_learner_quirk(client, module) -> None:
    reports = [r["id"] for r in SEED["reports"] if r["activity"] == 1]
    assert page_ids(client, f"{VLE}/course/1/activity/1/report/", module) == reports
    assert page_ids(client, f"{VLE}/course/2/activity/1/report/", module) == []  # scoped by the path's course
    detail = client.get(f"{VLE}/course/1/activity/1/report/{reports[0]}/", headers=module).json()
    assert list(detail) == ["id", "learner", "detail", "identity_level", "content_level", "integrity_level"]
    assert list(detail["detail"][0]) == [
        "instrument", "enrolment", "confidence", "result", "identity_level", "instrument_acronym", "content_level",
        "integrity_level", "learner_histogram", "activity_histogram", "instrument_id", "instrument_polarity",
        "result_bean", "thresholds", "prob_learner", "prob_context", "h_prob_learner", "h_prob_context"]
    pending = [r["id"] for r in SEED["reports"] if any(i.get("learner_histogram") is None for i in r["detail"])]
    pending_activity = next(r["activity"] for r in SEED["reports"] if r["id"] == pending[0])
    pending_course = next(a["course"] for a in SEED["activities"] if a["id"] == pending_activity)
    assert client.get(f"{VLE}/course/{pending_course}/activity/{pending_activity}/report/{pending[0]}/",
                      headers=module).json() == NOT_FOUND
    learner = detail["learner"]["id"]
    requests = sorted((r["id"] for r in SEED["report_requests"] if r["activity"] == 1 and r["learner"] == learner),
                      reverse=True)
    assert page_ids(client, f"{VLE}/course/1/activity/1/learner/{learner}/request/", module) == requests
    assert page_ids(client, f"{VLE}/course/7/activity/1/learner/{learner}/request/", module) == requests
    one = client.get(f"{VLE}/course/1/activity/1/learner/{learner}/request/{requests[0]}/", headers=module).json()
    assert one["id"] == requests[0] and one["data"].startswith("http://testserver/media/")
    uuid = detail["learner"]["learner_id"]
    assert client.get(f"{VLE}/course/1/activity/1/learner/{uuid}/request/", headers=module).json() == NOT_FOUND
    with_first = [r["id"] for r in SEED["report_requests"] if r["activity"] == 1 and 1 in r["instruments"]]
    assert set(page_ids(client, f"{VLE}/course/1/activity/1/learner/{learner}/request/?instruments=1", module)) <= set(
        with_first)
    # Upstream lists the learners with a request on activity 1, whatever the path names.
    on_first = sorted({r["learner"] for r in SEED["report_requests"] if r["activity"] == 1})
    for activity in (1, 2, 4):
        assert page_ids(client, f"{VLE}/course/1/activity/{activity}/learner/?limit=100", module) == on_first
    person = client.get(f"{VLE}/course/5/activity/99/learner/{on_first[0]}/", headers=module).json()
    assert list(person) == ["id", "first_name", "last_name", "email", "uid", "institution_id", "learner_id"]
    assert client.get(f"{VLE}/course/1/activity/1/learner/7/", headers=module).json() == NOT_FOUND


def test_search_crashes_only_with_quirks(client, module, make_client) -> None:
    assert client.get(f"{VLE}/course/1/activity/?search=midterm", headers=module).status_code == 200
    quirky = make_client(vendor="tesla", quirks=True)
    headers = module_login(quirky)
    for path in ("course/?search=psy", "course/1/activity/?search=quiz", "course/1/activity/1/instrument/?search=1",
                 "course/1/activity/1/learner/9/request/?search=1", "course/1/activity/1/report/?search=x"):
        response = quirky.get(f"{VLE}/{path}", headers=headers)
        assert (response.status_code, response.content) == (500, b"Error processing the request."), path
    assert quirky.get(f"{VLE}/course/?search=", headers=headers).status_code == 200  # no term, no crash
    assert quirky.get(f"{VLE}/course/1/learner/?search=laia", headers=headers).status_code == 200
    unknown = quirky.post(f"{VLE}/course/999/activity/", json={"vle_activity_type": "q", "vle_activity_id": "1"},
                          headers=headers)
    assert unknown.status_code == 500
    assert quirky.get(f"{VLE}/course/1/activity/1/learner/abc/request/", headers=headers).status_code == 500
    assert quirky.post(f"{VLE}/course/1/activity/1/instrument/", json={"instrument": 4, "active": True,
                                                                       "options": "x"}, headers=headers).status_code == 500


def test_options_keep_an_integer_past_64_bits_as_sent(client, module) -> None:
    """DRF's JSONField stores any JSON number and echoes it; a 500 once answered this
    (orjson writes no integer past 64 bits: mockserver/core/bodies.py falls back)."""
    body = b'{"instrument": 5, "active": true, "options": {"big": 797778501472218525990912, "name": "\xc3\xa9"}}'
    created = client.post(f"{VLE}/course/1/activity/1/instrument/", content=body,
                          headers={**module, "Content-Type": "application/json"})
    assert created.status_code == 201, created.text
    assert b'"options":{"big":797778501472218525990912,"name":"\xc3\xa9"}' in created.content
    row = client.get(f"{VLE}/course/1/activity/1/instrument/{created.json()['id']}/", headers=module)
    assert row.json()["options"] == {"big": 797778501472218525990912, "name": "é"}
