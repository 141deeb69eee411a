"""Fault rules: action validation, rule counters, ordering, seeded percent and delays, corrupt()."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockserver.core.faults import (ACTION_TYPES, MAX_DELAY_MS, Applied, FaultAction, FaultBook, FaultError,
                                    corrupt)
from mockserver.core.patterns import RequestView


def view(path: str = "/users/5", vendor: str | None = "titus", method: str = "GET") -> RequestView:
    return RequestView(vendor=vendor, method=method, path=path)


def action_refused(data: Any) -> str:
    with pytest.raises(FaultError) as info:
        FaultAction.from_dict(data)
    return str(info.value)


def rule_refused(book: FaultBook, data: Any) -> str:
    with pytest.raises(FaultError) as info:
        book.add(data)
    return str(info.value)


# -- action validation ----------------------------------------------------------------------------

def test_action_must_be_object_with_known_type() -> None:
    assert action_refused("status") == "action: must be a JSON object"
    assert action_refused({}).startswith("type: required, one of status, delay")
    assert action_refused({"type": "explode"}).startswith("type: required")
    assert action_refused({"type": "drop", "sttus": 500}).startswith("unknown key(s): sttus")
    assert ACTION_TYPES == ("status", "delay", "empty", "malformed", "drop", "reset")


def test_status_action_status_rules() -> None:
    assert action_refused({"type": "status"}) == "status: required for type status"
    assert action_refused({"type": "status", "status": "500"}) == "status: must be an integer"
    assert action_refused({"type": "status", "status": True}) == "status: must be an integer"
    assert action_refused({"type": "status", "status": 200}).startswith(
        "status: must be from 400 to 599 without a body")
    assert action_refused({"type": "status", "status": 600}).startswith("status: must be from 400 to 599")
    assert action_refused({"type": "status", "status": 99, "body": "x"}) == "status: must be from 200 to 599"
    assert action_refused({"type": "status", "status": 204, "body": "x"}).startswith("status: 204 has no body")
    assert FaultAction.from_dict({"type": "status", "status": 200, "body": {"ok": True}}).status == 200
    assert FaultAction.from_dict({"type": "status", "status": 503}) == FaultAction(type="status", status=503)


def test_status_refused_where_it_means_nothing() -> None:
    assert action_refused({"type": "drop", "status": 500}) == 'status: not allowed for type drop with when "before"'
    assert action_refused({"type": "empty", "status": 500}) == 'status: not allowed for type empty with when "after"'
    assert action_refused({"type": "delay", "delay_ms": 5, "status": 500}).startswith("status: not allowed")


def test_empty_and_malformed_before_need_an_error_status() -> None:
    assert action_refused({"type": "empty", "when": "before"}).startswith(
        'status: required for empty with when "before"')
    assert action_refused({"type": "malformed", "when": "before", "status": 200}).startswith("status: must be from 400")
    action = FaultAction.from_dict({"type": "malformed", "when": "before", "status": 500})
    assert (action.status, action.when) == (500, "before")


def test_when_defaults_and_validation() -> None:
    assert FaultAction.from_dict({"type": "empty"}).when == "after"
    assert FaultAction.from_dict({"type": "malformed"}).when == "after"
    for kind in ("drop", "reset"):
        assert FaultAction.from_dict({"type": kind}).when == "before"
    assert FaultAction.from_dict({"type": "status", "status": 500}).when == "before"
    assert FaultAction.from_dict({"type": "delay", "delay_ms": 1}).when == "before"
    assert FaultAction.from_dict({"type": "drop", "when": "after"}).when == "after"
    assert action_refused({"type": "drop", "when": "later"}) == 'when: must be "before" or "after"'


def test_body_rules_and_content_types() -> None:
    text = FaultAction.from_dict({"type": "status", "status": 500, "body": "oops é"})
    assert (text.body, text.content_type) == ("oops é".encode(), "text/plain")
    obj = FaultAction.from_dict({"type": "status", "status": 500, "body": {"a": [1, 2], "b": None}})
    assert (obj.body, obj.content_type) == (b'{"a":[1,2],"b":null}', "application/json")
    null = FaultAction.from_dict({"type": "status", "status": 500, "body": None})
    assert (null.body, null.content_type) == (b"null", "application/json")
    for value, raw in ((5, b"5"), (True, b"true"), ([1], b"[1]")):
        assert FaultAction.from_dict({"type": "status", "status": 418, "body": value}).body == raw
    custom = FaultAction.from_dict({"type": "status", "status": 500, "body": "<x/>", "content_type": "text/xml"})
    assert custom.content_type == "text/xml"
    assert action_refused({"type": "empty", "body": "x"}) == "body: only with type status, not empty"
    assert action_refused({"type": "status", "status": 500, "content_type": "text/xml"}) == \
        "content_type: only with a body"
    assert action_refused({"type": "status", "status": 500, "body": "x", "content_type": 5}) == \
        "content_type: must be a non-empty string"
    assert action_refused({"type": "status", "status": 500, "body": float("nan")}).startswith("body: not a JSON value")


def test_header_rules() -> None:
    action = FaultAction.from_dict({"type": "status", "status": 429, "headers": {"Retry-After": "3"}})
    assert action.headers == {"Retry-After": "3"}
    message = "headers: must be an object of header name -> string value"
    assert action_refused({"type": "status", "status": 429, "headers": {"Retry-After": 3}}) == message
    assert action_refused({"type": "status", "status": 429, "headers": ["x"]}) == message
    assert action_refused({"type": "reset", "headers": {"a": "b"}}) == \
        "headers: type reset sends no response to put headers on"


def test_delay_rules() -> None:
    assert action_refused({"type": "delay"}) == "delay_ms: required for type delay"
    span = f"must be a number from 0 to {MAX_DELAY_MS}"
    assert action_refused({"type": "delay", "delay_ms": -1}) == f"delay_ms: {span}"
    assert action_refused({"type": "delay", "delay_ms": MAX_DELAY_MS + 1}) == f"delay_ms: {span}"
    assert action_refused({"type": "delay", "delay_ms": "5"}) == f"delay_ms: {span}"
    assert action_refused({"type": "delay", "delay_ms": True}) == f"delay_ms: {span}"
    assert action_refused({"type": "delay", "delay_ms": 1, "delay_max_ms": 70_000}) == f"delay_max_ms: {span}"
    assert action_refused({"type": "delay", "delay_ms": 10, "delay_max_ms": 5}) == "delay_max_ms: must be >= delay_ms"
    assert action_refused({"type": "drop", "delay_max_ms": 5}) == "delay_max_ms: needs delay_ms"
    drop = FaultAction.from_dict({"type": "drop", "delay_ms": 250})
    assert drop.delay_ms == 250.0 and drop.delay_max_ms is None
    assert FaultAction.from_dict({"type": "delay", "delay_ms": 0, "delay_max_ms": MAX_DELAY_MS}).delay_max_ms == 60000.0


def test_action_to_dict_is_json_able() -> None:
    action = FaultAction.from_dict({"type": "status", "status": 500, "body": {"e": 1}, "headers": {"X-A": "1"},
                                    "delay_ms": 5, "delay_max_ms": 9})
    data = action.to_dict()
    assert data == {"type": "status", "when": "before", "status": 500, "body": '{"e":1}',
                    "content_type": "application/json", "headers": {"X-A": "1"}, "delay_ms": 5.0, "delay_max_ms": 9.0}
    assert json.loads(json.dumps(data)) == data
    assert FaultAction.from_dict({"type": "reset"}).to_dict() == {"type": "reset", "when": "before"}


# -- rule validation ------------------------------------------------------------------------------

def test_rule_validation_messages() -> None:
    book = FaultBook()
    assert rule_refused(book, []) == "a fault rule must be a JSON object"
    assert rule_refused(book, {"action": {"type": "drop"}, "count": 2}).startswith("unknown key(s): count")
    assert rule_refused(book, {}) == "action: required"
    assert rule_refused(book, {"action": {"type": "nope"}}).startswith("action: type: required")
    assert rule_refused(book, {"action": "drop"}) == "action: must be a JSON object"
    assert rule_refused(book, {"match": {"path_regex": "("}, "action": {"type": "drop"}}).startswith(
        "match: path_regex: not a valid regular expression")
    assert rule_refused(book, {"match": {"pathh": "/"}, "action": {"type": "drop"}}).startswith(
        "match: unknown key(s): pathh")
    for bad in (0, -1, 1.5, True, "2"):
        assert rule_refused(book, {"action": {"type": "drop"}, "times": bad}) == \
            "times: must be an integer >= 1 (or null for no limit)"
    for bad in (0, -5, 100.5, "50", False, float("inf")):
        assert rule_refused(book, {"action": {"type": "drop"}, "percent": bad}) == \
            "percent: must be a number greater than 0 and at most 100"
    assert rule_refused(book, {"action": {"type": "drop"}, "priority": 1.5}) == "priority: must be an integer"
    assert rule_refused(book, {"action": {"type": "drop"}, "name": 7}) == "name: must be a string"
    assert book.rules() == []
    assert book.add({"action": {"type": "drop"}}).id == "fault-1"  # refusals consume no ids


def test_rule_to_dict() -> None:
    book = FaultBook()
    rule = book.add({"match": {"vendor": "titus", "credential": "k1"}, "action": {"type": "status", "status": 503},
                     "times": 2, "priority": 3, "name": "outage"})
    data = rule.to_dict()
    assert data["id"] == "fault-1" and data["name"] == "outage"
    assert data["match"]["vendor"] == "titus" and "credential" not in data["match"]
    assert data["action"] == {"type": "status", "when": "before", "status": 503}
    assert (data["times"], data["percent"], data["priority"], data["matched"], data["applied"], data["remaining"]) == \
        (2, None, 3, 0, 0, 2)
    assert json.loads(json.dumps(data)) == data
    assert book.add({"action": {"type": "drop"}}).to_dict()["remaining"] is None


# -- picking --------------------------------------------------------------------------------------

def test_match_defaults_to_everything_and_only_matching_requests_count() -> None:
    book = FaultBook()
    every = book.add({"action": {"type": "drop"}})
    assert book.pick(view(vendor=None, path="/_admin")) == Applied("fault-1", every.action, 0.0)
    other = FaultBook()
    rule = other.add({"match": {"vendor": "tesla"}, "action": {"type": "drop"}})
    assert other.pick(view()) is None
    assert (rule.matched, rule.applied) == (0, 0)


def test_times_spends_the_rule_but_keeps_it_listed() -> None:
    book = FaultBook()
    rule = book.add({"match": {"path_glob": "/users/*"}, "action": {"type": "status", "status": 500}, "times": 2})
    assert book.pick(view()) is not None
    assert book.pick(view()) is not None
    assert book.pick(view()) is None
    assert (rule.matched, rule.applied, rule.to_dict()["remaining"]) == (2, 2, 0)
    assert book.rules() == [rule]


def test_priority_then_creation_order_and_one_rule_per_request() -> None:
    book = FaultBook()
    low = book.add({"action": {"type": "drop"}})
    high = book.add({"action": {"type": "reset"}, "priority": 5, "times": 1})
    tie = book.add({"action": {"type": "empty"}, "priority": 5})
    assert [r.id for r in book.rules()] == [high.id, tie.id, low.id]
    assert book.pick(view()).rule_id == high.id  # type: ignore[union-attr]
    assert book.pick(view()).rule_id == tie.id  # type: ignore[union-attr]
    assert (high.applied, tie.applied, low.matched, low.applied) == (1, 1, 0, 0)
    book.remove(tie.id)
    assert book.pick(view()).rule_id == low.id  # type: ignore[union-attr]


def test_percent_skip_falls_through_to_next_rule() -> None:
    book = FaultBook(seed=7)
    flaky = book.add({"action": {"type": "reset"}, "percent": 50, "priority": 1})
    steady = book.add({"action": {"type": "drop"}})
    picks = [book.pick(view()) for _ in range(40)]
    assert all(p is not None for p in picks)
    flaky_count = sum(p.rule_id == flaky.id for p in picks)  # type: ignore[union-attr]
    assert 0 < flaky_count < 40
    assert (flaky.matched, flaky.applied) == (40, flaky_count)
    assert (steady.matched, steady.applied) == (40 - flaky_count, 40 - flaky_count)


def decisions(seed: int, count: int = 200, percent: float = 50) -> list[bool]:
    book = FaultBook(seed=seed)
    book.add({"action": {"type": "drop"}, "percent": percent})
    return [book.pick(view()) is not None for _ in range(count)]


def test_percent_is_deterministic_per_seed() -> None:
    assert decisions(1) == decisions(1)
    assert decisions(42) == decisions(42)
    assert decisions(1) != decisions(2)


def test_percent_share_is_roughly_right() -> None:
    share = sum(decisions(3, count=1000, percent=30)) / 1000
    assert 0.20 <= share <= 0.40
    assert all(decisions(3, count=50, percent=100))


def test_percent_with_times_stops_after_n_applications() -> None:
    book = FaultBook()
    rule = book.add({"action": {"type": "drop"}, "percent": 50, "times": 3})
    applied = [book.pick(view()) is not None for _ in range(100)]
    assert sum(applied) == 3 and rule.applied == 3 and rule.matched > 3


def test_random_delay_within_bounds_and_deterministic() -> None:
    def delays(seed: int) -> list[float]:
        book = FaultBook(seed=seed)
        book.add({"action": {"type": "delay", "delay_ms": 100, "delay_max_ms": 300}})
        return [book.pick(view()).delay_seconds for _ in range(50)]  # type: ignore[union-attr]

    first = delays(9)
    assert all(0.1 <= d <= 0.3 for d in first)
    assert len(set(first)) > 10
    assert first == delays(9)
    assert first != delays(10)


def test_fixed_delay_and_no_delay() -> None:
    book = FaultBook()
    book.add({"match": {"path": "/slow"}, "action": {"type": "status", "status": 504, "delay_ms": 1500}})
    book.add({"action": {"type": "drop"}})
    assert book.pick(view("/slow")).delay_seconds == 1.5  # type: ignore[union-attr]
    assert book.pick(view("/fast")).delay_seconds == 0.0  # type: ignore[union-attr]


# -- get / remove / clear ------------------------------------------------------------------------

def test_get_and_remove() -> None:
    book = FaultBook()
    rule = book.add({"action": {"type": "drop"}})
    assert book.get("fault-1") is rule and book.get("fault-9") is None
    assert book.remove("fault-1") is True
    assert book.remove("fault-1") is False
    assert book.add({"action": {"type": "drop"}}).id == "fault-2"  # remove alone does not restart ids


def test_clear_by_vendor_keeps_others_and_ids_continue() -> None:
    book = FaultBook()
    book.add({"match": {"vendor": "titus"}, "action": {"type": "drop"}})
    keep = book.add({"match": {"vendor": "tesla"}, "action": {"type": "drop"}})
    book.add({"match": {"vendor": "titus"}, "action": {"type": "reset"}})
    anywhere = book.add({"action": {"type": "reset"}})
    assert book.clear("titus") == 2
    assert book.rules() == [keep, anywhere]
    assert book.clear("litmos") == 0
    assert book.add({"action": {"type": "drop"}}).id == "fault-5"


def test_full_clear_restarts_ids_and_decisions() -> None:
    book = FaultBook(seed=5)
    book.add({"action": {"type": "drop"}, "percent": 50})
    first = [book.pick(view()) is not None for _ in range(30)]
    assert book.clear() == 1 and book.rules() == []
    rule = book.add({"action": {"type": "drop"}, "percent": 50})
    assert rule.id == "fault-1"
    assert [book.pick(view()) is not None for _ in range(30)] == first
    book.add({"match": {"vendor": "titus"}, "action": {"type": "drop"}})
    assert book.clear("titus") == 1
    assert book.clear("tesla") == 0
    assert book.clear() == 1
    assert book.add({"action": {"type": "drop"}}).id == "fault-1"


# -- corrupt --------------------------------------------------------------------------------------

def test_corrupt_cuts_body_in_half() -> None:
    body = b'{"id": 1, "name": "Ann"}'
    assert corrupt(body) == body[:12]
    assert corrupt(body) == corrupt(body)
    with pytest.raises(ValueError):
        json.loads(corrupt(body))
    assert corrupt(b"<a><b>1</b></a>") == b"<a><b>1"
    assert corrupt(b"") == b"<"
    assert corrupt(b"x") == b"<"
    assert corrupt(b"ab") == b"a"
