"""Gamification: points and badges earned by completions, per user and per team, reset, off switch (docs/litmos.md)."""

from __future__ import annotations

import pytest
from litmos_support import (
    ADMIN, OWNER, XSI, assert_same_in_both_formats, bad_seed_error, by_name, detail, fresh_seed, get_json, is_bodiless,
    url, user_id, write_seed, xml_of,
)

ITEM_MEMBERS = ["ID", "ItemID", "ItemName", "EarnedPoint", "EarnedBadgeID", "DateCompleted", "Badge",
                "GamificationLearningPathItemList", "GamificationCourseItemList"]
BADGE_MEMBERS = ["ID", "Title", "Description", "Icon", "IconBgColor", "IconDisplayUrl"]
MSG_NO_USER = "The user in the xml/json request does not exist."
MSG_OFF = "Gamification is not enabled in the organisation"


@pytest.fixture
def client(litmos_client):
    return litmos_client


def complete_course(client, user: str, code: str, when_ms: int) -> None:
    course = by_name(client, "/courses", "Code", code)["Id"]
    for module in get_json(client, f"/courses/{course}/modules"):
        body = {"CourseId": course, "UserId": user, "Score": 100, "UpdatedAt": f"/Date({when_ms})/"}
        assert client.put(url(f"/results/modules/{module['Id']}"), headers=OWNER, json=body).status_code == 200


def test_summary_in_both_formats(client) -> None:
    amelia = user_id(client, "amelia.hughes@harbourline.example")
    assert get_json(client, f"/users/{amelia}/gamificationsummary") == {"TotalBadgeEarned": 2,
                                                                         "TotalPointEarned": 125.0}
    raw = client.get(url(f"/users/{amelia}/gamificationsummary", format="json"), headers=OWNER).content
    assert raw == b'{"TotalBadgeEarned":2,"TotalPointEarned":125.00}'
    assert client.get(url(f"/users/{amelia}/gamificationsummary"), headers=OWNER).content == (
        f'<GamificationAchievementSummary xmlns:i="{XSI}"><TotalBadgeEarned>2</TotalBadgeEarned>'
        "<TotalPointEarned>125.00</TotalPointEarned></GamificationAchievementSummary>").encode()
    ethan = user_id(client, "ethan.walker@harbourline.example")  # points without a badge
    assert get_json(client, f"/users/{ethan}/gamificationsummary") == {"TotalBadgeEarned": 0, "TotalPointEarned": 10.0}
    paul = user_id(client, "paul.smith@harbourline.example")
    assert get_json(client, f"/users/{paul}/gamificationsummary") == {"TotalBadgeEarned": 0, "TotalPointEarned": 0.0}


def test_badges_newest_first(client) -> None:
    charlotte = user_id(client, "charlotte.davies@harbourline.example")
    badges = get_json(client, f"/users/{charlotte}/badges")
    assert [b["Title"] for b in badges] == ["Warehouse Pro", "Forklift Certified"]
    assert list(badges[0]) == BADGE_MEMBERS and badges[0]["IconBgColor"] == "#6D4C41"
    assert badges[0]["Icon"] == "badges/warehouse.png" and badges[0]["IconDisplayUrl"].endswith("/badges/warehouse.png")
    assert badges[0]["IconDisplayUrl"].startswith("http://testserver/")
    assert [b["Title"] for b in get_json(client, f"/users/{charlotte}/badges", start="1", limit="1")] == [
        "Forklift Certified"]
    root = xml_of(client.get(url(f"/users/{charlotte}/badges"), headers=OWNER))
    assert root.tag == "Badges" and root[0].tag == "Badge" and [c.tag for c in root[0]] == BADGE_MEMBERS
    assert [(b.findtext("ID"), b.findtext("Title")) for b in root] == [(b["ID"], b["Title"]) for b in badges]
    paul = user_id(client, "paul.smith@harbourline.example")
    assert client.get(url(f"/users/{paul}/badges"), headers=OWNER).content == f'<Badges xmlns:i="{XSI}"/>'.encode()


