"""Titus Connect completions: activity overrides, the course completion they add up to, relations."""

from __future__ import annotations

import pytest
from titus_support import ADMIN, BASE, READONLY, error, refused_unchanged, state

# Course 17's activities: 46 Introduction (manual), 47 Knowledge check (automatic), 48 Discussion (untracked).
COURSE, INTRO, QUIZ, FORUM = 17, 46, 47, 48


@pytest.fixture
def client(make_client):
    client = make_client(vendor="titus")
    assert client.post(f"{BASE}/course_enrolment", json={"courseid": COURSE, "userid": 6}, headers=ADMIN).status_code == 201
    return client


def completion(client, userid: int = 6) -> dict:
    return client.get(f"{BASE}/course_completion/{COURSE}/{userid}", headers=ADMIN).json()


def test_course_completion_follows_activity_states(client) -> None:
    assert completion(client)["status"] == "notyetstarted" and completion(client)["timecompleted"] is None
    first = client.post(f"{BASE}/activity_completion", json={"cmid": INTRO, "userid": 6, "completionstate": 1}, headers=ADMIN)
    assert first.status_code == 201
    assert first.json()["courseid"] == COURSE and first.json()["overrideby"] == 2
    assert completion(client)["status"] == "inprogress"
    same = client.post(f"{BASE}/activity_completion", json={"cmid": INTRO, "userid": 6, "completionstate": 1}, headers=ADMIN)
    assert same.status_code == 200
    client.post(f"{BASE}/activity_completion", json={"cmid": QUIZ, "userid": 6, "completionstate": 2}, headers=ADMIN)
    done = completion(client)
    assert done["status"] == "complete" and isinstance(done["timecompleted"], int)
    listed = client.get(f"{BASE}/course_completions?courseid={COURSE}&userid=6&completed=true", headers=ADMIN).json()
    assert listed["course_completions"] == [done]
    assert client.delete(f"{BASE}/activity_completion/{QUIZ}/6", headers=ADMIN).status_code == 204
    assert completion(client)["status"] == "inprogress"
    assert error(client.delete(f"{BASE}/activity_completion/{QUIZ}/6", headers=ADMIN)) == (404, "invalidrecord")


def test_a_failed_quiz_does_not_complete_the_course(client) -> None:
    client.post(f"{BASE}/activity_completion", json={"cmid": INTRO, "userid": 6, "completionstate": 1}, headers=ADMIN)
    client.post(f"{BASE}/activity_completion", json={"cmid": QUIZ, "userid": 6, "completionstate": 3}, headers=ADMIN)
    assert completion(client)["status"] == "inprogress"


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"cmid": FORUM, "userid": 6, "completionstate": 1}, (400, "completionnotenabled")),
        ({"cmid": INTRO, "userid": 3, "completionstate": 1}, (400, "usernotenrolled")),
        ({"cmid": 999, "userid": 6, "completionstate": 1}, (404, "invalidrecord")),
        ({"cmid": INTRO, "userid": 999, "completionstate": 1}, (404, "usernotfound")),
        ({"cmid": INTRO, "userid": 6, "completionstate": 0}, (400, "invalidparameter")),
    ],
)
def test_activity_completion_errors_change_nothing(client, body, expected) -> None:
    assert refused_unchanged(client, "post", "/activity_completion", body) == expected


def test_course_completion_lookups(client) -> None:
    assert error(client.get(f"{BASE}/course_completion/{COURSE}/3", headers=ADMIN)) == (404, "notenrolled")
    assert error(client.get(f"{BASE}/course_completion/999/6", headers=ADMIN)) == (404, "coursenotfound")
    assert error(client.get(f"{BASE}/course_completion/{COURSE}/999", headers=ADMIN)) == (404, "usernotfound")
    seeded = client.get(f"{BASE}/course_completions?completed=true&perpage=500", headers=ADMIN).json()
    assert seeded["batch"]["totalitems"] > 0
    assert all(c["status"] == "complete" for c in seeded["course_completions"])
    since = client.get(f"{BASE}/course_completions?completedsince=1730000000&perpage=500", headers=ADMIN).json()["course_completions"]
    assert all(c["timecompleted"] >= 1730000000 for c in since)


def test_unenrolment_and_user_deletion_remove_completions(client) -> None:
    client.post(f"{BASE}/activity_completion", json={"cmid": INTRO, "userid": 6, "completionstate": 1}, headers=ADMIN)
    client.delete(f"{BASE}/course_enrolment/{COURSE}/6", headers=ADMIN)
    assert not [r for r in state(client)["tables"]["activity_completions"]["rows"] if r["userid"] == 6 and r["courseid"] == COURSE]
    client.post(f"{BASE}/course_enrolment", json={"courseid": COURSE, "userid": 6}, headers=ADMIN)
    assert completion(client)["status"] == "notyetstarted"
    client.post(f"{BASE}/activity_completion", json={"cmid": INTRO, "userid": 6, "completionstate": 1}, headers=ADMIN)
    client.delete(f"{BASE}/user/6", headers=ADMIN)
    tables = state(client)["tables"]
    assert not [r for r in tables["activity_completions"]["rows"] if r["userid"] == 6]
    assert not [r for r in tables["course_completions"]["rows"] if r["userid"] == 6]
    assert error(client.get(f"{BASE}/course_completion/{COURSE}/6", headers=ADMIN)) == (404, "usernotfound")


def test_readonly_token_cannot_override(client) -> None:
    before = state(client)
    assert error(client.post(f"{BASE}/activity_completion", json={"cmid": INTRO, "userid": 6, "completionstate": 1}, headers=READONLY)) == (403, "nopermissions")
    assert error(client.delete(f"{BASE}/activity_completions?userid=6&cmid={INTRO}", headers=READONLY)) == (403, "nopermissions")
    assert state(client) == before


def test_bulk_set_and_reset(client) -> None:
    items = [{"cmid": INTRO, "userid": 6, "completionstate": 1}, {"cmid": FORUM, "userid": 6, "completionstate": 1},
             {"cmid": QUIZ, "userid": 6, "completionstate": 2}]
    answer = client.post(f"{BASE}/activity_completions", json={"activity_completions": items}, headers=ADMIN).json()
    assert [r["status"] for r in answer["results"]] == [201, 400, 201]
    assert answer["results"][0]["key"] == {"cmid": INTRO, "userid": 6}
    assert completion(client)["status"] == "complete"
    reset = client.delete(f"{BASE}/activity_completions?userid=6&cmid={QUIZ}&cmid={FORUM}&cmid={INTRO}", headers=ADMIN).json()
    assert [r["status"] for r in reset["results"]] == [204, 404, 204]
    assert completion(client)["status"] == "notyetstarted"
    before = state(client)
    atomic = client.post(f"{BASE}/activity_completions?atomic=true", json={"activity_completions": items}, headers=ADMIN)
    assert error(atomic) == (400, "completionnotenabled") and atomic.json()["index"] == 1
    assert state(client) == before
