"""Journal: body redaction, bounds, and lookups by request pattern."""

from __future__ import annotations

import json
import threading

from mockserver.core.journal import SENSITIVE_FIELDS, Journal, redact_body, redact_headers, redact_query
from mockserver.core.patterns import RequestPattern, RequestView, fingerprint


def record(journal: Journal, **values):
    base = {"time": 0.0, "vendor": "titus", "method": "GET", "path": "/api/v1/users", "query": "",
            "status": 200, "duration_ms": 1.0}
    return journal.record(**{**base, **values})


# -- redact_body ----------------------------------------------------------------------------------

def test_json_redaction_reaches_nested_objects_and_lists() -> None:
    body = {"user": {"Password": "hunter2", "name": "sam", "tokens": [{"token": "t1"}, {"apiKey": "k"}]},
            "client_secret": {"nested": "whole value goes"}, "count": 3}
    text, truncated = redact_body(json.dumps(body).encode(), "application/json; charset=utf-8", 10_000)
    assert not truncated
    assert json.loads(text) == {"user": {"Password": "***", "name": "sam", "tokens": [{"token": "***"},
                                                                                      {"apiKey": "***"}]},
                                "client_secret": "***", "count": 3}
    assert "hunter2" not in text and "t1" not in text


def test_json_without_secrets_is_kept_as_sent_and_invalid_json_as_text_with_pairs_blanked() -> None:
    assert redact_body(b'{"a":1,  "b":[2]}', "application/json", 100) == ('{"a":1,  "b":[2]}', False)
    assert redact_body(b'{"a": "x"', "application/json", 100) == ('{"a": "x"', False)
    assert redact_body(b'{"a": "x"', "application/json", 5) == ('{"a":', True)
    broken = b'{"user": {"Password": "p\\"q", "token": 12, "name": "sam"'
    assert redact_body(broken, "application/json", 100) == (
        '{"user": {"Password": "***", "token": "***", "name": "sam"', False)
    assert redact_body(b"", "application/json", 5) == ("", False)


def test_json_nested_past_the_recursion_limit_does_not_raise() -> None:
    body = b"[" * 5000 + b'{"secret": "s"}' + b"]" * 5000
    text, truncated = redact_body(body, "application/json", 20_000)
    assert not truncated and '{"secret": "***"}' in text and len(text) == len(body) + 2


def test_a_json_body_past_the_limit_is_redacted_as_far_as_it_is_kept() -> None:
    rows = [{"id": n, "name": f"user {n}", "token": f"secret-{n}"} for n in range(2000)]
    body = json.dumps({"rows": rows}, separators=(",", ":")).encode()
    text, truncated = redact_body(body, "application/json", 1000)
    expected = json.dumps({"rows": [{**row, "token": "***"} for row in rows]}, ensure_ascii=False)
    assert truncated and text == expected[:1000] and "secret-" not in text


def test_a_key_spelled_with_escapes_is_still_redacted_past_the_limit() -> None:
    body = b'{"p\\u0061ssword": "hunter2", "pad": "' + b"x" * 5000 + b'"}'
    text, truncated = redact_body(body, "application/json", 100)
    assert truncated and "hunter2" not in text and text.startswith('{"password": "***"')


def test_a_json_body_past_the_limit_without_a_sensitive_name_stays_as_sent() -> None:
    body = b'{"rows":[' + b",".join(b'{"id":%d}' % n for n in range(5000)) + b"]}"
    assert redact_body(body, "application/json", 500) == (body[:500].decode(), True)


def test_json_is_sniffed_when_the_content_type_says_nothing() -> None:
    text, _ = redact_body(b'[{"refresh": "r"}]', None, 100)
    assert json.loads(text) == [{"refresh": "***"}]


def test_form_redaction_blanks_sensitive_names_case_blind() -> None:
    body = b"grant_type=password&username=sam&Password=s3cret&client_secret=abc&x="
    text, truncated = redact_body(body, "application/x-www-form-urlencoded", 1000)
    assert text == "grant_type=password&username=sam&Password=***&client_secret=***&x="
    assert not truncated
    # without a content type a well-formed form body is still recognised
    assert redact_body(b"newPassword=n&currentPassword=c", None, 1000)[0] == "newPassword=***&currentPassword=***"
    assert redact_body(b"just some text", "text/plain", 1000) == ("just some text", False)


