"""Litmos users slice: auth, formats, XML shape, rules, paging, rate limit, as docs/litmos.md describes."""

from __future__ import annotations

from typing import Any

import re

import pytest

from mockserver.config import MAX_BODY_BYTES
from lxml import etree
from litmos_support import INACTIVE_USERS, SEEDED_USERS

from mockserver.app import create_app
from mockserver.config import Settings


BASE = "/v1.svc"
# A full user's members in the order WCF writes them (docs/litmos.md, "Wire format": `Culture` between
# `CustomField3` and `CustomField4`); the spec's User schema must say the same, since answers follow it.
USER_ORDER = (
    "Id", "UserName", "FirstName", "LastName", "FullName", "Email", "AccessLevel", "DisableMessages",
    "Active", "Skype", "PhoneWork", "PhoneMobile", "LastLogin", "LoginKey", "IsCustomUsername",
    "Password", "SkipFirstLogin", "TimeZone", "SalesforceId", "OriginalId", "Street1", "Street2",
    "City", "State", "PostalCode", "Country", "CompanyName", "JobTitle", "CustomField1",
    "CustomField2", "CustomField3", "Culture", "CustomField4", "CustomField5", "CustomField6",
    "CustomField7", "CustomField8", "CustomField9", "CustomField10", "SalesforceContactId",
    "SalesforceAccountId", "CreatedDate", "Points", "Brand", "ManagerId", "ManagerName",
    "EnableTextNotification", "Website", "Twitter", "ExpirationDate",
)
OWNER = {"apikey": "litmos-demo-key"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"
BODY_ERROR = "Please check the xml/json in the body of the request."
OWNER_NAME = "olivia.bennett@harbourline.example"
NEW_USER = {"UserName": "new.starter@harbourline.example", "FirstName": "New", "LastName": "Starter",
            "AccessLevel": "Learner", "DisableMessages": True, "Active": True}


@pytest.fixture
def client(litmos_client):
    return litmos_client


def url(path: str, **query: str) -> str:
    params = {"source": "tests", **query}
    return f"{BASE}{path}?" + "&".join(f"{k}={v}" for k, v in params.items())


def users_json(client, **query: str) -> list[dict]:
    response = client.get(url("/users", format="json", **query), headers=OWNER)
    assert response.status_code == 200
    return response.json()


def first_id(client) -> str:
    return users_json(client, limit="1")[0]["Id"]


def xml_of(response) -> etree._Element:
    return etree.fromstring(response.content)


def detail(response) -> tuple[int, str, str]:
    """(status, message, reason phrase) of an error in either format."""
    if response.headers["content-type"] == "application/json":
        message = response.json()["Detail"]
    else:
        root = xml_of(response)
        assert root.tag == "Detail" and root.nsmap == {"i": XSI}
        message = root.text
    return response.status_code, message, response.headers["x-mockserver-reason"]


def count_users(client) -> int:
    return len(users_json(client, limit="1000"))


# -- auth --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, headers, status, message",
    [
        ("/users?source=t", {}, 401, "The API key that you have used"),
        ("/users?source=t", {"apikey": "not-a-key"}, 401, "The API key that you have used"),
        ("/users?source=t", {"apikey": "litmos-inactive-key"}, 401, "The API key that you have used"),
        ("/users", OWNER, 403, "Forbidden. Please check your API key, content-type, parameters, etc."),
        ("/users?source=", OWNER, 403, "Forbidden. Please check your API key, content-type, parameters, etc."),
        ("/users?source=t", {"apikey": "litmos-learner-key"}, 403, "You do not have the proper permissions for this call."),
        ("/users?source=t", {"apikey": "litmos-teamleader-key"}, 403, "You do not have the proper permissions for this call."),
    ],
)
def test_auth_failures(client, path, headers, status, message) -> None:
    response = client.get(f"{BASE}{path}", headers=headers)
    code, text, reason = detail(response)
    assert code == status and text.startswith(message) and reason == text


def test_bad_key_status_can_be_403(make_client) -> None:
    client = make_client(vendor="litmos", litmos_auth_status=403)
    assert client.get(url("/users")).status_code == 403
    assert client.get(url("/users"), headers={"apikey": "nope"}).status_code == 403


