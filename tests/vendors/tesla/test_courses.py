"""TeSLA CE courses, instruments and a course's people: visibility, broken writes, cascades."""

from __future__ import annotations

import pytest

from tesla_course_support import INSTITUTION, NO_PERMISSION, NOT_FOUND, ids, login
from tesla_support import SEED, course_ids, next_id


@pytest.fixture
def client(tesla_client):
    return tesla_client

COURSES = f"{INSTITUTION}/course/"
CRASH = (500, "text/html; charset=utf-8", b"Error processing the request.")


def crash_of(response) -> tuple:
    return (response.status_code, response.headers["content-type"], response.content)


def test_course_shape_and_roles(client) -> None:
    marta = login(client, "marta.vidal@nou.example")  # instructor of courses 1 and 2
    course = client.get(f"{COURSES}1/", headers=marta).json()
    assert list(course) == ["id", "vle", "vle_course_id", "code", "description", "start", "end", "user_roles",
                            "enabled", "created_at", "updated_at"]
    assert (course["vle"]["type"], course["vle"]["institution"]["acronym"]) == ("MOODLE", "NOU")
    assert (course["code"], course["user_roles"], course["enabled"]) == ("NOU-PSY101-2024", ["INSTRUCTOR"], True)
    assert course["start"] == "2024-09-16T07:00:00Z"
    learner = login(client, "oriol.pons@nou.example")
    assert client.get(f"{COURSES}1/", headers=learner).json()["user_roles"] == ["LEARNER"]
    manager = login(client, "manager@tesla.example")
    assert client.get(f"{COURSES}4/", headers=manager).json()["enabled"] is False  # no activities


@pytest.mark.parametrize(("email", "visible"), [
    ("admin@tesla.example", course_ids(1)),
    ("inst-admin@tesla.example", course_ids(1)),
    ("data-admin@tesla.example", course_ids(1)),
    ("marta.vidal@nou.example", [1, 2]),
    ("oriol.pons@nou.example", [1]),
    ("member@tesla.example", []),
    ("aina.roca@nou.example", []),
])
def test_list_visibility(client, email: str, visible: list[int]) -> None:
    headers = login(client, email)
    assert ids(client, f"{COURSES}?limit=100", headers) == visible
    hidden = ({1, 2, 3, 4} - set(visible)) or {99}
    assert client.get(f"{COURSES}{min(hidden)}/", headers=headers).json() == NOT_FOUND


def test_other_institutions_and_bad_ids(client) -> None:
    cit = login(client, "cit-admin@tesla.example")
    assert ids(client, "/api/v2/institution/2/course/?limit=100", cit) == course_ids(2)
    assert client.get(f"{COURSES}1/", headers=cit).json() == NO_PERMISSION
    assert client.get("/api/v2/institution/2/course/1/", headers=cit).json() == NOT_FOUND
    admin = login(client, "admin@tesla.example")
    assert client.get("/api/v2/institution/99/course/", headers=admin).json()["count"] == 0
    assert client.get(f"{COURSES}abc/", headers=admin).json() == NOT_FOUND
    assert client.get(f"{COURSES}abc/").json() == NO_PERMISSION  # permissions before lookups
    page = client.get(f"{COURSES}?limit=1&offset=1&search=zzz&code=x", headers=admin).json()
    assert (page["count"], page["results"][0]["id"]) == (len(course_ids(1)), 2)  # no filter or search backends
    assert page["next"] == f"http://testserver{COURSES}?code=x&limit=1&offset=2&search=zzz"


@pytest.mark.parametrize(("email", "read", "write", "delete"), [
    ("admin@tesla.example", 200, 403, 403),
    ("inst-admin@tesla.example", 200, 200, 403),
    ("data-admin@tesla.example", 200, 200, 204),
    ("marta.vidal@nou.example", 200, 403, 403),
    ("cit-admin@tesla.example", 403, 403, 403),
])
def test_course_permissions(client, email: str, read: int, write: int, delete: int) -> None:
    headers = login(client, email)
    assert client.get(f"{COURSES}1/", headers=headers).status_code == read
    assert client.patch(f"{COURSES}1/", json={}, headers=headers).status_code == write
    assert client.delete(f"{COURSES}1/", headers=headers).status_code == delete
    assert client.get(COURSES).status_code == 403  # no Authorization header