def test_xml_redaction_by_local_name_including_prefixes_and_children() -> None:
    body = (b'<?xml version="1.0" encoding="utf-8"?><User xmlns="http://example.org/u">'
            b'<UserName>sam</UserName><Password>hunter2</Password>'
            b'<a:Token xmlns:a="urn:a"><Value>t1</Value></a:Token><Secret_Id>s</Secret_Id></User>')
    text, truncated = redact_body(body, "application/xml", 10_000)
    assert not truncated
    assert "<UserName>sam</UserName>" in text and "<Password>***</Password>" in text
    assert "<Secret_Id>***</Secret_Id>" in text and "***</a:Token>" in text
    for secret in ("hunter2", "t1", ">s<"):
        assert secret not in text


def test_xml_with_a_doctype_is_never_expanded_and_still_redacted() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol "lol"><!ENTITY big "&lol;&lol;&lol;">'
            b'<!ENTITY ext SYSTEM "file:///nonexistent">]>'
            b'<r><Password>&ext;</Password><name>&big;</name><apikey attr="1">k\n2</apikey></r>')
    text, truncated = redact_body(body, "text/xml", 10_000)
    assert not truncated
    assert "<Password>***</Password>" in text and '<apikey attr="1">***</apikey>' in text
    assert "<name>&big;</name>" in text and "lollol" not in text


def test_broken_xml_falls_back_to_the_tag_scan() -> None:
    text, _ = redact_body(b"<r><Password>x</Password><token>unclosed", "application/xml", 1000)
    assert text == "<r><Password>***</Password><token>***"
    nested = b'<r><a:Token x="1"><Token>in</Token><v>t</v></a:Token><b>k</b><Secret>open <x/>'
    assert redact_body(nested, "application/xml", 1000)[0] == '<r><a:Token x="1">***</a:Token><b>k</b><Secret>***<x/>'
    many = b"<!DOCTYPE r><r>" + b"<password>" * 20_000
    text, truncated = redact_body(many, "text/xml", 40)
    assert text == "<!DOCTYPE r><r><password>***<password><p" and truncated
    assert redact_body(b"<r><name>ok</name></r>", "application/xml", 1000) == ("<r><name>ok</name></r>", False)


def test_truncation_happens_after_redaction_and_respects_utf8() -> None:
    body = json.dumps({"password": "p" * 200, "note": "é" * 50}, ensure_ascii=False).encode()
    text, truncated = redact_body(body, "application/json", 40)
    assert truncated
    assert text.startswith('{"password": "***"') and "p" * 5 not in text
    assert len(text.encode()) <= 40
    assert "\ufffd" not in text  # a half character at the cut is dropped, not mangled
    assert redact_body(b"\xff\xfeabc", None, 100) == ("\ufffd\ufffdabc", False)


def test_sensitive_fields_cover_the_documented_names() -> None:
    assert {"password", "secret", "secret_id", "client_secret", "token", "refresh", "access", "apikey",
            "api_key", "newpassword", "currentpassword"} <= SENSITIVE_FIELDS


# -- Journal --------------------------------------------------------------------------------------

def test_capacity_bounds_the_journal_and_drops_the_oldest() -> None:
    journal = Journal(capacity=3)
    assert journal.capacity == 3 and Journal().capacity == 1000
    for index in range(5):
        record(journal, path=f"/p/{index}")
    assert len(journal) == 3
    assert [e.path for e in journal.entries()] == ["/p/4", "/p/3", "/p/2"]
    assert [e.id for e in journal.entries()] == [5, 4, 3]


def test_record_redacts_and_bounds_a_raw_body_and_old_calls_get_defaults() -> None:
    journal = Journal(body_limit=16)
    entry = record(journal, method="POST", content_type="application/json",
                   request_body=b'{"password": "hunter2", "name": "samuel"}')
    assert entry.request_body == '{"password": "**' and entry.request_body_truncated
    plain = record(journal)
    assert (plain.namespace, plain.vendor_path, plain.route, plain.content_type, plain.request_body,
            plain.request_body_truncated, plain.credential_id, plain.fault) == (None, None, None, None, "",
                                                                               False, None, None)
    as_dict = plain.as_dict()
    assert as_dict["route"] is None and as_dict["request_body"] == "" and as_dict["fault"] is None


def test_entry_view_round_trip() -> None:
    journal = Journal()
    entry = record(journal, method="POST", path="/api/v1/user", vendor_path="/user", query="a=1&b=&a=2",
                   status=201, request_headers={"accept": "*/*", "authorization": "***"},
                   content_type="application/json", request_body='{"name": "é"}', credential_id="sha256:x")
    view = entry.view()
    assert view == RequestView(vendor="titus", method="POST", path="/user",
                               query=(("a", "1"), ("b", ""), ("a", "2")),
                               headers={"accept": "*/*", "authorization": "***"}, credential_id="sha256:x",
                               body='{"name": "é"}'.encode(), content_type="application/json", status=201)
    outside = record(journal, vendor=None, path="/nowhere").view()
    assert outside.path == "/nowhere" and outside.vendor is None and outside.body == b""