def test_key_in_query_and_parameter_names_in_any_case(client) -> None:
    response = client.get(f"{BASE}/users?apiKey=litmos-demo-key&Source=x&Format=JSON&LIMIT=2&Dir=desc&SORT=lastname")
    assert response.status_code == 200
    names = [u["LastName"] for u in response.json()]
    assert len(names) == 2 and names == sorted(names, key=str.casefold, reverse=True)


def test_administrator_reads_but_cannot_write(client) -> None:
    admin = {"apikey": "litmos-admin-key"}
    assert client.get(url("/users"), headers=admin).status_code == 200
    response = client.post(url("/users", format="json"), json=NEW_USER, headers=admin)
    assert detail(response)[:2] == (403, "You do not have the proper permissions for this call.")
    assert count_users(client) == SEEDED_USERS


def test_demoting_the_key_owner_takes_its_rights_away(client) -> None:
    admin_user = client.get(url("/users/marcus.okafor@harbourline.example", format="json"), headers=OWNER).json()
    change = {"Id": admin_user["Id"], "AccessLevel": "Learner"}
    assert client.put(url(f"/users/{admin_user['Id']}"), json=change, headers=OWNER).status_code == 200
    assert client.get(url("/users"), headers={"apikey": "litmos-admin-key"}).status_code == 403


# -- formats and XML shape ---------------------------------------------------------------------


def test_xml_is_the_default_with_wcf_shape(client) -> None:
    response = client.get(url(f"/users/{first_id(client)}"), headers=OWNER)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    assert not response.content.startswith(b"<?xml")
    assert response.content.startswith(b'<User xmlns:i="http://www.w3.org/2001/XMLSchema-instance">')
    root = xml_of(response)
    assert [child.tag for child in root] == list(USER_ORDER)
    tags = [child.tag for child in root]
    assert tags.index("Culture") == tags.index("CustomField3") + 1 == tags.index("CustomField4") - 1
    assert b'<SalesforceId i:nil="true"/>' in response.content
    assert b"<Password/>" in response.content and b"<Street2/>" in response.content
    assert root.findtext("ManagerId") == "0" and root.findtext("Brand") == "Default"


def test_user_element_order_matches_the_spec(client) -> None:
    spec = client.get(f"{BASE}/openapi.json").json()
    assert tuple(spec["components"]["schemas"]["User"]["properties"]) == USER_ORDER


def test_list_returns_only_summary_fields_in_order(client) -> None:
    root = xml_of(client.get(url("/users", limit="2"), headers=OWNER))
    assert root.tag == "Users" and len(root) == 2
    assert [c.tag for c in root[0]] == ["Id", "UserName", "FirstName", "LastName", "Active", "Email", "AccessLevel", "Brand"]


@pytest.mark.parametrize("how", [{"format": "json"}, {"format": "JSON"}, {"headers": {"Accept": "application/json"}}])
def test_json_by_parameter_or_accept(client, how) -> None:
    query = {"format": how["format"]} if "format" in how else {}
    response = client.get(url("/users", limit="1", **query), headers={**OWNER, **how.get("headers", {})})
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert isinstance(response.json(), list)


def test_format_xml_wins_over_accept_json(client) -> None:
    response = client.get(url("/users", limit="1", format="xml"), headers={**OWNER, "Accept": "application/json"})
    assert response.headers["content-type"] == "application/xml; charset=utf-8"


def test_xml_and_json_carry_the_same_user(client) -> None:
    user_id = first_id(client)
    as_json = client.get(url(f"/users/{user_id}", format="json"), headers=OWNER)
    as_xml = xml_of(client.get(url(f"/users/{user_id}"), headers=OWNER))
    data = as_json.json()
    for child in as_xml:
        value = data[child.tag]
        if child.tag == "LoginKey":
            continue
        if child.get(f"{{{XSI}}}nil") == "true":
            assert value is None
        elif isinstance(value, bool):
            assert child.text == ("true" if value else "false")
        else:
            assert (child.text or "") == str(value), child.tag
    assert len(as_xml) == len(data) == 50


def test_json_escapes_slashes_and_dates_have_the_user_style(client) -> None:
    response = client.get(url(f"/users/{OWNER_NAME}", format="json"), headers=OWNER)
    assert b'"LoginKey":"http:\\/\\/testserver\\/v1.svc\\/login.aspx?loginkey=' in response.content
    user = response.json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", user["CreatedDate"])
    assert user["CreatedDate"] == "2017-01-01T00:00:00Z" and user["LastLogin"] == "2018-01-01T03:11:07Z"
    never = client.get(url("/users/mrossi", format="json"), headers=OWNER).json()
    assert never["LastLogin"] == ""  # a user that never logged in


