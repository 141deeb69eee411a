"""Core pieces: store, clock, rate limiter, journal, ids."""

from __future__ import annotations

import pytest

from mockserver.core.clock import Clock, ClockRangeError, parse_duration
from mockserver.core.ids import IdSource
from mockserver.core.journal import Journal, redact_headers, redact_query
from mockserver.core.ratelimit import Limit, RateLimiter
from mockserver.core.routes import RouteTable
from mockserver.core.store import Table, Unique, UniqueViolation, casefold_key


def make_people() -> Table:
    table = Table("people", unique=[Unique("email", casefold_key("email"))], orders={"name": lambda r: r["name"]},
                  fields=("name", "email"))
    for name in ("carol", "alice", "bob", "dave"):
        table.insert({"name": name, "email": f"{name}@example.org"})
    return table


def test_store_unique_index_is_case_insensitive_and_insert_changes_nothing_on_clash() -> None:
    table = make_people()
    with pytest.raises(UniqueViolation) as info:
        table.insert({"name": "x", "email": "ALICE@example.org"})
    assert info.value.index == "email"
    assert len(table) == 4 and table.next_id == 5


def test_store_update_checks_uniqueness_before_changing_anything() -> None:
    table = make_people()
    with pytest.raises(UniqueViolation):
        table.update(1, {"name": "zed", "email": "bob@example.org"})
    assert table.get(1) == {"id": 1, "name": "carol", "email": "carol@example.org"}
    table.update(1, {"email": "carol2@example.org"})
    assert table.find("email", "carol2@example.org")["id"] == 1
    assert table.find("email", "carol@example.org") is None


def test_store_pages_follow_the_ordered_view_both_ways() -> None:
    table = make_people()
    assert [r["name"] for r in table.page(0, 2, order="name").items] == ["alice", "bob"]
    assert [r["name"] for r in table.page(2, 5, order="name").items] == ["carol", "dave"]
    assert [r["name"] for r in table.page(0, 3, order="name", reverse=True).items] == ["dave", "carol", "bob"]
    assert [r["id"] for r in table.page(1, 2, reverse=True).items] == [3, 2]
    assert table.page(10, 2).items == [] and table.page(10, 2).total == 4
    table.update(4, {"name": "aaron"})
    assert table.page(0, 1, order="name").items[0]["id"] == 4


def test_store_dump_and_load_round_trip_and_reject_incomplete_rows() -> None:
    table = make_people()
    table.delete(2)
    dumped = table.dump()
    other = make_people()
    other.load(dumped)
    assert other.dump() == dumped and other.next_id == 5
    with pytest.raises(ValueError, match="lacks email"):
        other.load({"rows": [{"id": 1, "name": "x"}]})
    with pytest.raises(ValueError, match="integer id"):
        other.load({"rows": [{"id": "1", "name": "x", "email": "x@y"}]})


def test_parse_duration_units() -> None:
    assert parse_duration("61s") == 61
    assert parse_duration("250ms") == 0.25
    assert parse_duration("5m") == 300
    assert parse_duration("1h") == 3600
    assert parse_duration(2) == 2
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_clock_advances_freezes_and_stays_in_range() -> None:
    wall = [1000.0]
    clock = Clock(source=lambda: wall[0])
    clock.advance(61)
    assert clock.now() == 1061
    clock.freeze()
    wall[0] += 50
    assert clock.now() == 1061
    clock.unfreeze()
    wall[0] += 10
    assert clock.now() == 1071
    clock.set(5000)
    assert clock.now() == 5000
    with pytest.raises(ClockRangeError):
        clock.advance(1e15)
    assert clock.now() == 5000
    clock.reset()
    assert clock.now() == wall[0]


def test_rate_limiter_rolling_window_recovers_when_time_moves() -> None:
    clock = Clock(source=lambda: 0.0)
    limiter = RateLimiter(Limit.parse("3/60s"), clock)
    assert [limiter.hit("k") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("other") is True
    assert {key: counter.used for key, counter in limiter.counters().items()} == {"k": 3, "other": 1}
    clock.advance(30)
    assert limiter.hit("k") is False
    assert limiter.retry_after("k") == pytest.approx(30)
    clock.advance(31)
    assert limiter.hit("k") is True
    limiter.clear()
    assert limiter.counters() == {}


def test_rate_limiter_per_key_limits_and_prefill() -> None:
    clock = Clock(source=lambda: 0.0)
    limiter = RateLimiter(Limit.parse("100/60s"), clock)
    limiter.set_limit(Limit.parse("2/10s"), key="tight")
    assert [limiter.hit("tight") for _ in range(3)] == [True, True, False]
    assert limiter.retry_after("tight") == pytest.approx(10)
    limiter.fill("busy", 100)
    assert limiter.hit("busy") is False and limiter.hit("idle") is True
    counters = limiter.counters()
    assert (counters["busy"].used, counters["busy"].limit.requests, counters["busy"].retry_after) == (100, 100, 60)
    assert (counters["tight"].used, counters["tight"].limit.window) == (2, 10)
    clock.advance(10)
    assert limiter.hit("tight") is True and limiter.hit("busy") is False
    limiter.set_limit(Limit.parse("0/60s"), key="blocked")
    assert limiter.hit("blocked") is False and limiter.retry_after("blocked") == 60


def test_limit_parse_rejects_nonsense() -> None:
    assert str(Limit.parse("100/60s")) == "100/60s"
    for bad in ("x/60s", "10/-1s", "-1/60s"):
        with pytest.raises(ValueError):
            Limit.parse(bad)


def test_journal_is_bounded_newest_first_and_redacts_credentials() -> None:
    journal = Journal(capacity=3)
    for index in range(5):
        journal.record(time=index, vendor="a" if index % 2 else "b", method="GET", path=f"/p/{index}", query="",
                       status=200, duration_ms=1.0)
    assert [e.path for e in journal.entries()] == ["/p/4", "/p/3", "/p/2"]
    assert [e.path for e in journal.entries(vendor="a")] == ["/p/3"]
    assert journal.clear("b") == 2 and len(journal) == 1
    headers = redact_headers([(b"Authorization", b"Bearer secret"), (b"apikey", b"k"), (b"accept", b"*/*")])
    assert headers == {"authorization": "***", "apikey": "***", "accept": "*/*"}
    assert redact_query("apiKey=abc&source=x") == "apiKey=%2A%2A%2A&source=x"


def test_id_source_is_reproducible_from_the_seed() -> None:
    first, second, other = IdSource(7, "users"), IdSource(7, "users"), IdSource(8, "users")
    tokens = [first.url_token() for _ in range(3)]
    assert tokens == [second.url_token() for _ in range(3)]
    assert tokens != [other.url_token() for _ in range(3)]
    assert all(len(t) == 12 and t.endswith("1") for t in tokens)
    assert len(first.url_token(16)) == 23


def test_route_table_names_allowed_methods() -> None:
    routes = RouteTable({"/user/{id}": {"get": {}, "put": {}, "parameters": []}, "/users": {"get": {}}})
    assert routes.allowed("/user/12") == ("GET", "PUT")
    assert routes.allowed("/users") == ("GET",)
    assert routes.allowed("/user/12/x") is None
    literal = RouteTable({"/users/details": {"get": {}}, "/users/{id}": {"get": {}, "put": {}, "delete": {}}})
    assert literal.allowed("/users/details") == ("GET",)
    assert literal.allowed("/users/7") == ("GET", "PUT", "DELETE")