def test_find_and_count_use_request_patterns_newest_first() -> None:
    journal = Journal()
    record(journal, method="GET", vendor_path="/users", status=200)
    record(journal, method="POST", vendor_path="/user", status=201, content_type="application/json",
           request_body=b'{"username": "sam", "password": "x"}')
    record(journal, method="POST", vendor_path="/user", status=409, content_type="application/json",
           request_body=b'{"username": "ann"}')
    record(journal, vendor="litmos", method="POST", vendor_path="/user", status=201)
    posts = RequestPattern.from_dict({"vendor": "titus", "method": "POST", "path": "/user"})
    assert [e.status for e in journal.find(posts)] == [409, 201]
    assert [e.status for e in journal.find(posts, limit=1)] == [409]
    assert journal.count(posts) == 2
    sam = RequestPattern.from_dict({"body": {"username": "sam", "password": "***"}})
    assert [e.status for e in journal.find(sam)] == [201]
    assert journal.count(RequestPattern.from_dict({"status": 404})) == 0


def test_credential_patterns_match_the_journaled_fingerprint() -> None:
    journal = Journal()
    record(journal, credential_id=fingerprint("key-one"))
    record(journal, credential_id=fingerprint("key-two"))
    record(journal, credential_id=None)
    assert journal.count(RequestPattern.from_dict({"credential": "key-one"})) == 1
    found = journal.find(RequestPattern.from_dict({"credential": "key-two"}))
    assert [e.id for e in found] == [2]


def test_unmatched_lists_routeless_requests_except_admin_ones() -> None:
    journal = Journal()
    record(journal, route="/users")
    record(journal, path="/api/v1/usres", route=None)
    record(journal, vendor=None, path="/elsewhere")
    record(journal, vendor="admin", path="/__admin/nope")
    record(journal, vendor="litmos", path="/v1.svc/x", route=None)
    assert [e.path for e in journal.unmatched()] == ["/v1.svc/x", "/elsewhere", "/api/v1/usres"]
    assert [e.path for e in journal.unmatched(limit=2)] == ["/v1.svc/x", "/elsewhere"]


def test_concurrent_records_keep_unique_ids_and_the_bound() -> None:
    journal = Journal(capacity=50)

    def work() -> None:
        for _ in range(100):
            record(journal)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [e.id for e in journal.entries()]
    assert len(ids) == 50 and len(set(ids)) == 50 and max(ids) == 400


# -- bounds in bytes, cut fields, undecodable text ---------------------------------------------------

def test_the_journal_is_bounded_in_bytes_oldest_first() -> None:
    journal = Journal(capacity=1000, max_bytes=200_000)
    for index in range(100):
        record(journal, path=f"/p{index}", request_body=b"x" * 10_000, content_type="text/plain")
    assert journal.bytes <= 200_000
    kept = journal.entries()
    assert 10 <= len(kept) < 100
    assert kept[0].path == "/p99" and kept[-1].path == f"/p{100 - len(kept)}"  # the newest survive


def test_long_header_values_paths_and_queries_are_cut_with_a_marker() -> None:
    journal = Journal()
    headers = redact_headers([(b"x-big", b"a" * 100_000), (b"authorization", b"Bearer " + b"s" * 50_000)])
    record(journal, path="/" + "p" * 10_000, request_headers=headers,
           query=redact_query("q=" + "v" * 10_000 + "&apikey=secret"))
    entry = journal.entries()[0]
    assert entry.request_headers["x-big"] == "a" * 4096 + "…[95904 more characters not kept]"
    assert entry.request_headers["authorization"] == "***"
    assert len(entry.path) < 4200 and entry.path.endswith("more characters not kept]")
    assert "secret" not in entry.query and entry.query.endswith("more characters not kept]")
    assert entry.size() < 20_000


def test_a_lone_surrogate_beside_a_password_is_kept_escaped_not_dropped() -> None:
    journal = Journal()
    record(journal, request_body=b'{"password": "hunter2", "name": "\\ud800x"}', content_type="application/json")
    entry = journal.entries()[0]
    assert "hunter2" not in entry.request_body
    assert entry.request_body == '{"password": "***", "name": "\\ud800x"}'  # the escape, as text
    entry.request_body.encode("utf-8")  # valid text, ready for a JSON answer


def test_paging_back_with_before() -> None:
    journal = Journal()
    for index in range(25):
        record(journal, path=f"/p{index}")
    first = journal.entries(limit=10)
    second = journal.entries(limit=10, before=first[-1].id)
    third = journal.entries(limit=10, before=second[-1].id)
    paths = [e.path for e in first + second + third]
    assert paths == [f"/p{index}" for index in range(24, -1, -1)]
