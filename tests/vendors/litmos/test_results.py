"""PUT /results/modules/{id}: module completion moves the course result (docs/litmos.md)."""

from __future__ import annotations


import pytest
from litmos_support import OWNER, SEEDED_ENROLMENTS, detail, get_json, is_bodiless, url, user_id

from mockserver.app import create_app
from mockserver.config import Settings

BODY_ERROR = "Please check the xml/json in the body of the request."


@pytest.fixture
def client(litmos_client):
    return litmos_client


def setup(client) -> tuple[str, str, list[str]]:
    """Sofia, HACCP2 (one of two modules done) and its module ids."""
    sofia = user_id(client, "sofia.alvarez@harbourline.example")
    haccp = next(c for c in get_json(client, "/courses") if c["Code"] == "HACCP2")["Id"]
    return sofia, haccp, [m["Id"] for m in get_json(client, f"/courses/{haccp}/modules")]


def result(client, user: str, course: str) -> dict:
    return get_json(client, f"/users/{user}/courses/{course}")


def test_completing_the_last_module_completes_the_course(client) -> None:
    sofia, haccp, modules = setup(client)
    body = {"CourseId": haccp, "UserId": sofia, "Score": 90, "Completed": True, "UpdatedAt": "/Date(1767600000000)/"}
    assert is_bodiless(client.put(url(f"/results/modules/{modules[1]}"), headers=OWNER, json=body), 200)
    after = result(client, sofia, haccp)
    assert after["Complete"] is True and after["PercentageComplete"] == 100.0
    assert after["DateCompleted"] == "/Date(1767600000000+0000)/"
    assert after["Modules"][1]["Score"] == 90
    assert after["Modules"][1]["LastUpdated"] == "/Date(1767600000000+0000)/" and after["Modules"][1]["Attempt"] == 1


def test_xml_body_in_order_with_iso_date_and_withdrawal(client) -> None:
    sofia, haccp, modules = setup(client)
    xml = (f"<ModuleResult><CourseId>{haccp}</CourseId><UserId>{sofia}</UserId><Score>75</Score>"
           "<Completed>false</Completed><UpdatedAt>2026-03-01</UpdatedAt><Note>redo</Note></ModuleResult>")
    response = client.put(url(f"/results/modules/{modules[0]}"), headers={**OWNER, "Content-Type": "text/xml"},
                          content=xml.encode())
    assert is_bodiless(response, 200)
    after = result(client, sofia, haccp)
    assert after["PercentageComplete"] == 0 and not any(m["Completed"] for m in after["Modules"])
    xml = (f"<ModuleResult><CourseId>{haccp}</CourseId><UserId>{sofia}</UserId><Score>75</Score>"
           "<Completed>1</Completed><UpdatedAt>2026-03-01T10:30:00</UpdatedAt></ModuleResult>")
    client.put(url(f"/results/modules/{modules[0]}"), headers={**OWNER, "Content-Type": "text/xml"}, content=xml.encode())
    assert result(client, sofia, haccp)["Modules"][0]["LastUpdated"] == "/Date(1772361000000+0000)/"


def test_iso_date_in_json_is_400_by_default_and_changes_nothing(client) -> None:
    sofia, haccp, modules = setup(client)
    before = result(client, sofia, haccp)
    body = {"CourseId": haccp, "UserId": sofia, "Completed": True, "UpdatedAt": "2017-06-05T15:00:17Z"}
    response = client.put(url(f"/results/modules/{modules[1]}", format="json"), headers=OWNER, json=body)
    assert detail(response) == (400, BODY_ERROR, BODY_ERROR)
    assert result(client, sofia, haccp)["Modules"] == before["Modules"]


def test_iso_date_in_json_is_the_wcf_500_page_with_quirks() -> None:
    from asgi_support import InlineClient

    client = InlineClient(create_app(Settings(vendor="litmos", quirks=True)), raise_server_exceptions=False)
    sofia, haccp, modules = setup(client)
    body = {"CourseId": haccp, "UserId": sofia, "Completed": True, "UpdatedAt": "2017-06-05T15:00:17Z"}
    response = client.put(url(f"/results/modules/{modules[1]}"), headers=OWNER, json=body)
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    assert b"Request Error" in response.content
    assert result(client, sofia, haccp)["PercentageComplete"] == 50.0