def test_details_per_user(client) -> None:
    charlotte = user_id(client, "charlotte.davies@harbourline.example")
    items = get_json(client, f"/users/{charlotte}/gamificationdetails")
    fork = by_name(client, "/courses", "Code", "FORK1")
    warehouse = by_name(client, "/learningpaths", "Name", "Warehouse Operator")
    assert [(i["ItemName"], i["EarnedPoint"]) for i in items] == [("Warehouse Operator", 100.0),
                                                                  ("Forklift Safety", 40.0)]
    path_item, course_item = items
    assert list(path_item) == ITEM_MEMBERS and path_item["ItemID"] == warehouse["Id"]
    assert path_item["DateCompleted"] == course_item["DateCompleted"] == "/Date(1778745600000+0000)/"
    assert path_item["GamificationLearningPathItemList"] == [
        {"ID": path_item["ID"], "LearningPathID": warehouse["Id"], "LearningPathName": "Warehouse Operator"}]
    assert path_item["GamificationCourseItemList"] == [
        {"ID": path_item["ID"], "CourseID": fork["Id"], "CourseName": "Forklift Safety"}]
    assert course_item["GamificationLearningPathItemList"] == [] and course_item["ItemID"] == fork["Id"]
    assert course_item["Badge"]["Title"] == "Forklift Certified" and course_item["EarnedBadgeID"] == course_item[
        "Badge"]["ID"]
    assert [i["ItemName"] for i in get_json(client, f"/users/{charlotte}/gamificationdetails", limit="1")] == [
        "Warehouse Operator"]
    root = xml_of(client.get(url(f"/users/{charlotte}/gamificationdetails"), headers=OWNER))
    assert root.tag == "GamificationAchievedItems" and [c.tag for c in root[0]] == ITEM_MEMBERS
    assert root[0].findtext("DateCompleted") == "2026-05-14T08:00:00" and root[0].findtext("EarnedPoint") == "100.00"
    assert root[1].find("GamificationLearningPathItemList").text is None
    assert root[0].find("GamificationCourseItemList")[0].tag == "GamificationCourseItem"
    ethan = user_id(client, "ethan.walker@harbourline.example")
    plain = xml_of(client.get(url(f"/users/{ethan}/gamificationdetails"), headers=OWNER))[0]
    assert plain.find("Badge").get(f"{{{XSI}}}nil") == "true" and plain.findtext("EarnedBadgeID") == ""
    assert get_json(client, f"/users/{ethan}/gamificationdetails")[0]["Badge"] is None


def test_details_per_team(client) -> None:
    logistics = by_name(client, "/teams", "Name", "Logistics")["Id"]
    members = get_json(client, f"/teams/{logistics}/gamificationdetails")
    assert [(m["FirstName"], len(m["GamificationAchievedItems"])) for m in members] == [
        ("Benjamin", 0), ("Charlotte", 2), ("frank", 0)]
    assert list(members[0]) == ["Id", "FirstName", "LastName", "GamificationAchievedItems"]
    charlotte = user_id(client, "charlotte.davies@harbourline.example")
    assert members[1]["GamificationAchievedItems"] == get_json(client, f"/users/{charlotte}/gamificationdetails")
    assert [m["FirstName"] for m in get_json(client, f"/teams/{logistics}/gamificationdetails", start="1",
                                             limit="1")] == ["Charlotte"]
    root = xml_of(client.get(url(f"/teams/{logistics}/gamificationdetails"), headers=OWNER))
    assert root.tag == "Users" and [c.tag for c in root[1]] == ["Id", "FirstName", "LastName",
                                                               "GamificationAchievedItems"]
    assert [i.findtext("ItemName") for i in root[1][3]] == ["Warehouse Operator", "Forklift Safety"]
    message = "The team in the xml/json request does not exist."
    assert detail(client.get(url("/teams/nope/gamificationdetails", format="json"), headers=OWNER)) == (
        404, message, message)


