"""What compare calls a difference, kind by kind."""

from __future__ import annotations

import json

from mockserver.traffic.differences import date_format, differences


def answer(status: int = 200, body: object = None, content_type: str = "application/json", **headers: str) -> dict:
    text = body if isinstance(body, str) else json.dumps(body) if body is not None else ""
    return {"status": status, "headers": {"content-type": content_type, **headers}, "body": text}


def kinds(found: list) -> list[tuple[str, str]]:
    return [(d.where, d.kind) for d in found]


def test_the_same_shape_with_other_ids_and_times_is_no_difference() -> None:
    recorded = answer(body={"id": 5, "created": "2026-12-01T10:00:00.123456Z", "items": [{"n": 1}]})
    replayed = answer(body={"id": 9, "created": "2026-12-07T13:01:02.5Z", "items": [{"n": 7}]})
    assert differences(recorded, replayed) == []


def test_status_content_type_and_meaningful_headers() -> None:
    assert kinds(differences(answer(201), answer(409))) == [("status", "status")]
    found = differences(answer(201, {}, location="/user/5"), answer(201, {}, "application/xml"))
    assert kinds(found) == [("header content-type", "content-type"), ("header location", "header")]


def test_json_keys_kinds_counts_and_dates() -> None:
    recorded = answer(body={"a": 1, "b": "x", "list": [1, 2], "when": "2026-12-01T10:00:00Z"})
    replayed = answer(body={"a": "1", "c": None, "list": [1], "when": "2026-12-01 10:00:00"})
    assert sorted(kinds(differences(recorded, replayed))) == sorted([
        ("a", "type"), ("b", "shape"), ("c", "shape"), ("list", "count"), ("when", "date-format")])


def test_an_echoed_value_must_come_back() -> None:
    sent = {"username": "jane", "email": "jane@example.org"}
    recorded = answer(201, {"id": 1, "username": "jane", "email": "jane@example.org"})
    replayed = answer(201, {"id": 2, "username": "JANE", "email": "jane@example.org"})
    assert kinds(differences(recorded, replayed, sent)) == [("username", "echo")]


def test_xml_order_missing_elements_and_dates() -> None:
    recorded = answer(body="<Users><User><Id>a</Id><FirstName>A</FirstName><LastName>B</LastName>"
                           "<Created>/Date(1700000000000)/</Created></User></Users>", content_type="application/xml")
    reordered = answer(body="<Users><User><Id>b</Id><LastName>B</LastName><FirstName>A</FirstName>"
                            "<Created>/Date(1700000000000)/</Created></User></Users>", content_type="application/xml")
    missing = answer(body="<Users><User><Id>b</Id><FirstName>A</FirstName><Created>2026-12-01</Created></User>"
                          "</Users>", content_type="application/xml")
    assert kinds(differences(recorded, reordered)) == [("/Users/User[0]", "order")]
    assert kinds(differences(recorded, missing)) == [("/Users/User[0]/LastName", "shape")]


def test_a_redacted_value_and_an_ignored_name_are_not_compared() -> None:
    recorded = answer(body={"token": "***", "stamp": 1, "etag": "a"})
    replayed = answer(body={"token": {"access": "x"}, "stamp": "one", "etag": "b"})
    assert kinds(differences(recorded, replayed, ignore=frozenset({"stamp"}))) == []


def test_date_formats_keep_their_shape_not_their_digits() -> None:
    assert date_format("2026-12-07T13:01:02.123456Z") == date_format("1999-01-01T00:00:00.5Z") == "9999-99-99T99:99:99.FZ"
    assert date_format("Mon, 07 Dec 2026 13:01:02 GMT") == date_format("Fri, 01 Jan 1999 00:00:00 GMT") == \
        "Www, 99 Mmm 9999 99:99:99 GMT"
    assert date_format("not a date") is None and date_format("2026") is None