def test_unknown_references_are_404(client) -> None:
    sofia, haccp, modules = setup(client)
    paul = user_id(client, "paul.smith@harbourline.example")
    other = next(c for c in get_json(client, "/courses") if c["Code"] == "FS101")["Id"]
    cases = [
        ("nope", {"CourseId": haccp, "UserId": sofia}, "The module nope does not exist."),
        (modules[0], {"CourseId": other, "UserId": sofia}, f"The module {modules[0]} does not exist."),
        (modules[0], {"CourseId": haccp, "UserId": "nope"}, "User - nope was not found"),
        (modules[0], {"CourseId": "nope", "UserId": sofia}, "The course nope does not exist."),
        (modules[0], {"CourseId": haccp, "UserId": paul}, f"The course {haccp} does not exist."),
    ]
    for module, body, message in cases:
        response = client.put(url(f"/results/modules/{module}", format="json"), headers=OWNER, json=body)
        assert detail(response)[:2] == (404, message)


@pytest.mark.parametrize("body", [{"UserId": "x"}, {"CourseId": "x", "UserId": "y", "Score": 101},
                                  {"CourseId": "x", "UserId": "y", "Note": "n" * 256},
                                  {"CourseId": "x", "UserId": "y", "UpdatedAt": "/Date(abc)/"}])
def test_bad_bodies_are_400(client, body: dict) -> None:
    response = client.put(url("/results/modules/x", format="json"), headers=OWNER, json=body)
    assert detail(response)[:2] == (400, BODY_ERROR)


# -- /results/details --------------------------------------------------------------------------

MSG_SINCE = ("Please provide a valid 'since=' query string parameter. Valid formats are 'yyyy-MM-dd HH:mm:ss' "
             "or 'yyyy-MM-dd HH:mm' or 'yyyy-MM-dd'")
RESULT_MEMBERS = ["Id", "UserOriginalId", "UserName", "FirstName", "LastName", "Active", "Email", "AccessLevel",
                  "LoginKey", "CourseId", "CourseOriginalId", "UpdatedDate", "Code", "CourseName", "Completed",
                  "PercentageComplete", "CompletedDate", "UpToDate", "Overdue", "CompliantTillDate"]


def test_results_since_a_date_oldest_change_first(client) -> None:
    everything = get_json(client, "/results/details", since="2000-01-01", limit="1000")
    assert len(everything) == SEEDED_ENROLMENTS and list(everything[0]) == RESULT_MEMBERS
    dates = [int(r["UpdatedDate"][6:19]) for r in everything]
    assert dates == sorted(dates)
    recent = get_json(client, "/results/details", since="2026-05-01", limit="1000")
    assert {(r["FirstName"], r["Code"]) for r in recent} >= {("Grace", "FORK1"), ("Paul", "GDPR1")}
    assert all(int(r["UpdatedDate"][6:19]) >= 1777593600000 for r in recent)
    from litmos_support import xml_of
    root = xml_of(client.get(url("/results/details", since="2026-05-01"), headers=OWNER))
    assert root.tag == "Users" and [c.tag for c in root[0]] == RESULT_MEMBERS


def test_results_move_with_a_completion(client) -> None:
    sofia, haccp, modules = setup(client)
    assert not any(r["Code"] == "HACCP2" for r in get_json(client, "/results/details", since="2026-11-01"))
    body = {"CourseId": haccp, "UserId": sofia, "Completed": True}
    client.put(url(f"/results/modules/{modules[1]}"), headers=OWNER, json=body)
    moved = [r for r in get_json(client, "/results/details", since="2026-11-01") if r["Code"] == "HACCP2"]
    assert len(moved) == 1 and moved[0]["Completed"] is True and moved[0]["PercentageComplete"] == 100.0


@pytest.mark.parametrize("query", [{}, {"since": "soon"}, {"since": "2026-02-30"}])
def test_results_need_a_valid_since(client, query: dict) -> None:
    response = client.get(url("/results/details", format="json", **query), headers=OWNER)
    assert detail(response) == (406, MSG_SINCE, MSG_SINCE)


def test_results_limit_over_1000_is_406(client) -> None:
    response = client.get(url("/results/details", since="2020-01-01", limit="1001"), headers=OWNER)
    message = "The limit parameter can not be greater than 1000."
    assert detail(response) == (406, message, message)
    assert client.get(url("/results/details", since="2020-01-01", limit="0"), headers=OWNER).status_code == 400