def test_completing_courses_and_paths_earns_once(client) -> None:
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    complete_course(client, sofia, "HACCP2", 1790000000000)
    items = get_json(client, f"/users/{sofia}/gamificationdetails")
    assert [(i["ItemName"], i["EarnedPoint"], i["EarnedBadgeID"] != "") for i in items] == [
        ("HACCP Refresher", 30.5, False), ("HACCP Level 2", 60.0, True), ("Food Safety Fundamentals", 50.0, True)]
    assert items[0]["DateCompleted"] == "/Date(1790000000000+0000)/"
    complete_course(client, sofia, "HACCP2", 1791000000000)  # already complete: nothing new
    assert get_json(client, f"/users/{sofia}/gamificationsummary") == {"TotalBadgeEarned": 2,
                                                                        "TotalPointEarned": 140.5}
    chloe = user_id(client, "chloe.martin@harbourline.example")  # a path whose courses are done earns when assigned
    complete_course(client, chloe, "FS101", 1790000000000)
    allergen = by_name(client, "/learningpaths", "Name", "Allergen Champion")["Id"]
    assert client.post(url(f"/users/{chloe}/learningpaths"), headers=OWNER, json=[{"Id": allergen}]).status_code == 201
    assert [i["ItemName"] for i in get_json(client, f"/users/{chloe}/gamificationdetails")] == [
        "Allergen Champion", "Food Safety Fundamentals"]


def test_reset_clears_and_a_new_completion_earns_again(client) -> None:
    charlotte = user_id(client, "charlotte.davies@harbourline.example")
    assert is_bodiless(client.put(url(f"/users/{charlotte}/gamificationreset"), headers=OWNER), 200)
    assert get_json(client, f"/users/{charlotte}/gamificationsummary") == {"TotalBadgeEarned": 0,
                                                                            "TotalPointEarned": 0.0}
    assert get_json(client, f"/users/{charlotte}/badges") == []
    assert get_json(client, f"/users/{charlotte}/gamificationdetails") == []
    assert len(get_json(client, "/achievements", userid=charlotte)) == 1  # achievements are not gamification
    fork = by_name(client, "/courses", "Code", "FORK1")["Id"]
    assert client.put(url(f"/users/{charlotte}/courses/{fork}/reset"), headers=OWNER).status_code == 200
    complete_course(client, charlotte, "FORK1", 1790000000000)
    assert get_json(client, f"/users/{charlotte}/gamificationsummary") == {"TotalBadgeEarned": 2,
                                                                            "TotalPointEarned": 140.0}
    message = "The user does not exist."
    assert detail(client.put(url("/users/nope/gamificationreset", format="json"), headers=OWNER)) == (
        404, message, message)


def test_every_read_says_the_same_in_xml_and_json(client) -> None:
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    complete_course(client, sofia, "HACCP2", 1790000000123)  # a fraction of a second in DateCompleted
    for name in ("sofia.alvarez", "charlotte.davies", "ethan.walker", "paul.smith"):
        user = user_id(client, f"{name}@harbourline.example")
        for suffix in ("gamificationsummary", "badges", "gamificationdetails"):
            assert_same_in_both_formats(client, f"/users/{user}/{suffix}")
    for name in ("Logistics", "Seattle Plant", "Contractors"):
        team = by_name(client, "/teams", "Name", name)["Id"]
        assert_same_in_both_formats(client, f"/teams/{team}/gamificationdetails")
    items = assert_same_in_both_formats(client, f"/users/{sofia}/gamificationdetails")
    assert items[0]["DateCompleted"] == "/Date(1790000000123+0000)/"


def test_unknown_user_is_404_in_both_formats(client) -> None:
    for suffix in ("gamificationsummary", "badges", "gamificationdetails"):
        assert detail(client.get(url(f"/users/nope/{suffix}", format="json"), headers=OWNER)) == (
            404, MSG_NO_USER, MSG_NO_USER)
        assert detail(client.get(url(f"/users/nope/{suffix}"), headers=OWNER))[:2] == (404, MSG_NO_USER)


def test_deleting_a_user_drops_its_items(client) -> None:
    logistics = by_name(client, "/teams", "Name", "Logistics")["Id"]
    charlotte = user_id(client, "charlotte.davies@harbourline.example")
    assert client.delete(url(f"/users/{charlotte}"), headers=OWNER).status_code == 200
    assert [m["FirstName"] for m in get_json(client, f"/teams/{logistics}/gamificationdetails")] == [
        "Benjamin", "frank"]
    assert client.get(url(f"/users/{charlotte}/gamificationsummary"), headers=OWNER).status_code == 404


