"""core/store.py's copy-on-write: a sealed seed that never changes, and forks that share its rows
until they write (docs/performance.md)."""

from __future__ import annotations

import copy
import json

import orjson
import pytest

from mockserver.core.store import FrozenList, FrozenRow, SealedError, Table, Unique, UniqueViolation, casefold_key


def sealed_people() -> Table:
    table = Table("people", unique=[Unique("email", casefold_key("email"))], orders={"name": lambda r: r["name"]},
                  fields=("name", "email"))
    for name in ("carol", "alice", "bob"):
        table.insert({"name": name, "email": f"{name}@example.org", "tags": [name[0]], "meta": {"n": 1}})
    table.seal()
    return table


def test_a_sealed_table_refuses_every_write_and_its_rows_refuse_change() -> None:
    seed = sealed_people()
    before = seed.dump()
    for write in (lambda: seed.insert({"name": "dan", "email": "d@example.org"}),
                  lambda: seed.update(1, {"name": "x"}), lambda: seed.delete(1), lambda: seed.load(before)):
        with pytest.raises(SealedError):
            write()
    row = seed.get(1)
    assert isinstance(row, FrozenRow) and isinstance(row["tags"], FrozenList)
    for change in (lambda: row.__setitem__("name", "x"), lambda: row.pop("name"), lambda: row.update(name="x"),
                   lambda: row["tags"].append("z"), lambda: row["meta"].__setitem__("n", 2), lambda: row.clear()):
        with pytest.raises(TypeError, match="never changes in place"):
            change()
    assert seed.dump() == before


def test_frozen_rows_read_serialise_and_copy_as_plain_values() -> None:
    row = sealed_people().get(2)
    assert row == {"id": 2, "name": "alice", "email": "alice@example.org", "tags": ["a"], "meta": {"n": 1}}
    assert orjson.loads(orjson.dumps(row)) == row and json.loads(json.dumps(row)) == row
    for copied in (copy.copy(row), copy.deepcopy(row), dict(row), {**row}):
        assert type(copied) is dict
        copied["name"] = "changed"
    deep = copy.deepcopy(row)
    assert type(deep["tags"]) is list and type(deep["meta"]) is dict
    deep["tags"].append("b")
    assert row["tags"] == ["a"]


def test_forks_share_the_seed_rows_and_their_writes_reach_no_one_else() -> None:
    seed = sealed_people()
    before = seed.dump()
    one, two = seed.fork(), seed.fork()
    assert one.get(1) is seed.get(1)  # no row copied to make a fork
    one.update(1, {"email": "c2@example.org"})
    one.insert({"name": "dan", "email": "dan@example.org", "tags": [], "meta": {}})
    one.delete(3)
    assert [r["name"] for r in one.rows(order="name")] == ["alice", "carol", "dan"]
    assert one.find("email", "c2@example.org")["id"] == 1 and one.find("email", "carol@example.org") is None
    assert one.get(2) is seed.get(2)  # a row nobody wrote is still the seed's
    assert seed.dump() == before and two.dump() == before
    assert two.find("email", "carol@example.org")["id"] == 1 and two.next_id == 4 and one.next_id == 5
    with pytest.raises(UniqueViolation):
        two.insert({"name": "x", "email": "BOB@example.org"})
    assert two.dump() == before


def test_update_puts_a_new_row_in_place_and_leaves_the_old_one_as_it_was() -> None:
    fork = sealed_people().fork()
    old = fork.get(1)
    new = fork.update(1, {"name": "cara"})
    assert new is fork.get(1) and new["name"] == "cara" and old["name"] == "carol"
    assert type(new) is dict
    newer = fork.update(1, {"name": "cat"})
    assert new["name"] == "cara" and newer["name"] == "cat"
    assert [r["name"] for r in fork.page(0, 5, order="name").items] == ["alice", "bob", "cat"]


def test_a_fork_loads_a_state_of_its_own_and_the_seed_keeps_its_rows() -> None:
    seed = sealed_people()
    before = seed.dump()
    fork = seed.fork()
    fork.load({"rows": [{"id": 7, "name": "zoe", "email": "z@example.org", "tags": [], "meta": {}}]})
    assert [r["id"] for r in fork.rows()] == [7] and fork.next_id == 8
    assert seed.dump() == before and len(seed) == 3


