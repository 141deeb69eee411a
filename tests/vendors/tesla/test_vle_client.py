"""tesla-ce-client 0.0.4's own VLE methods (`client.vle.*`), unchanged, against a real mock process:
what a Python VLE integration calls, end to end over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from server_support import thread_server
from tesla_support import SEED, next_id
from tesla_vle_support import APPROLE


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with thread_server() as url:
        yield url


@pytest.fixture
def client(base: str):
    from tesla_ce_client import Client

    assert httpx.post(f"{base}/__admin/reset").status_code == 200
    return Client(api_url=f"{base}/tesla", role_id=APPROLE["role_id"], secret_id=APPROLE["secret_id"],
                  verify_ssl=False)


def test_vle_courses_and_activities(client) -> None:
    from tesla_ce_client.exception import BadRequestException, ObjectNotFoundException

    assert client.vle.get()["name"] == "NOU Moodle"
    assert [row["acronym"] for row in client.vle.list_instruments()["results"]] == [
        r["acronym"] for r in SEED["instruments"] if r.get("enabled", True)]
    assert client.vle.course.find_by_vle_id("2")["id"] == 1
    assert client.vle.course.find_by_vle_id("11") is None  # two VLEs number a course 11: count 2, so None
    assert client.vle.course.list()["count"] == len(SEED["courses"])
    course = client.vle.course.create("py-501", "PY-501", "Python course", "2026-09-01T08:00:00Z", None)
    assert (course["id"], course["vle_course_id"], course["start"]) == (next_id("courses"), "py-501",
                                                                        "2026-09-01T08:00:00Z")
    assert client.vle.course.find_by_vle_id("py-501")["id"] == course["id"]
    with pytest.raises(BadRequestException, match="must make a unique set"):
        client.vle.course.create("py-501", "PY-501", "again")
    activities = client.vle.course.activity
    activity = activities.create(course["id"], "quiz", "9001", "Quiz", "A quiz", conf='{"x": 1}')
    assert (activity["id"], activity["enabled"], activity["course"]["id"]) == (next_id("activities"), True, course["id"])
    assert activities.find_by_vle_id(course["id"], "quiz", "9001")["id"] == activity["id"]
    assert activities.find_by_vle_id(course["id"], "assign", "9001") is None
    assert activities.get(course["id"], activity["id"])["name"] == "Quiz"
    updated = activities.update(course["id"], activity["id"], "quiz", "9001", "Final quiz", None, enabled=False)
    assert (updated["name"], updated["enabled"], updated["description"]) == ("Final quiz", False, None)
    assert [row["id"] for row in activities.list(course["id"])["results"]] == [activity["id"]]
    with pytest.raises(ObjectNotFoundException):
        activities.get(1, activity["id"])  # another course's path


def test_vle_activity_instruments(client) -> None:
    activities = client.vle.course.activity
    added = activities.add_instrument(1, 4, 4, True, True, options={"offline": True})
    assert (added["instrument"], added["options"], added["activity"]["id"]) == (4, {"offline": True}, 4)
    assert activities.find_instrument(1, 4, 4)["id"] == added["id"]
    changed = activities.update_instrument(1, 4, added["id"], 4, False, False, options=None)
    assert (changed["active"], changed["options"]) == (False, None)
    again = activities.add_or_update_instrument(1, 4, 4, True, True, options={"online": True})
    assert (again["id"], again["active"]) == (added["id"], True)
    assert {row["instrument"] for row in activities.get_instruments(1, 4)["results"]} >= {4}


def test_vle_learners_and_results(client) -> None:
    learners = client.vle.course.learner
    course_1 = next(c for c in SEED["courses"] if c["id"] == 1)
    assert sorted(row["id"] for row in learners.list(1)["results"]) == sorted(course_1["learners"])[:10]
    uid = next(u["uid"] for u in SEED["users"] if u["id"] == 16)
    assert learners.find_by_uid(1, uid)["id"] == 16
    assert learners.find_by_uid(1, "nobody") is None
    results = client.vle.course.activity.result
    reports = results.list(1, 1)["results"]
    assert [row["id"] for row in reports] == [r["id"] for r in SEED["reports"] if r["activity"] == 1]
    detail = results.get(1, 1, reports[0]["id"])
    assert detail["detail"][0]["learner_histogram"] and "data" not in detail
    learner = reports[0]["learner"]["id"]
    requests = results.list_requests(1, 1, learner)["results"]
    expected = sorted((r["id"] for r in SEED["report_requests"] if r["activity"] == 1 and r["learner"] == learner),
                      reverse=True)
    assert [row["id"] for row in requests] == expected
    instrument = requests[0]["instruments"][0]
    assert all(instrument in row["instruments"] for row in
               results.list_requests(1, 1, learner, instrument=instrument)["results"])
