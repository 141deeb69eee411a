"""Litmos's documented behaviour (docs/litmos.md), against any instance: XML by default and JSON
on request, a bad key 401 (403 on instances configured so), a missing source 403, 404 for an
unknown user, the full user's XML elements in the wire order, start/limit paging, a duplicate
username 409 (with writes) and, in-process, the 503 after 100 requests a minute."""

from __future__ import annotations

import uuid

import pytest
from lxml import etree

from mockserver.config import Settings
from mockserver.core.schema import SpecDocument

from .vendor_api import VendorApi

pytestmark = [pytest.mark.contract, pytest.mark.behaviour]


def key(litmos: VendorApi) -> dict[str, str]:
    return {"apikey": litmos.credentials["apikey"]}


def source(litmos: VendorApi, **params: object) -> dict[str, object]:
    return {"source": litmos.credentials["source"], **params}


def names(xml: bytes) -> list[str]:
    return [etree.QName(element).localname for element in etree.fromstring(xml) if isinstance(element.tag, str)]


def test_xml_by_default_and_json_on_request(litmos: VendorApi) -> None:
    xml = litmos.request("GET", "/users", params=source(litmos, limit=2), headers=key(litmos))
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert etree.fromstring(xml.content).tag == "Users"
    as_json = litmos.request("GET", "/users", params=source(litmos, limit=2, format="json"), headers=key(litmos))
    assert as_json.headers["content-type"].startswith("application/json") and isinstance(as_json.json(), list)


def test_a_bad_key_is_refused_and_a_missing_source_is_403(litmos: VendorApi) -> None:
    bad = litmos.request("GET", "/users", params=source(litmos), headers={"apikey": f"nope-{uuid.uuid4().hex}"})
    assert bad.status_code in (401, 403)  # 403 on instances (and mocks) configured as the classic docs say
    no_source = litmos.request("GET", "/users", headers=key(litmos))
    assert no_source.status_code == 403


def test_an_unknown_user_is_404(litmos: VendorApi) -> None:
    answer = litmos.request("GET", f"/users/nobody-{uuid.uuid4().hex[:8]}", params=source(litmos), headers=key(litmos))
    assert answer.status_code == 404


def test_a_full_user_has_its_elements_in_the_wire_order(litmos: VendorApi) -> None:
    listed = litmos.request("GET", "/users", params=source(litmos, limit=1), headers=key(litmos))
    user_id = etree.fromstring(listed.content).findtext("User/Id")
    full = litmos.request("GET", f"/users/{user_id}", params=source(litmos), headers=key(litmos))
    spec = SpecDocument.open(Settings().specs / "litmos" / "openapi.yaml").component("User")
    order = [name for name, field in spec["properties"].items() if not field.get("writeOnly")]
    assert names(full.content) == order


def test_start_and_limit_page_the_users(litmos: VendorApi) -> None:
    first = names(litmos.request("GET", "/users", params=source(litmos, limit=2, start=0), headers=key(litmos)).content)
    page = litmos.request("GET", "/users", params=source(litmos, limit=2, start=1), headers=key(litmos))
    ids = [u.findtext("Id") for u in etree.fromstring(page.content)]
    before = [u.findtext("Id") for u in etree.fromstring(
        litmos.request("GET", "/users", params=source(litmos, limit=3, start=0), headers=key(litmos)).content)]
    assert len(first) <= 2 and ids == before[1:3]


def test_a_duplicate_username_is_409(litmos: VendorApi) -> None:
    litmos.needs_writes()
    name = f"contract.{uuid.uuid4().hex[:10]}@example.org"
    body = (f"<User><UserName>{name}</UserName><FirstName>Contract</FirstName><LastName>Check</LastName>"
            f"<Email>{name}</Email></User>").encode()
    headers = {**key(litmos), "Content-Type": "application/xml"}
    created = litmos.request("POST", "/users", params=source(litmos), headers=headers, content=body)
    assert created.status_code == 201 and etree.fromstring(created.content).findtext("UserName") == name
    again = litmos.request("POST", "/users", params=source(litmos), headers=headers, content=body)
    assert again.status_code == 409


def test_past_100_requests_a_minute_the_answer_is_503(litmos: VendorApi) -> None:
    if not litmos.in_process:
        pytest.skip("sends 101 requests in a minute: in-process only (a shared instance's limit is not ours to spend)")
    from mockserver.app import create_app
    from starlette.testclient import TestClient

    client = TestClient(create_app(Settings(vendor="litmos")))  # the real limit: 100 a minute per key
    statuses = [client.get("/v1.svc/users", params=source(litmos, limit=1), headers=key(litmos)).status_code
                for _ in range(101)]
    assert statuses[:100] == [200] * 100 and statuses[100] == 503