def test_login_key_is_a_new_guid_url_on_every_read(client) -> None:
    keys = {client.get(url(f"/users/{OWNER_NAME}", format="json"), headers=OWNER).json()["LoginKey"] for _ in range(3)}
    assert len(keys) == 3
    for key in keys:
        assert re.fullmatch(r"http://testserver/v1\.svc/login\.aspx\?loginkey=[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", key)


def test_ids_are_url_tokens_with_integer_original_ids(client) -> None:
    users = users_json(client, limit="1000")
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{11}1", u["Id"]) for u in users)
    original = client.get(url(f"/users/{users[0]['Id']}", format="json"), headers=OWNER).json()["OriginalId"]
    assert isinstance(original, int) and original > 10152000


def test_get_by_username_is_case_insensitive(client) -> None:
    response = client.get(url("/users/OLIVIA.Bennett@harbourline.example", format="json"), headers=OWNER)
    assert response.json()["UserName"] == OWNER_NAME and response.json()["AccessLevel"] == "Account_Owner"


# -- errors ------------------------------------------------------------------------------------


def test_unknown_user_404_in_both_formats(client) -> None:
    as_xml = client.get(url("/users/nobody"), headers=OWNER)
    assert as_xml.headers["content-type"] == "application/xml; charset=utf-8"
    assert as_xml.content == b'<Detail xmlns:i="http://www.w3.org/2001/XMLSchema-instance">User - nobody was not found</Detail>'
    as_json = client.get(url("/users/nobody", format="json"), headers=OWNER)
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.content == b'{"Detail":"User - nobody was not found"}'
    assert as_json.headers["x-mockserver-reason"] == "User - nobody was not found"


def test_unknown_route_and_wrong_method(client) -> None:
    assert detail(client.get(url("/nosuchresource"), headers=OWNER))[:2] == (404, "Endpoint not found.")
    response = client.patch(url("/users"), headers=OWNER)
    assert detail(response)[:2] == (405, "Method not allowed.") and response.headers["allow"] == "GET, POST"


def test_bad_query_parameter_is_400(client) -> None:
    for query in ({"limit": "0"}, {"limit": "1001"}, {"start": "-1"}, {"start": "x"}, {"sort": "Points"}, {"dir": "UP"}):
        response = client.get(url("/users", format="json", **query), headers=OWNER)
        assert detail(response)[:2] == (400, "Bad Request. Please check that your URI and request body are properly formed.")


# -- create ------------------------------------------------------------------------------------


def test_create_returns_201_with_the_full_user(client) -> None:
    response = client.post(url("/users", format="json"), json=NEW_USER, headers=OWNER)
    assert response.status_code == 201 and response.headers["content-type"] == "application/json; charset=utf-8"
    user = response.json()
    assert list(user) == list(USER_ORDER)
    assert user["FullName"] == "New Starter" and user["Email"] == NEW_USER["UserName"]
    assert user["Culture"] == "en-US" and user["Brand"] == "Default" and user["Points"] == 0
    assert user["ManagerId"] == "0" and user["Password"] == "" and user["LastLogin"] == ""
    fetched = client.get(url(f"/users/{user['Id']}", format="json"), headers=OWNER).json()
    assert {k: v for k, v in fetched.items() if k != "LoginKey"} == {k: v for k, v in user.items() if k != "LoginKey"}
    assert count_users(client) == SEEDED_USERS + 1


def test_create_from_xml_in_documented_order(client) -> None:
    body = (b'<?xml version="1.0"?><User><Id/><UserName>xml.person@harbourline.example</UserName>'
            b"<FirstName>Xml</FirstName><LastName>Person</LastName><FullName/><Email/><AccessLevel>Learner</AccessLevel>"
            b"<DisableMessages>1</DisableMessages><Active>true</Active><LastLogin/><LoginKey/>"
            b"<IsCustomUsername>false</IsCustomUsername><SkipFirstLogin>true</SkipFirstLogin><TimeZone/></User>")
    response = client.post(url("/users"), content=body, headers={**OWNER, "Content-Type": "text/xml"})
    assert response.status_code == 201 and response.headers["content-type"] == "application/xml; charset=utf-8"
    root = xml_of(response)
    assert root.findtext("FullName") == "Xml Person" and root.findtext("DisableMessages") == "true"
    assert root.findtext("SkipFirstLogin") == "true" and root.findtext("TimeZone") == "UTC"


