"""Request patterns: validation, path/query/header/credential matching, body subset matching."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from mockserver.core.patterns import PatternError, RequestPattern, RequestView, fingerprint, parsed_body


def view(path: str = "/users/5", method: str = "GET", **kwargs: Any) -> RequestView:
    kwargs.setdefault("vendor", "titus")
    return RequestView(method=method, path=path, **kwargs)


def pat(**data: Any) -> RequestPattern:
    return RequestPattern.from_dict(data)


def refused(data: Any) -> str:
    with pytest.raises(PatternError) as info:
        RequestPattern.from_dict(data)
    return str(info.value)


# -- validation -----------------------------------------------------------------------------------

def test_fingerprint_is_sha256_prefix() -> None:
    expected = "sha256:" + hashlib.sha256("s3cret".encode()).hexdigest()[:16]
    assert fingerprint("s3cret") == expected
    assert len(fingerprint("x")) == len("sha256:") + 16


def test_pattern_must_be_an_object() -> None:
    assert "must be a JSON object" in refused(["path"])
    assert "must be a JSON object" in refused(None)


def test_unknown_keys_are_named() -> None:
    message = refused({"pth": "/x", "verb": "GET", "path": "/x"})
    assert "unknown key(s): pth, verb" in message


@pytest.mark.parametrize("key", ["vendor", "path", "path_glob", "path_regex", "credential", "body_contains"])
def test_string_keys_refuse_other_types(key: str) -> None:
    assert refused({key: 5}) == f"{key}: must be a string"


def test_method_validation() -> None:
    assert "method: must be a string or a non-empty list" in refused({"method": []})
    assert "method: must be a string or a non-empty list" in refused({"method": 5})
    assert "method: not an HTTP method: 5" in refused({"method": ["GET", 5]})
    assert "method: not an HTTP method: 'G ET'" in refused({"method": "G ET"})


def test_method_forms() -> None:
    assert pat(method="post").methods == ("POST",)
    assert pat(method=["get", "DELETE", "GET"]).methods == ("GET", "DELETE")
    assert pat(method="*").methods == ()
    assert pat(method=["GET", "*"]).methods == ()
    assert pat(method=["GET", "PUT"]).matches(view(method="PUT"))
    assert not pat(method=["GET", "PUT"]).matches(view(method="POST"))


def test_bad_regex_is_refused() -> None:
    assert refused({"path_regex": "/users/(["}).startswith("path_regex: not a valid regular expression")


def test_status_validation() -> None:
    for bad in (99, 600, "200", True, 200.0):
        assert refused({"status": bad}) == "status: must be an integer from 100 to 599"
    assert pat(status=100).status == 100 and pat(status=599).status == 599


def test_query_and_header_validation() -> None:
    assert "query: must be an object" in refused({"query": "a=1"})
    assert refused({"query": {"page": 2}}) == 'query.page: must be a string, "*" or null'
    assert refused({"headers": {"": "x"}}) == "headers: names must be non-empty strings"
    assert "headers: must be an object" in refused({"headers": ["x"]})


def test_body_and_credential_validation() -> None:
    assert refused({"body": ["a"]}) == "body: must be an object of field -> value"
    assert refused({"credential": ""}) == "credential: must not be empty"


def test_to_dict_normalizes_and_hides_credential() -> None:
    pattern = pat(vendor="tesla", method="get", path_glob="/a/*", query={"Page": "*"}, headers={"X-Y": None},
                  credential="topsecret", body={"a": 1}, status=404)
    data = pattern.to_dict()
    assert data == {"vendor": "tesla", "method": ["GET"], "path_glob": "/a/*", "query": {"page": "*"},
                    "headers": {"x-y": None}, "credential_id": fingerprint("topsecret"), "body": {"a": 1},
                    "status": 404}
    assert "topsecret" not in repr(data)
    assert pat().to_dict() == {}


# -- path, vendor, status -----------------------------------------------------------------------

def test_empty_pattern_matches_everything() -> None:
    assert pat().matches(view())
    assert pat().matches(RequestView(vendor=None, method="POST", path="/_admin/x"))


def test_vendor_and_exact_path() -> None:
    assert pat(vendor="titus", path="/users/5").matches(view())
    assert not pat(vendor="tesla").matches(view())
    assert not pat(path="/users/5/").matches(view())


def test_glob_single_star_stays_in_one_segment() -> None:
    glob = pat(path_glob="/users/*")
    assert glob.matches(view("/users/5"))
    assert glob.matches(view("/users/"))
    assert not glob.matches(view("/users/5/groups"))
    assert pat(path_glob="/users/*/groups").matches(view("/users/5/groups"))
    assert not pat(path_glob="/users/*/groups").matches(view("/users/5/6/groups"))


def test_glob_double_star_crosses_segments() -> None:
    glob = pat(path_glob="/users/**")
    assert glob.matches(view("/users/5/groups/7"))
    assert glob.matches(view("/users/5"))
    assert not glob.matches(view("/courses/5"))
    assert pat(path_glob="/**/groups").matches(view("/users/5/groups"))


def test_glob_question_mark_is_one_non_slash_char() -> None:
    glob = pat(path_glob="/users/?")
    assert glob.matches(view("/users/5"))
    assert not glob.matches(view("/users/55"))
    assert not pat(path_glob="/users?5").matches(view("/users/5"))


def test_glob_other_characters_are_literal() -> None:
    assert pat(path_glob="/a.b+(c)").matches(view("/a.b+(c)"))
    assert not pat(path_glob="/a.b").matches(view("/axb"))


def test_regex_is_full_match() -> None:
    regex = pat(path_regex=r"/users/\d+")
    assert regex.matches(view("/users/42"))
    assert not regex.matches(view("/users/42/groups"))
    assert not regex.matches(view("/v1/users/42"))


def test_status_needs_a_known_status() -> None:
    assert pat(status=404).matches(view(status=404))
    assert not pat(status=404).matches(view(status=200))
    assert not pat(status=404).matches(view())


# -- query, headers, credential -----------------------------------------------------------------

def test_query_exact_present_absent_and_case_insensitive_names() -> None:
    v = view(query=(("Page", "2"), ("tag", "a"), ("tag", "b")))
    assert pat(query={"page": "2"}).matches(v)
    assert pat(query={"PAGE": "*"}).matches(v)
    assert pat(query={"tag": "b"}).matches(v)
    assert not pat(query={"page": "3"}).matches(v)
    assert not pat(query={"size": "*"}).matches(v)
    assert pat(query={"size": None}).matches(v)
    assert not pat(query={"page": None}).matches(v)
    assert not pat(query={"tag": "a,b"}).matches(v)


def test_query_value_is_case_sensitive() -> None:
    assert not pat(query={"q": "abc"}).matches(view(query=(("q", "ABC"),)))


def test_headers_present_absent_and_names() -> None:
    v = view(headers={"x-request-id": "r1", "accept": "application/json"})
    assert pat(headers={"X-Request-ID": "r1"}).matches(v)
    assert pat(headers={"Accept": "*"}).matches(v)
    assert pat(headers={"If-Match": None}).matches(v)
    assert not pat(headers={"accept": None}).matches(v)
    assert not pat(headers={"accept": "text/xml"}).matches(v)
    assert not pat(headers={"x-missing": "*"}).matches(v)


def test_credential_matches_by_fingerprint() -> None:
    v = view(credential_id=fingerprint("key-A"))
    assert pat(credential="key-A").matches(v)
    assert not pat(credential="key-B").matches(v)
    assert not pat(credential="key-A").matches(view())


def test_body_contains() -> None:
    v = view(body="héllo wörld".encode() + b"\xff")
    assert pat(body_contains="wörld").matches(v)
    assert pat(body_contains="\ufffd").matches(v)
    assert not pat(body_contains="moon").matches(v)


def test_all_fields_are_anded() -> None:
    pattern = pat(vendor="titus", method="POST", path_glob="/users/*", query={"x": "1"})
    assert pattern.matches(view(method="POST", query=(("x", "1"),)))
    assert not pattern.matches(view(method="GET", query=(("x", "1"),)))
    assert not pattern.matches(view(method="POST"))


# -- body subset matching ------------------------------------------------------------------------

JSON_BODY = b'{"user": {"name": "Ann", "age": 5, "admin": false, "tags": ["a", "b"]}, ' \
            b'"items": [{"id": 7}, {"id": 8}], "n": null}'


def json_view(body: bytes = JSON_BODY, content_type: str | None = "application/json") -> RequestView:
    return view(method="POST", body=body, content_type=content_type)


def test_json_subset_and_dotted_paths() -> None:
    v = json_view()
    assert pat(body={"user": {"name": "Ann"}}).matches(v)
    assert pat(body={"user.name": "Ann", "user.age": 5}).matches(v)
    assert pat(body={"items.1.id": 8}).matches(v)
    assert pat(body={"items": {"0": {"id": 7}}}).matches(v)
    assert pat(body={"user.tags": ["a", "b"]}).matches(v)
    assert pat(body={"n": None}).matches(v)
    assert not pat(body={"items.2.id": 8}).matches(v)
    assert not pat(body={"items.x": 8}).matches(v)
    assert not pat(body={"user.name": "Bob"}).matches(v)
    assert not pat(body={"user.missing": None}).matches(v)
    assert not pat(body={"user.tags": ["a"]}).matches(v)


def test_json_values_compare_strictly() -> None:
    v = json_view()
    assert not pat(body={"user.age": "5"}).matches(v)
    assert not pat(body={"user.admin": 0}).matches(v)
    assert pat(body={"user.admin": False}).matches(v)
    assert pat(body={"user.age": 5.0}).matches(v)


def test_json_top_level_array_and_sniffing() -> None:
    v = json_view(b'[{"id": 1}, {"id": 2}]', content_type=None)
    assert pat(body={"1.id": 2}).matches(v)
    assert pat(body={"user.name": "Ann"}).matches(json_view(content_type=None))
    assert pat(body={"a": 1}).matches(json_view(b'{"a": 1}', content_type="application/vnd.api+json"))


def test_unparseable_or_scalar_body_never_matches() -> None:
    assert not pat(body={"a": 1}).matches(json_view(b'{"a": 1'))
    assert not pat(body={"a": 1}).matches(json_view(b'5'))
    assert not pat(body={"a": 1}).matches(json_view(b''))
    assert not pat(body={"a": 1}).matches(json_view(b'{"a": 1}', content_type="text/plain"))
    assert not pat(body={"a": 1}).matches(json_view(b'\xff\xfe', content_type=None))


XML_BODY = b"""<?xml version="1.0"?>
<User xmlns="http://example.org/ns">
  <Name> Ann </Name>
  <Age>5</Age>
  <Active>true</Active>
  <Address><City>Oslo</City><Zip>0150</Zip></Address>
  <Tag>a</Tag><Tag>b</Tag><Tag>c</Tag>
  <Empty/>
  <!-- a comment -->
