"""TeSLA CE VLE API: a course's learners and instructors (enrol by uid with the institution's
creation flags, 201 every time, one id per person across the APIs, DELETE only unenrols), and the
Moodle plugin's call sequences A (course sync) and B (any page of a course)."""

from __future__ import annotations

import pytest

from tesla_course_support import NOT_FOUND, login
from tesla_support import NEXT_USER_ID, SEED
from tesla_vle_support import VLE, module_login, page_ids

INSTITUTION = "/api/v2/institution/1"
LEARNER_KEYS = ["id", "username", "consent", "consent_accepted", "consent_rejected", "learner_id", "last_login",
                "send", "ic_status", "enrolment_status", "first_name", "last_name", "email", "locale", "created_at",
                "updated_at", "uid", "inst_admin", "legal_admin", "send_admin", "data_admin", "joined_at"]
COURSE_1 = next(c for c in SEED["courses"] if c["id"] == 1)
NEW = {"uid": "ada@nou.example", "first_name": "Ada", "last_name": "Serra", "email": "ada@nou.example"}


@pytest.fixture
def client(tesla_client):
    return tesla_client


@pytest.fixture
def module(client):
    return module_login(client)


def test_lists_and_details(client, module) -> None:
    assert page_ids(client, f"{VLE}/course/1/learner/?limit=100", module) == sorted(COURSE_1["learners"])
    assert page_ids(client, f"{VLE}/course/1/instructor/", module) == COURSE_1["instructors"]
    learner = client.get(f"{VLE}/course/1/learner/16/", headers=module).json()
    assert list(learner) == LEARNER_KEYS
    assert learner["email"] == "oriol.pons@nou.example"
    by_uid = client.get(f"{VLE}/course/1/learner/?uid={learner['uid']}", headers=module).json()
    assert [row["id"] for row in by_uid["results"]] == [16]
    assert page_ids(client, f"{VLE}/course/1/learner/?learner_id={learner['learner_id']}", module) == [16]
    assert page_ids(client, f"{VLE}/course/1/learner/?lerner_id=nothing&limit=100", module) == sorted(
        COURSE_1["learners"])  # tesla-ce-client's typo: an unknown parameter, ignored
    instructor = client.get(f"{VLE}/course/1/instructor/7/", headers=module).json()
    assert list(instructor) == ["id", "username", "last_login", "first_name", "last_name", "email", "locale",
                                "created_at", "updated_at", "uid", "inst_admin", "legal_admin", "send_admin",
                                "data_admin"]
    assert client.get(f"{VLE}/course/1/learner/7/", headers=module).json() == NOT_FOUND  # not a learner of it
    assert client.get(f"{VLE}/course/99999/learner/", headers=module).json() == NOT_FOUND
    assert client.get(f"{VLE}/course/99999/instructor/7/", headers=module).json() == NOT_FOUND