def test_xml_elements_out_of_order_are_ignored(client) -> None:
    body = (b"<User><UserName>order.test@harbourline.example</UserName><FirstName>Order</FirstName>"
            b"<LastName>Test</LastName><City>Leeds</City><Skype>skipped.skype</Skype><Culture>fr-FR</Culture></User>")
    response = client.post(url("/users", format="json"), content=body, headers={**OWNER, "Content-Type": "application/xml"})
    user = response.json()
    assert response.status_code == 201
    assert user["City"] == "Leeds" and user["Skype"] == "" and user["Culture"] == "fr-FR"


def test_xml_missing_required_element_after_its_place_is_400(client) -> None:
    body = b"<User><FirstName>Late</FirstName><LastName>Name</LastName><UserName>late.name@harbourline.example</UserName></User>"
    response = client.post(url("/users"), content=body, headers={**OWNER, "Content-Type": "application/xml"})
    assert detail(response)[:2] == (400, BODY_ERROR)
    assert count_users(client) == SEEDED_USERS


def test_xml_declared_types_must_fit_the_member(client) -> None:
    """`i:type` naming another XML Schema type than the member's is refused, as WCF refuses a boolean for a
    string; naming the member's own type is fine."""
    def create(city: str) -> Any:
        body = ('<User xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="http://www.w3.org/2001/XMLSchema">'
                "<UserName>typed.person@harbourline.example</UserName><FirstName>Typed</FirstName>"
                f"<LastName>Person</LastName>{city}</User>").encode()
        return client.post(url("/users", format="json"), content=body, headers={**OWNER, "Content-Type": "text/xml"})

    for wrong in ('<City i:type="x:boolean">false</City>', '<City i:type="x:int">5</City>',
                  '<City i:type="boolean">false</City>', '<City i:type="y:string" xmlns:y="urn:other">x</City>'):
        assert detail(create(wrong))[:2] == (400, BODY_ERROR), wrong
    assert count_users(client) == SEEDED_USERS
    created = create('<City i:type="x:string">Leeds</City>')
    assert created.status_code == 201 and created.json()["City"] == "Leeds"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"UserName": OWNER_NAME.upper()}, "UserName already exists"),
        ({"UserName": "abc", "IsCustomUsername": True}, "Username must be greater than 3 characters."),
        ({"UserName": ""}, "Username must be greater than 3 characters."),
        ({"UserName": "not-an-email"}, "Invalid email address."),
        ({"UserName": "bad name", "IsCustomUsername": True}, "Invalid special character's in the username."),
        ({"Email": "nope"}, "Invalid email address."),
        ({"Culture": "xx-YY"}, "Culture is invalid"),
    ],
)
def test_create_conflicts(client, changes, message) -> None:
    response = client.post(url("/users", format="json"), json={**NEW_USER, **changes}, headers=OWNER)
    assert detail(response) == (409, message, message)
    assert count_users(client) == SEEDED_USERS


def test_custom_username_is_accepted(client) -> None:
    response = client.post(url("/users", format="json"), json={**NEW_USER, "UserName": "nstarter", "IsCustomUsername": True},
                           headers=OWNER)
    assert response.status_code == 201 and response.json()["Email"] == ""


