"""GET /achievements and the achievement a course completion creates (docs/litmos.md)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from litmos_support import OWNER, detail, get_json, seeded_completions, url, user_id, xml_of

ORDER = ["UserId", "Title", "Description", "AchievementDate", "CourseId", "CompliantTillDate", "Score", "Result",
         "Type", "FirstName", "LastName", "AchievementId", "CertificateId"]


@pytest.fixture
def client(litmos_client):
    return litmos_client


def test_seeded_completions_are_achievements_newest_first(client) -> None:
    achievements = get_json(client, "/achievements", limit="1000")
    expected = seeded_completions()
    assert [(a["FirstName"], a["Title"]) for a in achievements] == [(d["FirstName"], d["Title"]) for d in expected]
    assert ("Charlotte", "Forklift Safety") in [(a["FirstName"], a["Title"]) for a in achievements]
    assert list(achievements[0]) == ORDER and achievements[0]["Result"] == "Completed"
    assert achievements[0]["AchievementDate"] == f"/Date({expected[0]['ms']}+0000)/"
    root = xml_of(client.get(url("/achievements", limit="1"), headers=OWNER))
    assert root.tag == "Achievements" and [c.tag for c in root[0]] == ORDER
    newest = datetime.fromtimestamp(expected[0]["ms"] / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    assert root[0].findtext("AchievementDate") == newest


def test_filters_by_user_and_since(client) -> None:
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    assert [a["Title"] for a in get_json(client, "/achievements", userid=sofia)] == ["Food Safety Fundamentals"]
    cut = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp() * 1000)
    assert [a["FirstName"] for a in get_json(client, "/achievements", since="2026-01-01", limit="1000")] == [
        d["FirstName"] for d in seeded_completions() if d["ms"] >= cut]
    assert detail(client.get(url("/achievements", userid="nope", format="json"), headers=OWNER))[:2] == (
        404, "User - nope was not found")
    assert client.get(url("/achievements", since="2026-13-01"), headers=OWNER).status_code == 406


def test_completing_a_course_creates_one_achievement(client) -> None:
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    haccp = next(c for c in get_json(client, "/courses") if c["Code"] == "HACCP2")
    last = get_json(client, f"/courses/{haccp['Id']}/modules")[1]["Id"]
    body = {"CourseId": haccp["Id"], "UserId": sofia, "Score": 80, "UpdatedAt": "/Date(1790000000000)/"}
    for _ in range(2):  # completing the same module again does not award twice
        assert client.put(url(f"/results/modules/{last}"), headers=OWNER, json=body).status_code == 200
    newest = get_json(client, "/achievements", userid=sofia)
    assert [a["Title"] for a in newest] == ["HACCP Level 2", "Food Safety Fundamentals"]
    assert newest[0]["AchievementDate"] == "/Date(1790000000000+0000)/" and newest[0]["Score"] == "90"
    assert newest[0]["CourseId"] == haccp["Id"] and newest[0]["Type"] == "Course Completed"
    assert client.put(url(f"/users/{sofia}/courses/{haccp['Id']}/reset"), headers=OWNER).status_code == 200
    assert len(get_json(client, "/achievements", userid=sofia)) == 2  # history stays


def test_deleting_a_user_drops_its_achievements(client) -> None:
    charlotte = user_id(client, "charlotte.davies@harbourline.example")
    client.delete(url(f"/users/{charlotte}"), headers=OWNER)
    assert "Charlotte" not in [a["FirstName"] for a in get_json(client, "/achievements")]