def test_course_writes(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    assert client.post(COURSES, json={}, headers=ia).json() == {"id": ["This field is required."]}
    refused = client.post(COURSES, json={"id": 77}, headers=ia)
    assert (refused.status_code, refused.json()) == (400, {"non_field_errors": ["Courses are created through the VLE API."]})
    assert client.put(f"{COURSES}1/", json={}, headers=ia).json() == {"id": ["This field is required."]}
    assert client.put(f"{COURSES}1/", json={"id": "x"}, headers=ia).json() == {"id": ["A valid integer is required."]}
    other = client.put(f"{COURSES}1/", json={"id": 2}, headers=ia)
    assert (other.status_code, other.json()) == (400, {"non_field_errors": ["The fields vle, vle_course_id must make a unique set."]})
    saved = client.put(f"{COURSES}1/", json={"id": 1, "code": "IGNORED"}, headers=ia)
    assert (saved.status_code, saved.json()["code"]) == (200, "NOU-PSY101-2024")
    missing = next_id("courses")
    assert client.put(f"{COURSES}{missing}/", json={"id": missing}, headers=ia).json() == NOT_FOUND


def test_course_crashes_with_quirks(make_client) -> None:
    quirky = make_client(vendor="tesla", quirks=True)
    ia = login(quirky, "inst-admin@tesla.example")
    assert crash_of(quirky.post(COURSES, json={"id": 77}, headers=ia)) == CRASH
    assert crash_of(quirky.patch(f"{COURSES}1/", json={"id": 2}, headers=ia)) == CRASH
    assert quirky.post(COURSES, json={}, headers=ia).status_code == 400  # validation comes first
    assert crash_of(quirky.get(f"{COURSES}99/learner/", headers=ia)) == CRASH
    assert quirky.get(f"{COURSES}1/", headers=ia).json()["id"] == 1  # nothing changed


def test_delete_cascades_to_the_course_tree(client) -> None:
    data = login(client, "data-admin@tesla.example")
    manager = login(client, "manager@tesla.example")
    assert client.delete(f"{COURSES}1/", headers=data).status_code == 204
    assert client.get(f"{COURSES}1/", headers=manager).json() == NOT_FOUND
    assert client.get(f"{COURSES}1/activity/", headers=manager).json()["count"] == 0
    assert client.get(f"{COURSES}1/activity/1/report/1/audit/", headers=manager).json()["count"] == 0
    assert ids(client, f"{COURSES}2/activity/", manager) == [4]  # other courses keep theirs
    assert client.get(f"{INSTITUTION}/user/7/", headers=manager).status_code == 200  # people stay


def test_vle_delete_cascades_to_its_courses(client) -> None:
    manager = login(client, "manager@tesla.example")
    assert client.delete(f"{INSTITUTION}/vle/1/", headers=manager).status_code == 204
    assert client.get(COURSES, headers=manager).json()["count"] == 0
    assert client.get(f"{COURSES}2/activity/4/", headers=manager).json() == NOT_FOUND
    cit = login(client, "cit-admin@tesla.example")
    assert ids(client, "/api/v2/institution/2/course/?limit=100", cit) == course_ids(2)
    tables = client.get("/__admin/state/tesla").json()["tables"]
    left = {name: sorted({row.get("course") or row.get("activity") or row.get("report") for row in tables[name]["rows"]})
            for name in ("activities", "activity_instruments", "reports", "report_requests")}
    kept = {a["id"] for a in SEED["activities"] if a["course"] in course_ids(2)}  # the seed's, on CIT Moodle
    reports = {r["id"] for r in SEED["reports"] if r["activity"] in kept}
    assert left == {"activities": sorted({a["course"] for a in SEED["activities"] if a["id"] in kept}),
                    **{name: sorted({r["activity"] for r in SEED[name] if r["activity"] in kept})
                       for name in ("activity_instruments", "reports", "report_requests")}}
    assert {5, 6} <= set(left["activities"]) and 6 in left["reports"]  # the hand-written ones among them
    assert sorted({row["report"] for row in tables["report_audits"]["rows"]}) == sorted(
        {r["report"] for r in SEED["report_audits"] if r["report"] in reports})


def test_instruments_are_public_and_read_only(client) -> None:
    page = client.get("/api/v2/institution/99/instrument/").json()  # any institution id, no token
    assert [row["acronym"] for row in page["results"]] == ["fa", "fr", "ks", "plag"]  # enabled, by acronym
    face = client.get(f"{INSTITUTION}/instrument/1/").json()
    assert list(face)[:4] == ["id", "options_schema", "name", "acronym"]
    assert face["options_schema"]["properties"]["online"]["default"] is True
    assert client.get(f"{INSTITUTION}/instrument/3/").json() == NOT_FOUND  # disabled
    assert client.get(f"{INSTITUTION}/instrument/x/").json() == NOT_FOUND
    post = client.post(f"{INSTITUTION}/instrument/", json={})
    assert (post.status_code, post.json()) == (405, {"detail": 'Method "POST" not allowed.'})
    bad = client.get(f"{INSTITUTION}/instrument/", headers={"Authorization": "JWT nope"})
    assert (bad.status_code, bad.headers["www-authenticate"]) == (401, "JWT")


# -- a course's instructors and learners -----------------------------------------------------------

@pytest.mark.parametrize(("email", "instructors", "learners"), [
    ("admin@tesla.example", 200, 200),
    ("inst-admin@tesla.example", 200, 200),
    ("data-admin@tesla.example", 200, 200),
    ("aina.roca@nou.example", 200, 403),  # legal admin
    ("marta.vidal@nou.example", 200, 200),  # the course's instructor
    ("oriol.pons@nou.example", 200, 200),  # one of its learners
    ("member@tesla.example", 403, 403),
    ("arnau.costa@nou.example", 403, 403),  # SEND admin
])
def test_course_people_permissions(client, email: str, instructors: int, learners: int) -> None:
    headers = login(client, email)
    assert client.get(f"{COURSES}1/instructor/", headers=headers).status_code == instructors
    assert client.get(f"{COURSES}1/learner/", headers=headers).status_code == learners


def test_course_people_lists(client) -> None:
    manager = login(client, "manager@tesla.example")
    assert ids(client, f"{COURSES}2/instructor/", manager) == [7, 8]
    assert ids(client, f"{COURSES}1/learner/", manager) == [9, 10, 12, 15, 16, 17, 18, 19]
    row = client.get(f"{COURSES}1/learner/?uid=nou-1010", headers=manager).json()["results"][0]
    assert list(row) == ["id", "institution", "username", "uid", "first_name", "last_name", "locale", "consent",
                         "consent_accepted", "consent_rejected", "learner_id", "last_login", "send", "email",
                         "ic_status", "login_allowed", "created_at", "updated_at", "joined_at"]
    assert ids(client, f"{COURSES}1/learner/?search=pons", manager) == [16]
    assert ids(client, f"{COURSES}1/learner/?ordering=-first_name&limit=2", manager) == [18, 17]
    teacher = client.get(f"{COURSES}1/instructor/7/", headers=manager).json()
    assert list(teacher) == ["id", "username", "uid", "first_name", "last_name", "email", "created_at", "updated_at"]
    detail = client.get(f"{COURSES}1/learner/16/", headers=manager).json()
    assert "enrolment_status" in detail and detail["learner_id"]
    assert client.get(f"{COURSES}1/learner/7/", headers=manager).json() == NOT_FOUND  # not a learner here
    assert client.get(f"{COURSES}99/learner/", headers=manager).json() == NOT_FOUND
    assert client.get(f"{COURSES}99/instructor/", headers=manager).json() == NOT_FOUND


def test_who_sees_which_learners(client) -> None:
    oriol = login(client, "oriol.pons@nou.example")
    assert ids(client, f"{COURSES}1/learner/", oriol) == [16]  # only themself
    assert client.get(f"{COURSES}1/learner/9/", headers=oriol).json() == NOT_FOUND
    assert ids(client, f"{COURSES}1/instructor/", oriol) == [7]
    assert client.get(f"{COURSES}2/learner/", headers=oriol).json() == NO_PERMISSION  # not their course
    marta = login(client, "marta.vidal@nou.example")
    assert ids(client, f"{COURSES}1/learner/", marta) == []  # upstream bug kept: instructors see nobody
    assert client.get(f"{COURSES}3/instructor/", headers=marta).json() == NO_PERMISSION


def test_course_people_writes(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    assert client.post(f"{COURSES}1/learner/", json={}, headers=ia).json() == {"uid": ["This field is required."]}
    refused = client.post(f"{COURSES}1/instructor/", json={"uid": "nou-1001"}, headers=ia)
    assert (refused.status_code, refused.json()) == (400, {"uid": ["Enrolments are created through the VLE API."]})
    taken = client.put(f"{COURSES}1/instructor/7/", json={"uid": "nou-1002"}, headers=ia)
    assert taken.json() == {"non_field_errors": ["The fields institution_id, uid must make a unique set."]}
    assert client.put(f"{COURSES}1/instructor/7/", json={}, headers=ia).json() == {"uid": ["This field is required."]}
    changed = client.patch(f"{COURSES}1/learner/16/", json={"uid": " nou-1010b "}, headers=ia)
    assert (changed.status_code, changed.json()["uid"]) == (200, "nou-1010b")
    assert client.get(f"{INSTITUTION}/user/16/", headers=ia).json()["uid"] == "nou-1010b"
    assert client.patch(f"{COURSES}1/learner/16/", json={}, headers=ia).status_code == 200


def test_deleting_a_course_person_deletes_the_person(client) -> None:
    ia = login(client, "inst-admin@tesla.example")
    assert client.delete(f"{COURSES}1/learner/9/", headers=ia).status_code == 204
    assert client.get(f"{INSTITUTION}/user/9/", headers=ia).json() == NOT_FOUND
    assert 9 not in ids(client, f"{COURSES}2/learner/", ia)  # gone from every course
    assert ids(client, f"{COURSES}1/activity/1/report/", ia) == [2, 3, 4, 5]  # with their reports
    assert client.delete(f"{COURSES}2/instructor/8/", headers=ia).status_code == 204
    assert ids(client, f"{COURSES}2/instructor/", ia) == [7]
    oriol = login(client, "oriol.pons@nou.example")
    assert client.delete(f"{COURSES}1/learner/16/", headers=oriol).json() == NO_PERMISSION  # learners read only


def test_enrolment_crashes_with_quirks(make_client) -> None:
    quirky = make_client(vendor="tesla", quirks=True)
    ia = login(quirky, "inst-admin@tesla.example")
    assert crash_of(quirky.post(f"{COURSES}1/learner/", json={"uid": "x"}, headers=ia)) == CRASH
    assert crash_of(quirky.post(f"{COURSES}1/instructor/", json={"uid": "x"}, headers=ia)) == CRASH
    assert crash_of(quirky.get(f"{COURSES}99/instructor/", headers=ia)) == CRASH


def test_framework_errors_on_course_tree_routes(client) -> None:
    bad = client.get(f"{COURSES}1/activity/1/report/", headers={"Authorization": "JWT not-a-token"})
    assert (bad.status_code, bad.headers["www-authenticate"], bad.json()) == (
        401, "JWT", {"detail": "Invalid token: Invalid JWT token"})
    ia = login(client, "inst-admin@tesla.example")
    text = client.patch(f"{COURSES}1/activity/1/", content=b"enabled", headers={**ia, "Content-Type": "text/plain"})
    assert (text.status_code, text.json()) == (415, {"detail": 'Unsupported media type "text/plain" in request.'})
    broken = client.patch(f"{COURSES}1/activity/1/", content=b"{", headers={**ia, "Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["detail"].startswith("JSON parse error")
    moved = client.get(f"{COURSES}1/activity/1/report?level=4", headers=ia, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, f"{COURSES}1/activity/1/report/?level=4")
    assert client.head(f"{COURSES}1/", headers=ia).status_code == 200
    assert client.delete(COURSES, headers=ia).json() == NO_PERMISSION  # institution admins never delete courses
    data = login(client, "data-admin@tesla.example")
    assert client.delete(COURSES, headers=data).json() == {"detail": 'Method "DELETE" not allowed.'}
    assert client.get(f"{COURSES}1/activity/1/report/1/unknown/", headers=ia).headers["content-type"].startswith("text/html")