def test_unknown_manager_is_404_and_a_known_one_is_named(client) -> None:
    response = client.post(url("/users", format="json"), json={**NEW_USER, "ManagerId": "AAAAAAAAAAA1"}, headers=OWNER)
    assert detail(response)[:2] == (404, "The manager Id in the xml/json is not valid.")
    manager = client.get(url("/users/marcus.okafor@harbourline.example", format="json"), headers=OWNER).json()
    created = client.post(url("/users", format="json"), json={**NEW_USER, "ManagerId": manager["Id"]}, headers=OWNER).json()
    assert created["ManagerName"] == "Marcus Okafor marcus.okafor@harbourline.example"


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[]", "application/json"),
        (b'{"FirstName": "A", "LastName": "B"}', "application/json"),
        (b'{"UserName": 5, "FirstName": "A", "LastName": "B"}', "application/json"),
        (b'{"UserName": "x.y@harbourline.example", "FirstName": "A", "LastName": "B", "Active": "yes"}', "application/json"),
        (b'{"UserName": "x.y@harbourline.example", "FirstName": "' + b"A" * 51 + b'", "LastName": "B"}', "application/json"),
        (b"<User><UserName>x.y@harbourline.example</UserName><FirstName>A</FirstName>", "application/xml"),
        (b"<Person><UserName>x.y@harbourline.example</UserName><FirstName>A</FirstName><LastName>B</LastName></Person>",
         "application/xml"),
        (b"<User><UserName>x.y@harbourline.example</UserName><FirstName>A</FirstName><LastName>B</LastName>"
         b"<Active>maybe</Active></User>", "application/xml"),
        (b"<User><UserName>x.y@harbourline.example</UserName><FirstName><b>A</b></FirstName><LastName>B</LastName></User>",
         "application/xml"),
    ],
)
def test_malformed_bodies_are_400_in_the_request_format(client, body, content_type) -> None:
    response = client.post(url("/users"), content=body, headers={**OWNER, "Content-Type": content_type})
    status, message, _ = detail(response)
    assert (status, message) == (400, BODY_ERROR)
    expected = "application/json" if content_type == "application/json" and body else "application/xml; charset=utf-8"
    assert response.headers["content-type"] == expected
    assert count_users(client) == SEEDED_USERS


@pytest.mark.parametrize(
    "body",
    [
        b'<!DOCTYPE User [<!ENTITY n "Evil">]><User><UserName>x.y@harbourline.example</UserName>'
        b"<FirstName>&n;</FirstName><LastName>B</LastName></User>",
        b'<?xml version="1.0"?><!DOCTYPE User SYSTEM "file:///etc/passwd"><User><UserName>x.y@harbourline.example</UserName>'
        b"<FirstName>A</FirstName><LastName>B</LastName></User>",
        b"<User><UserName>x.y@harbourline.example</UserName><FirstName>&undefined;</FirstName><LastName>B</LastName></User>",
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE User [<!ENTITY n "E">]><User><UserName>x.y@harbourline.example'
        "</UserName><FirstName>&n;</FirstName><LastName>B</LastName></User>".encode("utf-16"),
    ],
)
def test_hostile_xml_is_refused_and_changes_nothing(client, body) -> None:
    response = client.post(url("/users"), content=body, headers={**OWNER, "Content-Type": "application/xml"})
    assert detail(response)[:2] == (400, BODY_ERROR)
    assert count_users(client) == SEEDED_USERS


def test_oversize_body_is_413(client) -> None:
    body = b'{"UserName": "' + b"a" * MAX_BODY_BYTES + b'"}'
    response = client.post(url("/users", format="json"), content=body, headers={**OWNER, "Content-Type": "application/json"})
    assert detail(response)[:2] == (413, "Request Entity Too Large")
    assert count_users(client) == SEEDED_USERS


def test_unsupported_content_type_is_415(client) -> None:
    response = client.post(url("/users"), content=b"UserName=x", headers={**OWNER, "Content-Type": "text/plain"})
    assert detail(response)[0] == 415


# -- update and delete -------------------------------------------------------------------------


def test_update_is_partial_200_without_body(client) -> None:
    user = client.get(url("/users/fjimenez", format="json"), headers=OWNER).json()
    body = f"<User><Id>{user['Id']}</Id><FirstName>Francisco</FirstName><Active>false</Active></User>".encode()
    response = client.put(url(f"/users/{user['Id']}"), content=body, headers={**OWNER, "Content-Type": "application/xml"})
    assert response.status_code == 200 and response.content == b""
    assert "content-type" not in response.headers and response.headers["content-length"] == "0"
    after = client.get(url(f"/users/{user['Id']}", format="json"), headers=OWNER).json()
    assert after["FirstName"] == "Francisco" and after["Active"] is False and after["FullName"] == "Francisco jimenez"
    assert {k: v for k, v in after.items() if k not in ("FirstName", "FullName", "Active", "LoginKey")} == \
           {k: v for k, v in user.items() if k not in ("FirstName", "FullName", "Active", "LoginKey")}


