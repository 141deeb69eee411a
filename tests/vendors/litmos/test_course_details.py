"""GET /courses/{courseId}/details (docs/litmos.md): the members in the order given there, values from the
course's state, WCF dates, `Languages` as WCF's List<string>, the 404 text, access levels.

How a course import changes the details is tested with the import (tests/vendors/litmos/test_bulk_imports.py).
"""

from __future__ import annotations

import re

import pytest
from litmos_support import (
    ADMIN, OWNER, WCF_JSON, assert_same_in_both_formats, by_name, detail, get_json, url, user_id, xml_of,
)

DETAILS = ["Id", "OriginalId", "Code", "Name", "Description", "CourseCode", "Active", "IncludeInLibrary",
           "CompleteInOrder", "CourseImageURL", "CreatedDate", "UpdatedDate", "CreatedBy", "UpdatedBy", "ForSale",
           "EcommerceShortDescription", "EcommerceLongDescription", "Price", "AccessTillDate", "AccessTillDays",
           "DueDate", "DueDateSpan", "ComplianceDate", "ComplianceDateSpan", "ComplianceRetake", "Languages", "Topics",
           "Tags", "CoursePreRequisites", "LearningPathPreRequisites", "Skills", "Social", "DiscussionForum",
           *(f"AdvCourseCustomField{n}" for n in range(1, 11)), "AllModulesNewWindow", "Certificate",
           "BoostsReleased", "BoostsFrequency"]
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


@pytest.fixture
def client(litmos_client):
    return litmos_client


def course(client, code: str) -> dict:
    return by_name(client, "/courses", "Code", code)


def test_members_in_sap_order_with_values_from_the_course(client) -> None:
    haccp = course(client, "HACCP2")
    details = get_json(client, f"/courses/{haccp['Id']}/details")
    assert list(details) == DETAILS
    # What the course list shows, the details show too.
    for member in ("Id", "OriginalId", "Code", "Name", "Description", "Active", "ForSale", "EcommerceShortDescription",
                   "EcommerceLongDescription", "Price", "AccessTillDate", "AccessTillDays"):
        assert details[member] == haccp[member], member
    assert details["CourseCode"] == haccp["CourseCodeForBulkImport"] == f"{haccp['OriginalId']}-HACCP2"
    assert details["Price"] == 49.0 and details["ForSale"] is True
    # The seed: created 2023-05-15T09:00:00Z by Mia Johansson, never changed since.
    assert details["CreatedDate"] == details["UpdatedDate"] == "/Date(1684141200000+0000)/"
    assert details["CreatedBy"] == details["UpdatedBy"] == user_id(client, "mia.johansson@harbourline.example")
    assert (details["IncludeInLibrary"], details["CompleteInOrder"], details["Languages"]) == (True, False, ["en-US"])
    assert [details[k] for k in ("DueDate", "DueDateSpan", "ComplianceDate", "ComplianceDateSpan")] == [None] * 4
    assert (details["BoostsReleased"], details["BoostsFrequency"], details["CourseImageURL"]) == (0, 0, "")


def test_xml_root_dates_nulls_and_languages_list(client) -> None:
    lead = course(client, "LEAD1")
    response = client.get(url(f"/courses/{lead['Id']}/details"), headers=OWNER)
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    root = xml_of(response)
    assert root.tag == "Course" and [child.tag for child in root] == DETAILS
    assert root.findtext("Active") == "false" and root.findtext("Price") == "120.50"
    assert root.findtext("CreatedDate") == "2021-06-30T09:00:00" and root.findtext("UpdatedDate") == "2021-06-30T09:00:00"
    assert root.find("DueDate").get(XSI_NIL) == "true" and root.find("AccessTillDays").get(XSI_NIL) == "true"
    languages = root.find("Languages")
    assert languages.nsmap.get("a") == ARRAYS and [(c.tag, c.text) for c in languages] == [(f"{{{ARRAYS}}}string", "en-US")]
    assert b'<Languages xmlns:a="' + ARRAYS.encode() + b'"><a:string>en-US</a:string></Languages>' in response.content
    assert b"<Topics/>" in response.content and b"<CourseImageURL/>" in response.content


def test_both_formats_say_the_same_for_every_seeded_course(client) -> None:
    for seeded in get_json(client, "/courses", limit="1000"):
        data = assert_same_in_both_formats(client, f"/courses/{seeded['Id']}/details")
        assert data["Name"] == seeded["Name"] and WCF_JSON.match(data["CreatedDate"])


def test_creator_is_read_from_the_current_users(client) -> None:
    """`CreatedBy` is the creator's user Id; once that user is deleted, nobody (empty)."""
    haccp = course(client, "HACCP2")
    mia = user_id(client, "mia.johansson@harbourline.example")
    assert client.delete(url(f"/users/{mia}"), headers=OWNER).status_code == 200
    details = get_json(client, f"/courses/{haccp['Id']}/details")
    assert details["CreatedBy"] == details["UpdatedBy"] == ""


def test_unknown_course_is_404_with_sap_text_in_both_formats(client) -> None:
    message = "The Course  nosuchcourse1  is invalid or does not exist!"
    for fmt in ("json", "xml"):
        assert detail(client.get(url("/courses/nosuchcourse1/details", format=fmt), headers=OWNER)) == (
            404, message, message)


def test_access_like_the_other_course_reads(client) -> None:
    """Account Owners and Administrators, as GET /courses/{id}; Team Leaders and Learners are refused."""
    fork = course(client, "FORK1")
    assert client.get(url(f"/courses/{fork['Id']}/details"), headers=ADMIN).status_code == 200
    for key in ("litmos-teamleader-key", "litmos-learner-key"):
        status, message, _ = detail(client.get(url(f"/courses/{fork['Id']}/details", format="json"),
                                               headers={"apikey": key}))
        assert (status, message) == (403, "You do not have the proper permissions for this call.")


def test_route_is_get_only(client) -> None:
    fork = course(client, "FORK1")
    response = client.put(url(f"/courses/{fork['Id']}/details", format="json"), headers=OWNER, json={})
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert re.fullmatch(r"[A-Za-z0-9_-]{11}1", get_json(client, f"/courses/{fork['Id']}/details")["CreatedBy"])