def test_access_levels(client) -> None:
    amelia = user_id(client, "amelia.hughes@harbourline.example")
    assert client.get(url(f"/users/{amelia}/gamificationsummary"), headers=ADMIN).status_code == 200
    assert client.put(url(f"/users/{amelia}/gamificationreset"), headers=ADMIN).status_code == 200
    learner = {"apikey": "litmos-learner-key"}
    assert detail(client.get(url(f"/users/{amelia}/badges", format="json"), headers=learner))[:2] == (
        403, "You do not have the proper permissions for this call.")
    assert client.get(url(f"/users/{amelia}/badges"), headers={"apikey": "nope"}).status_code == 401
    assert client.get(f"/v1.svc/users/{amelia}/badges", headers=OWNER).status_code == 403  # no source
    # the owner key has made 2 requests (user_id, no source): 98 more fit in the minute
    statuses = [client.get(url(f"/users/{amelia}/gamificationsummary"), headers=OWNER).status_code for _ in range(99)]
    assert statuses == [200] * 98 + [503]
    assert detail(client.get(url(f"/users/{amelia}/badges"), headers=OWNER)) == (
        503, "Rating Limit Exceeded", "Rating Limit Exceeded")


@pytest.fixture
def gamification_off(make_client, tmp_path):
    """A Litmos app whose org has gamification turned off (fixtures/litmos.yaml, org_settings)."""
    data = fresh_seed()
    data["org_settings"] = [{"Name": "GamificationEnabled", "Value": False}]
    return make_client(vendor="litmos", fixtures=write_seed(tmp_path, data))


def test_gamification_off_is_403_everywhere_and_earns_nothing(gamification_off) -> None:
    client = gamification_off
    amelia = user_id(client, "amelia.hughes@harbourline.example")
    logistics = by_name(client, "/teams", "Name", "Logistics")["Id"]
    calls = [("GET", f"/users/{amelia}/gamificationsummary"), ("GET", f"/users/{amelia}/badges"),
             ("GET", f"/users/{amelia}/gamificationdetails"), ("GET", f"/teams/{logistics}/gamificationdetails"),
             ("PUT", f"/users/{amelia}/gamificationreset"), ("GET", "/users/nope/badges")]
    for method, path in calls:
        for fmt in ("json", "xml"):
            response = client.request(method, url(path, format=fmt), headers=OWNER)
            assert detail(response) == (403, MSG_OFF, MSG_OFF), (method, path)
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    complete_course(client, sofia, "HACCP2", 1790000000000)
    assert client.get(url(f"/users/{sofia}/learningpaths", format="json"), headers=OWNER).json()[1]["Complete"]
    assert client.get("/__admin/state/litmos").json()["tables"]["earned"]["rows"] == []


@pytest.mark.parametrize(("collection", "record", "message"), [
    ("gamification_badges", {"Title": "food safe"}, "duplicates an earlier badge"),
    ("gamification_rewards", {"CourseCode": "NOPE", "Points": 1}, "no seeded course 'NOPE'"),
    ("gamification_rewards", {"LearningPath": "Nope", "Points": 1}, "no seeded learning path 'Nope'"),
    ("gamification_rewards", {"CourseCode": "fs101", "Points": 1}, "rewarded twice"),
    ("gamification_rewards", {"CourseCode": "LEAD1", "Points": 1, "Badge": "Nope"}, "no seeded badge 'Nope'"),
    ("gamification_rewards", {"CourseCode": "LEAD1", "Points": -1}, "less than the minimum"),
    ("org_settings", {"Name": "GamificationEnabled", "Value": False}, "set twice"),
    ("org_settings", {"Name": "Other", "Value": True}, "is not one of"),
])
def test_bad_gamification_fixture_stops_startup(tmp_path, collection: str, record: dict, message: str) -> None:
    assert message in bad_seed_error(tmp_path, collection, record)