def test_update_id_must_match_the_url(client) -> None:
    user_id = first_id(client)
    for body in ({"Id": "AAAAAAAAAAA1", "FirstName": "X"}, {"FirstName": "X"}):
        response = client.put(url(f"/users/{user_id}", format="json"), json=body, headers=OWNER)
        assert detail(response)[:2] == (404, "Please check the userid in the xml/json and the userid in the URL. They must match.")
    response = client.put(url("/users/AAAAAAAAAAA1", format="json"), json={"Id": "AAAAAAAAAAA1"}, headers=OWNER)
    assert detail(response)[:2] == (404, "No user with this id exists in your organization")


def test_update_conflict_changes_nothing(client) -> None:
    user = users_json(client, limit="1")[0]
    body = {"Id": user["Id"], "FirstName": "Changed", "UserName": OWNER_NAME}
    response = client.put(url(f"/users/{user['Id']}", format="json"), json=body, headers=OWNER)
    assert detail(response)[:2] == (409, "UserName already exists")
    assert client.get(url(f"/users/{user['Id']}", format="json"), headers=OWNER).json()["FirstName"] == user["FirstName"]


def test_delete_is_hard_and_frees_reports_of_their_manager(client) -> None:
    leader = client.get(url("/users/daniel.kowalski@harbourline.example", format="json"), headers=OWNER).json()
    report = client.get(url("/users/ethan.walker@harbourline.example", format="json"), headers=OWNER).json()
    assert report["ManagerId"] == leader["Id"]
    response = client.delete(url(f"/users/{leader['Id']}"), headers=OWNER)
    assert response.status_code == 200 and response.content == b"" and "content-type" not in response.headers
    assert client.get(url(f"/users/{leader['Id']}"), headers=OWNER).status_code == 404
    assert detail(client.delete(url(f"/users/{leader['Id']}"), headers=OWNER))[:2] == (
        404, "No user with this id exists in your organization")
    after = client.get(url("/users/ethan.walker@harbourline.example", format="json"), headers=OWNER).json()
    assert after["ManagerId"] == "0" and after["ManagerName"] == ""
    assert client.get(url("/users"), headers={"apikey": "litmos-teamleader-key"}).status_code == 401


# -- paging, search, sort ----------------------------------------------------------------------


def test_paging_with_start_and_limit(client) -> None:
    everyone = users_json(client, limit="1000")
    assert len(everyone) == SEEDED_USERS
    assert len(users_json(client)) == min(SEEDED_USERS, 100)  # default limit 100
    first, second = users_json(client, start="0", limit="20"), users_json(client, start="20", limit="20")
    assert first + second == everyone[:40]
    assert users_json(client, start=str(SEEDED_USERS - 10), limit="20") == everyone[-10:]
    names = [u["FirstName"] for u in everyone]
    assert names == sorted(names, key=str.casefold)  # FirstName ascending, case-insensitive


def test_empty_page_shapes(client) -> None:
    assert client.get(url("/users", start="500", format="json"), headers=OWNER).content == b"[]"
    response = client.get(url("/users", start="500"), headers=OWNER)
    assert response.content == b'<Users xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>'


def test_search_sort_and_show_inactive(client) -> None:
    found = users_json(client, search="HARBOURLINE.example", sort="Email", dir="DESC", limit="1000")
    emails = [u["Email"] for u in found]
    assert len(found) == SEEDED_USERS  # custom usernames match through their Email
    assert emails == sorted(emails, key=str.casefold, reverse=True)
    assert [u["UserName"] for u in users_json(client, search="jimenez")] == ["fjimenez"]
    assert [u["UserName"] for u in users_json(client, search="mrossi")] == ["mrossi"]
    assert {u["LastName"] for u in users_json(client, search="OKAFOR")} == {"Okafor"}
    assert users_json(client, search="zzzz-nobody") == []
    active = users_json(client, showInactive="false", limit="1000")
    assert len(active) == SEEDED_USERS - INACTIVE_USERS and all(u["Active"] for u in active)
    assert len(users_json(client, showinactive="true", limit="1000")) == SEEDED_USERS
    by_active = users_json(client, sort="Active", limit="1000")
    assert [u["Active"] for u in by_active[:INACTIVE_USERS]] == [False] * INACTIVE_USERS


# -- rate limit and reset ----------------------------------------------------------------------