</User>"""


def xml_view(body: bytes = XML_BODY, content_type: str | None = "application/xml") -> RequestView:
    return view(method="PUT", body=body, content_type=content_type)


def test_xml_root_children_become_a_dict() -> None:
    document, stringly = parsed_body(xml_view())  # type: ignore[misc]
    assert stringly is True
    assert document == {"Name": "Ann", "Age": "5", "Active": "true", "Address": {"City": "Oslo", "Zip": "0150"},
                        "Tag": ["a", "b", "c"], "Empty": ""}


def test_xml_subset_with_string_comparison() -> None:
    v = xml_view()
    assert pat(body={"Name": "Ann", "Age": 5, "Active": True}).matches(v)
    assert pat(body={"Address.City": "Oslo", "Address": {"Zip": "0150"}}).matches(v)
    assert pat(body={"Tag.2": "c", "Tag": ["a", "b", "c"]}).matches(v)
    assert not pat(body={"Age": 6}).matches(v)
    assert not pat(body={"Active": False}).matches(v)
    assert not pat(body={"Address.Zip": 150}).matches(v)
    assert not pat(body={"Tag.3": "d"}).matches(v)


def test_xml_detected_by_content_type_or_sniffing() -> None:
    assert pat(body={"Name": "Ann"}).matches(xml_view(content_type="text/xml; charset=utf-8"))
    assert pat(body={"Name": "Ann"}).matches(xml_view(content_type=None))
    assert pat(body={"Name": "Ann"}).matches(xml_view(content_type="text/plain"))
    assert not pat(body={"Name": "Ann"}).matches(xml_view(b"<User><Name>Ann</User>"))


def test_hostile_xml_with_doctype_does_not_match_or_raise() -> None:
    hostile = b"""<?xml version="1.0"?>
<!DOCTYPE User [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<User><Name>&lol2;</Name><Age>5</Age></User>"""
    v = xml_view(hostile)
    assert parsed_body(v) is None
    assert not pat(body={"Age": "5"}).matches(v)
    external = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r><a>&x;</a></r>'
    assert not pat(body={"a": "*"}).matches(xml_view(external, content_type=None))


def test_form_body_last_value_wins_and_compares_as_text() -> None:
    v = view(method="POST", body=b"name=Ann&age=5&age=6&ok=true&user.id=9",
             content_type="application/x-www-form-urlencoded")
    assert pat(body={"name": "Ann", "age": 6, "ok": True}).matches(v)
    assert pat(body={"user.id": "9"}).matches(v)  # a literal dotted key wins over splitting
    assert not pat(body={"age": 5}).matches(v)
    assert pat(body={"name": "Ann"}).matches(view(method="POST", body=b"name=Ann"))


def test_parsed_body_is_cached_on_the_view() -> None:
    v = json_view()
    first = parsed_body(v)
    assert parsed_body(v) is first
    assert v == json_view()  # the cache is not part of equality