def test_enrol_creates_once_and_answers_201_every_time(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    first = client.post(f"{VLE}/course/1/learner/", json={**NEW, "username": "ignored", "institution": 2,
                                                          "inst_admin": True}, headers=module)
    assert first.status_code == 201, first.text
    person = first.json()
    assert (person["id"], person["username"], person["uid"], person["inst_admin"]) == (
        NEXT_USER_ID, "ada@nou.example", "ada@nou.example", True)
    assert (person["ic_status"], person["consent"], person["enrolment_status"]) == ("NOT_VALID_MISSING", None, [])
    again = client.post(f"{VLE}/course/1/learner/", json={"uid": NEW["uid"]}, headers=module)
    assert (again.status_code, again.json()["id"]) == (201, person["id"])
    # The same person everywhere: the institution's learner, user and course learner routes.
    assert client.get(f"{INSTITUTION}/learner/{person['id']}/", headers=ia).json()["learner_id"] == person["learner_id"]
    assert client.get(f"{INSTITUTION}/user/{person['id']}/", headers=ia).json()["email"] == NEW["email"]
    assert person["id"] in page_ids(client, f"{INSTITUTION}/course/1/learner/?limit=100", ia)
    # The same uid as an instructor of the course: the same id, now with both roles.
    teacher = client.post(f"{VLE}/course/1/instructor/", json={"uid": NEW["uid"]}, headers=module)
    assert (teacher.status_code, teacher.json()["id"]) == (201, person["id"])
    assert page_ids(client, f"{INSTITUTION}/course/1/instructor/", ia) == sorted([*COURSE_1["instructors"], person["id"]])
    # An existing learner of another course is enrolled as it is (its fields are not touched).
    moved = client.post(f"{VLE}/course/2/learner/", json={"uid": person["uid"], "first_name": "Other"}, headers=module)
    assert (moved.status_code, moved.json()["first_name"]) == (201, "Ada")


def test_enrol_promotes_an_institution_user(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    member = client.get(f"{INSTITUTION}/user/?username=member", headers=ia).json()["results"][0]
    learner = client.post(f"{VLE}/course/1/learner/", json={"uid": member["uid"]}, headers=module)
    assert (learner.status_code, learner.json()["id"]) == (201, member["id"])
    assert client.get(f"{INSTITUTION}/learner/{member['id']}/", headers=ia).status_code == 200
    instructor = client.post(f"{VLE}/course/1/instructor/", json={"uid": member["uid"]}, headers=module)
    assert (instructor.status_code, instructor.json()["id"]) == (201, member["id"])
    assert client.get(f"{INSTITUTION}/instructor/{member['id']}/", headers=ia).status_code == 200


@pytest.mark.parametrize(("flag", "role", "uid", "detail"), [
    ("disable_vle_learner_creation", "learner", "nobody", "Learner not found"),
    ("disable_vle_instructor_creation", "instructor", "nobody", "Instructor not found"),
    ("disable_vle_user_creation", "learner", "nobody", "User not found"),
    ("disable_vle_user_creation", "instructor", "nobody", "User not found"),
])
def test_the_institution_flags(client, module, flag: str, role: str, uid: str, detail: str) -> None:
    ia = login(client, "inst-admin@tesla.example")
    assert client.patch(f"{INSTITUTION}/", json={flag: True}, headers=ia).status_code == 200
    response = client.post(f"{VLE}/course/1/{role}/", json={**NEW, "uid": uid}, headers=module)
    assert (response.status_code, response.json()) == (404, {"detail": detail})
    # An existing learner of the institution is still enrolled.
    enrolled = client.post(f"{VLE}/course/2/learner/", json={"uid": client.get(f"{VLE}/course/1/learner/16/",
                                                                               headers=module).json()["uid"]},
                           headers=module)
    assert enrolled.status_code == 201


def test_disable_learner_creation_comes_before_promotion(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    client.patch(f"{INSTITUTION}/", json={"disable_vle_learner_creation": True}, headers=ia)
    instructor = client.get(f"{INSTITUTION}/instructor/7/", headers=ia).json()
    refused = client.post(f"{VLE}/course/1/learner/", json={"uid": instructor["uid"]}, headers=module)
    assert (refused.status_code, refused.json()) == (404, {"detail": "Learner not found"})


def test_enrol_errors_change_nothing(client, module) -> None:
    cases = [
        ({}, 400, {"uid": ["This field is required."]}),
        ({"uid": " ", "email": "x"}, 400, {"email": ["Enter a valid email address."],
                                           "uid": ["This field may not be blank."]}),
        ({"uid": "new-1"}, 400, {"non_field_errors": [
            "Learner does not exist and information to create it is not provided"]}),
        ({"uid": "new-1", "first_name": "A", "last_name": "B", "email": "yuki.tanaka@cit.example"}, 400,
         {"email": ["This field must be unique."]}),  # a person of another institution
        ({"uid": "new-2", "first_name": "A", "last_name": "B", "email": "a" * 140 + "@nou.example"}, 400,
         {"email": ["Ensure this field has no more than 150 characters."]}),  # it would be the username
    ]
    for body, status, answer in cases:
        response = client.post(f"{VLE}/course/1/learner/", json=body, headers=module)
        assert (response.status_code, response.json()) == (status, answer), body
    assert client.post(f"{VLE}/course/1/instructor/", json={"uid": "new-1"}, headers=module).json() == {
        "non_field_errors": ["Instructor does not exist and information to create it is not provided"]}
    unknown = client.post(f"{VLE}/course/99999/learner/", json=NEW, headers=module)
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Course not found"})
    assert page_ids(client, f"{VLE}/course/1/learner/?limit=100", module) == sorted(COURSE_1["learners"])
    assert client.get(f"{VLE}/course/1/learner/?uid=new-1", headers=module).json()["count"] == 0


def test_an_institution_person_with_the_email_is_reused(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    member = client.get(f"{INSTITUTION}/user/?username=member", headers=ia).json()["results"][0]
    body = {"uid": member["email"], "first_name": "M", "last_name": "M", "email": member["email"]}
    response = client.post(f"{VLE}/course/1/learner/", json=body, headers=module)
    assert (response.status_code, response.json()["id"], response.json()["uid"]) == (201, member["id"], member["uid"])


def test_update_and_unenrol(client, module) -> None:
    ia = login(client, "inst-admin@tesla.example")
    patched = client.patch(f"{VLE}/course/1/learner/16/", json={"uid": "nou-new-16", "locale": "es"}, headers=module)
    assert (patched.status_code, patched.json()["uid"], patched.json()["locale"]) == (200, "nou-new-16", "es")
    assert client.get(f"{INSTITUTION}/learner/16/", headers=ia).json()["uid"] == "nou-new-16"
    assert client.patch(f"{VLE}/course/1/learner/16/", json={"locale": "ca"}, headers=module).json() == {
        "uid": ["This field is required."]}
    assert client.put(f"{VLE}/course/1/learner/16/", json={"uid": "nou-new-16"}, headers=module).json() == {
        "first_name": ["This field is required."], "last_name": ["This field is required."],
        "email": ["This field is required."]}
    other_uid = client.get(f"{VLE}/course/1/learner/17/", headers=module).json()["uid"]
    assert client.patch(f"{VLE}/course/1/learner/16/", json={"uid": other_uid}, headers=module).json() == {
        "non_field_errors": ["The fields institution_id, uid must make a unique set."]}
    assert client.delete(f"{VLE}/course/1/learner/16/", headers=module).status_code == 204
    assert client.get(f"{VLE}/course/1/learner/16/", headers=module).json() == NOT_FOUND
    assert client.get(f"{INSTITUTION}/learner/16/", headers=ia).status_code == 200  # the person stays
    assert 16 not in page_ids(client, f"{INSTITUTION}/course/1/learner/?limit=100", ia)
    assert client.delete(f"{VLE}/course/1/instructor/7/", headers=module).status_code == 204
    assert page_ids(client, f"{VLE}/course/1/instructor/", module) == []
    assert client.get(f"{INSTITUTION}/instructor/7/", headers=ia).status_code == 200


def test_people_crashes_with_quirks(make_client) -> None:
    quirky = make_client(vendor="tesla", quirks=True)
    headers = module_login(quirky)
    for method, path, body in (("GET", "course/99999/learner/", None), ("GET", "course/99999/instructor/", None),
                               ("PATCH", "course/1/learner/16/", {"locale": "ca"}),
                               ("PUT", "course/1/instructor/7/", {"uid": "x"})):
        response = quirky.request(method, f"{VLE}/{path}", json=body, headers=headers)
        assert (response.status_code, response.content) == (500, b"Error processing the request."), path
    assert quirky.get(f"{VLE}/course/1/learner/16/", headers=headers).json()["locale"] != "ca"


# -- the Moodle plugin's call sequences (tesla-vle.md §4) -------------------------------------------

def moodle_body(course_id: int, shortname: str, fullname: str) -> dict:
    """What `tesla_course` sends: PHP ints, `vle`, and `parent` (both ignored)."""
    return {"code": shortname, "vle": 1, "vle_course_id": course_id, "description": fullname, "start": None,
            "end": None, "parent": None}


def test_moodle_sequence_a_course_sync(client, module) -> None:
    """A course created in Moodle is POSTed; a later update finds it and PUTs it."""
    found = client.get(f"{VLE}/course/?vle_course_id=7001", headers=module)
    assert (found.status_code, found.json()["results"]) == (200, [])
    created = client.post(f"{VLE}/course/", json=moodle_body(7001, "HIST", "History"), headers=module)
    assert created.status_code == 201
    found = client.get(f"{VLE}/course/?vle_course_id=7001", headers=module).json()["results"]
    assert [row["id"] for row in found] == [created.json()["id"]]
    updated = client.put(f"{VLE}/course/{found[0]['id']}/", json={**moodle_body(7001, "HIST", "World History"),
                                                                  "start": "2026-09-01T08:00:00Z"}, headers=module)
    assert (updated.status_code, updated.json()["description"], updated.json()["start"]) == (
        200, "World History", "2026-09-01T08:00:00Z")


def test_moodle_sequence_b_any_page(client, module) -> None:
    """Every page view: find (or create) the course, enrol the user, look the activity up without the
    slash (PHP follows the 301), then read the learner by uid for the IC check."""
    for _ in range(2):  # a second page view repeats every call and gets the same answers
        page = client.get(f"{VLE}/course/?vle_course_id=7002", headers=module).json()
        if page["count"] == 0:
            course_id = client.post(f"{VLE}/course/", json=moodle_body(7002, "ART", "Art"), headers=module).json()["id"]
        else:
            course_id = page["results"][0]["id"]
        teacher = {"uid": "teacher@nou.example", "first_name": "T", "last_name": "E", "email": "teacher@nou.example"}
        assert client.post(f"{VLE}/course/{course_id}/instructor/", json=teacher, headers=module).status_code == 201
        student = {"uid": "student@nou.example", "first_name": "S", "last_name": "T", "email": "student@nou.example"}
        assert client.post(f"{VLE}/course/{course_id}/learner/", json=student, headers=module).status_code == 201
    assert client.get(f"{VLE}/course/?vle_course_id=7002", headers=module).json()["count"] == 1
    assert len(page_ids(client, f"{VLE}/course/{course_id}/learner/", module)) == 1
    client.post(f"{VLE}/course/{course_id}/activity/", json={"vle_activity_type": "quiz", "vle_activity_id": 31337,
                                                             "enabled": True}, headers=module)
    lookup = f"{VLE}/course/{course_id}/activity?vle_activity_id=31337&vle_activity_type=quiz"
    redirect = client.get(lookup, headers=module, follow_redirects=False)
    assert (redirect.status_code, redirect.headers["location"]) == (
        301, f"{VLE}/course/{course_id}/activity/?vle_activity_id=31337&vle_activity_type=quiz")
    followed = client.get(lookup, headers=module).json()
    assert (followed["count"], followed["results"][0]["enabled"]) == (1, True)
    learner = client.get(f"{VLE}/course/{course_id}/learner/?uid=student%40nou.example", headers=module).json()
    assert learner["results"][0]["ic_status"].startswith("NOT_VALID")