def test_rate_limit_503_after_100_then_recovery(client) -> None:
    for _ in range(100):
        assert client.get(url("/users", limit="1"), headers=OWNER).status_code == 200
    over = client.get(url("/users", format="json"), headers=OWNER)
    assert over.status_code == 503 and over.json() == {"Detail": "Rating Limit Exceeded"}
    assert over.headers["x-mockserver-reason"] == "Rating Limit Exceeded"
    assert not [h for h in over.headers if "ratelimit" in h or h == "retry-after"]
    as_xml = client.get(url("/users"), headers=OWNER)
    assert as_xml.content == b'<Detail xmlns:i="http://www.w3.org/2001/XMLSchema-instance">Rating Limit Exceeded</Detail>'
    assert client.get(url("/users"), headers={"apikey": "litmos-admin-key"}).status_code == 200  # per key
    assert client.post("/__admin/clock", json={"advance": "61s"}).status_code == 200
    assert client.get(url("/users"), headers=OWNER).status_code == 200


def test_reset_replays_the_same_ids(client) -> None:
    before = users_json(client, limit="1000")
    created = client.post(url("/users", format="json"), json=NEW_USER, headers=OWNER).json()
    client.delete(url(f"/users/{before[0]['Id']}"), headers=OWNER)
    assert client.post("/__admin/reset").status_code == 200
    assert users_json(client, limit="1000") == before
    again = client.post(url("/users", format="json"), json=NEW_USER, headers=OWNER).json()
    assert (again["Id"], again["OriginalId"]) == (created["Id"], created["OriginalId"])


def test_journal_keeps_the_query_as_sent(client) -> None:
    client.get(f"{BASE}/users?Source=x&apiKey=litmos-demo-key&LIMIT=1")
    entry = client.get("/__admin/requests?vendor=litmos&limit=1").json()["requests"][0]
    assert entry["query"] == "Source=x&apiKey=%2A%2A%2A&LIMIT=1"


# -- edges -------------------------------------------------------------------------------------


def test_json_body_answers_json_unless_format_says_otherwise(client) -> None:
    response = client.post(url("/users"), json=NEW_USER, headers=OWNER)
    assert response.status_code == 201 and response.headers["content-type"] == "application/json; charset=utf-8"
    other = {**NEW_USER, "UserName": "second.starter@harbourline.example"}
    response = client.post(url("/users", format="xml"), json=other, headers=OWNER)
    assert response.status_code == 201 and xml_of(response).tag == "User"


def test_characters_xml_cannot_carry_never_break_a_response(client) -> None:
    body = {**NEW_USER, "FirstName": "Bell\u0007\u0001", "JobTitle": "line\u000bfeed"}
    created = client.post(url("/users", format="json"), json=body, headers=OWNER).json()
    assert created["FirstName"] == "Bell\u0007\u0001"
    as_xml = client.get(url(f"/users/{created['Id']}"), headers=OWNER)
    assert as_xml.status_code == 200 and xml_of(as_xml).findtext("FirstName") == "Bell\ufffd\ufffd"


@pytest.mark.parametrize("path", ["/users/a%0Ab", "/users/a%0Db", "/users/a%C2%85b"])
def test_control_characters_in_the_path_never_reach_the_status_line(client, path) -> None:
    response = client.get(url(path), headers=OWNER)
    assert response.status_code == 404
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", response.headers["x-mockserver-reason"])


def test_quirks_echo_skip_first_login_as_false(make_client) -> None:
    quirky = make_client(vendor="litmos", quirks=True)
    body = {**NEW_USER, "SkipFirstLogin": True}
    created = quirky.post(url("/users", format="json"), json=body, headers=OWNER).json()
    assert created["SkipFirstLogin"] is False
    stored = quirky.get(url(f"/users/{created['Id']}", format="json"), headers=OWNER).json()
    assert stored["SkipFirstLogin"] is True


def test_skipfirstlogin_query_parameter(client) -> None:
    created = client.post(url("/users", format="json", skipfirstlogin="true"), json=NEW_USER, headers=OWNER).json()
    assert created["SkipFirstLogin"] is True


def test_a_seed_that_breaks_a_rule_stops_startup(tmp_path) -> None:
    from mockserver.core.fixtures import FixtureError
    from mockserver.vendors.litmos.vendor import LitmosVendor

    source = (Settings().fixtures / "litmos.yaml").read_text(encoding="utf-8")
    (tmp_path / "litmos.yaml").write_text(source.replace("UserName: mrossi\n", "UserName: m rossi\n", 1), encoding="utf-8")
    with pytest.raises(FixtureError) as caught:
        create_app(Settings(vendor="litmos", fixtures=tmp_path))
    assert caught.value.field == "UserName" and caught.value.record.startswith("users[11]")
    assert caught.value.message == "Invalid special character's in the username."
    assert caught.value.file.name == LitmosVendor.fixture_file


