"""Answers list their fields in the order of the spec's schemas (`wire.FieldOrders`)."""

from __future__ import annotations

from mockserver.config import Settings
from mockserver.core.schema import SpecDocument
from mockserver.vendors.tesla.wire import FieldOrders
from tesla_course_support import INSTITUTION, login

FIELDS = FieldOrders(SpecDocument(Settings().specs / "tesla" / "openapi.yaml"))


def test_write_only_properties_are_not_answered() -> None:
    assert "password" not in FIELDS["InstitutionUser"] and "password2" not in FIELDS["InstitutionUser"]
    assert FIELDS["InstitutionUser"][:3] == ("id", "username", "last_login")


def test_all_of_parts_come_first_in_their_order() -> None:
    extended = FIELDS["ReportDetailExtendedItem"]
    assert extended[:-1] == FIELDS["VleReportDetailItem"] and extended[-1] == "facts"
    # the real serializer's order: the acronym between the identity and content levels
    assert extended[4:7] == ("identity_level", "instrument_acronym", "content_level")


def test_answers_follow_the_spec_s_order(tesla_client) -> None:
    headers = login(tesla_client, "inst-admin@tesla.example")
    institution = tesla_client.get(f"{INSTITUTION}/", headers=headers).json()
    assert tuple(institution) == FIELDS["Institution"]
    users = tesla_client.get(f"{INSTITUTION}/user/?limit=1", headers=headers).json()["results"]
    assert tuple(users[0]) == FIELDS["InstitutionUser"]
    instructors = tesla_client.get(f"{INSTITUTION}/instructor/?limit=1", headers=headers).json()["results"]
    assert tuple(instructors[0]) == FIELDS["Instructor"]