def test_a_cloned_view_behaves_as_one_built_from_scratch() -> None:
    """clone_view copies the library's chunks; after any mix of writes it must still be the same
    sorted list as one the library built itself, and pass the library's own invariant check."""
    import random

    from sortedcontainers import SortedKeyList

    from mockserver.core.store import clone_view

    rng = random.Random(7)
    key = lambda row: (row["k"], row["id"])  # noqa: E731
    rows = [{"id": i, "k": rng.randrange(500)} for i in range(5000)]
    original = SortedKeyList(rows, key=key)
    clone = clone_view(original)
    reference = SortedKeyList(rows, key=key)
    for step in range(3000):
        if step % 3 == 0:
            victim = clone[rng.randrange(len(clone))]
            clone.remove(victim)
            reference.remove(victim)
        else:
            row = {"id": 10_000 + step, "k": rng.randrange(500)}
            clone.add(row)
            reference.add(row)
    clone._check()  # noqa: SLF001 (the library's invariants)
    assert list(clone) == list(reference)
    assert list(clone.islice(100, 140)) == list(reference.islice(100, 140))
    assert clone.bisect_key_left((250, 0)) == reference.bisect_key_left((250, 0))
    assert list(original) == sorted(rows, key=key)  # the original is untouched


def test_a_sealed_copy_keeps_its_moment_while_the_table_goes_on() -> None:
    """A named snapshot: the live table writes on, the copy stays as it was, and forks of the
    copy start there, as often as wanted."""
    live = sealed_people().fork()
    live.insert({"name": "dan", "email": "dan@example.org", "tags": ["d"], "meta": {"n": 2}})
    live.update(2, {"name": "alicia"})
    moment = live.dump()
    copy_ = live.sealed_copy()
    assert copy_.sealed and copy_.dump() == moment
    assert all(isinstance(row, FrozenRow) for row in copy_.rows())
    assert [row["name"] for row in copy_.rows("name")] == ["alicia", "bob", "carol", "dan"]
    live.delete(4)
    live.update(1, {"name": "zed"})
    live.insert({"name": "eve", "email": "eve@example.org", "tags": [], "meta": {}})
    assert not isinstance(live.get(5), FrozenRow)  # the live table's own rows stay plain
    assert copy_.dump() == moment
    for _ in range(2):
        restored = copy_.fork()
        assert restored.dump() == moment
        restored.insert({"name": "fay", "email": "dan@example.org".replace("dan", "fay"), "tags": [], "meta": {}})
        with pytest.raises(UniqueViolation):
            restored.insert({"name": "dup", "email": "DAN@example.org", "tags": [], "meta": {}})
        assert copy_.dump() == moment
    with pytest.raises(SealedError):
        copy_.insert({"name": "gil", "email": "gil@example.org"})


@pytest.mark.parametrize("written", [False, True], ids=["borrowing", "own"])
def test_restoring_what_contents_kept_undoes_a_failed_load(written: bool) -> None:
    """A state import keeps each table's contents (no copy) and puts them back when a load fails:
    the table reads, finds, pages and writes on exactly as before, and its seed is untouched."""
    seed = sealed_people()
    seed_before = seed.dump()
    table = seed.fork()
    if written:  # its own indexes and views, no longer the seed's
        table.insert({"name": "dan", "email": "dan@example.org", "tags": [], "meta": {}})
    before, by_name = table.dump(), [r["id"] for r in table.rows("name")]
    kept = table.contents()
    clash = {"rows": [{"id": 1, "name": "x", "email": "x@example.org"}, {"id": 2, "name": "y", "email": "X@example.org"}]}
    with pytest.raises(UniqueViolation):
        table.load(clash)
    table.restore(kept)
    assert table.dump() == before and [r["id"] for r in table.rows("name")] == by_name
    assert table.find("email", "alice@example.org")["name"] == "alice" and table.next_id == before["next_id"]
    table.insert({"name": "eve", "email": "eve@example.org", "tags": [], "meta": {}})
    with pytest.raises(UniqueViolation):
        table.insert({"name": "bob2", "email": "BOB@example.org", "tags": [], "meta": {}})
    assert [r["name"] for r in table.rows("name")][-1] == "eve" and seed.dump() == seed_before