def test_state_import_with_unrenderable_rows_changes_nothing(client) -> None:
    state = client.get("/__admin/state/litmos?secrets=true").json()
    state["tables"]["users"]["rows"][-1].pop("Culture")
    assert client.put("/__admin/state/litmos", json=state).status_code in (400, 409)
    assert count_users(client) == SEEDED_USERS
    gone = state["tables"]["users"]["rows"].pop()["Id"]
    # A user other rows still name is a dangling reference: refused, with the path of the first one.
    dangling = client.put("/__admin/state/litmos", json=state)
    assert dangling.status_code == 400 and "users.Id" in dangling.json()["message"]
    for table in state["tables"].values():  # without the rows that name the user, the state fits
        table["rows"] = [row for row in table["rows"] if gone not in row.values()]
    assert client.put("/__admin/state/litmos", json=state).status_code == 200
    assert count_users(client) == SEEDED_USERS - 1


def test_the_account_owner_cannot_be_deleted_deactivated_or_demoted(client) -> None:
    owner = client.get(url(f"/users/{OWNER_NAME}", format="json"), headers=OWNER).json()
    message = "The Account Owner cannot be deleted, deactivated or given another access level."
    for change in ({"Active": False}, {"AccessLevel": "Administrator"}):
        response = client.put(url(f"/users/{owner['Id']}", format="json"), json={"Id": owner["Id"], **change}, headers=OWNER)
        assert detail(response)[:2] == (403, message)
    assert detail(client.delete(url(f"/users/{owner['Id']}", format="json"), headers=OWNER))[:2] == (403, message)
    renamed = {"Id": owner["Id"], "FirstName": "Liv", "AccessLevel": "Account_Owner", "Active": True}
    assert client.put(url(f"/users/{owner['Id']}"), json=renamed, headers=OWNER).status_code == 200
    assert client.get(url(f"/users/{owner['Id']}", format="json"), headers=OWNER).json()["FullName"] == "Liv Bennett"


def test_xml_writer_matches_what_lxml_would_write(make_client) -> None:
    """The codec writes XML as text for speed; lxml must read it back to the same values and
    serialise the same tree to the same bytes."""
    client = make_client(vendor="litmos")
    runtime = client.app.runtime
    codec, backend = runtime.vendors["litmos"].codec, runtime.default.backends["litmos"]
    row = next(iter(backend.users.table.rows()))
    user = dict(backend.users.full(row, "http://127.0.0.1/"), FirstName="a&b<c>\r\n\t\x01é", LastName="",
                SalesforceId=None, Points=0, Active=False)
    written = codec.encode("User", user)
    tree = etree.fromstring(written)
    assert etree.tostring(tree, encoding="utf-8") == written
    decoded = codec.decode("User", written)
    assert decoded["FirstName"] == "a&b<c>\r\n\t\ufffdé"
    assert decoded["LastName"] == "" and decoded["SalesforceId"] is None
    assert decoded["Points"] == 0 and decoded["Active"] is False
    assert [child.tag for child in tree][:3] == ["Id", "UserName", "FirstName"]


def test_json_answers_take_the_members_and_order_of_the_schema(make_client) -> None:
    """A model's view may hold more than the answer shows (row ids, a password's hash) in any order;
    the spec's schema picks the members and orders them, at every depth, as XML does."""
    client = make_client(vendor="litmos")
    codec = client.app.runtime.vendors["litmos"].codec
    user = {name: name.lower() for name in reversed(USER_ORDER)} | {"id": 7, "password_hash": "secret"}
    assert list(codec.ordered("User", user)) == list(USER_ORDER)
    summary = codec.ordered("UserList", [user])[0]
    assert list(summary) == ["Id", "UserName", "FirstName", "LastName", "Active", "Email", "AccessLevel", "Brand"]
    assert summary["Email"] == "email"
    paged = codec.ordered("UserCollection", {"Items": [user], "Pagination": {"TotalCount": 1, "Start": 0, "x": 1}})
    assert list(paged) == ["Pagination", "Items"] and list(paged["Pagination"]) == ["Start", "TotalCount"]
    assert "password_hash" not in paged["Items"][0] and "id" not in paged["Items"][0]
