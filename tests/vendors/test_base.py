"""vendors/base.py `Backend.seal` / `Backend.fork`, and runtime.py's sealed seeds: every vendor's
fork starts exactly where a fresh build does, shares the seed's rows, and writes only its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver.app import build_vendors
from mockserver.config import Settings
from mockserver.core.clock import Clock
from mockserver.runtime import Runtime, sealed_seed
from mockserver.vendors.base import MASKED, Backend, Vendor, mask_secrets, mask_state

VENDORS = ("titus", "litmos", "tesla")


@pytest.fixture(scope="module")
def vendors() -> dict[str, Vendor]:
    return build_vendors(Settings(log_level="warning"))


def fresh_and_sealed(vendor: Vendor) -> Iterator[Backend]:
    yield vendor.build_backend(vendor.load_fixtures(vendor.settings.fixtures), Clock(), 1)
    yield sealed_seed(vendor, vendor.settings)


@pytest.mark.parametrize("name", VENDORS)
def test_a_fork_starts_exactly_where_a_fresh_build_does(vendors: dict[str, Vendor], name: str) -> None:
    fresh, seed = fresh_and_sealed(vendors[name])
    clock = Clock()
    fork = seed.fork(clock)
    assert fork.export_state() == fresh.export_state()
    assert fork.clock is clock and fork.lock is not seed.lock
    assert all(table.sealed for table in seed.tables.values())
    assert not any(table.sealed for table in fork.tables.values())


@pytest.mark.parametrize("name", VENDORS)
def test_a_forks_writes_reach_neither_the_seed_nor_another_fork(vendors: dict[str, Vendor], name: str) -> None:
    _, seed = fresh_and_sealed(vendors[name])
    before = seed.export_state()
    one, two = seed.fork(Clock()), seed.fork(Clock())
    for table in one.tables.values():
        first = next(table.rows(), None)
        if first is not None:
            assert first is seed.tables[table.name].get(first["id"])  # shared, not copied
            column = next(key for key in first if key != "id")
            table.update(first["id"], {column: first[column]})
            table.delete(first["id"])
    assert seed.export_state() == before and two.export_state() == before
    assert one.export_state() != before


def test_servers_in_one_process_share_a_seed_only_when_what_builds_it_agrees(tmp_path) -> None:
    plain = Runtime(Settings(log_level="warning"), build_vendors(Settings(log_level="warning")))
    again = Runtime(Settings(log_level="warning"), build_vendors(Settings(log_level="warning")))
    assert all(plain.seeds[name] is again.seeds[name] for name in VENDORS)
    other = Settings(log_level="warning", seed=2, quirks=True, litmos_rate_limit="5/60s")
    changed = Runtime(other, build_vendors(other))
    assert all(changed.seeds[name] is not plain.seeds[name] for name in VENDORS)
    assert changed.default.backends["litmos"].rate_limiter.limit.requests == 5
    assert plain.default.backends["litmos"].rate_limiter.limit.requests == 100


def test_a_realm_reset_gives_a_new_fork_of_the_seed(vendors: dict[str, Vendor]) -> None:
    runtime = Runtime(Settings(log_level="warning"), build_vendors(Settings(log_level="warning")))
    realm = runtime.default
    users = realm.backends["titus"].tables["users"]
    users.update(2, {"firstname": "Changed"})
    realm.reset("titus")
    assert realm.backends["titus"].tables["users"].get(2)["firstname"] != "Changed"
    assert realm.backends["titus"].export_state() == runtime.seeds["titus"].export_state()


def test_forgetting_the_memos_makes_the_next_server_see_a_patched_handler(monkeypatch) -> None:
    """Code is not part of a memo key: once the memos are forgotten, a server is built with the patch."""
    from asgi_support import InlineClient
    from mockserver.app import create_app
    from mockserver.core.bodies import json_response
    from mockserver.core.memo import forgotten
    from mockserver.vendors.titus import handlers

    settings = Settings(vendor="titus", log_level="warning")

    def version_info() -> dict:
        answer = InlineClient(create_app(settings)).get("/api/v1/version_info", headers={
            "Authorization": "Bearer titus-admin-token"})
        assert answer.status_code == 200, answer.text
        return answer.json()

    before = version_info()
    monkeypatch.setattr(handlers, "version_info", lambda: json_response({"release": "patched"}))
    assert version_info() == before  # the kept app
    with forgotten():  # afterwards: the unpatched servers this process kept, for later tests
        assert version_info() == {"release": "patched"}


@pytest.mark.parametrize("name", VENDORS)
def test_mask_state_masks_an_export_exactly_as_mask_secrets(vendors: dict[str, Vendor], name: str) -> None:
    vendor = vendors[name]
    state = sealed_seed(vendor, Settings()).export_state(copied=False)
    masked = mask_state(state, vendor.secret_fields)
    assert masked == mask_secrets(state, vendor.secret_fields)
    assert MASKED in str(masked)  # every vendor's seed holds a credential to mask


def test_mask_state_finds_a_secret_at_any_depth_and_walks_what_orjson_cannot_write() -> None:
    names = frozenset({"token"})
    state = {"tables": {
        "plain": {"next_id": 2, "rows": [{"id": 1, "note": 'a "token": in text is not a key'}]},
        "nested": {"next_id": 2, "rows": [{"id": 1, "meta": {"deep": [{"token": "t-1"}]}}]},
        "odd": {"next_id": 2, "rows": [{"id": 1, 7: {"token": "t-2"}}]},  # a key orjson will not write
    }, "token": "top"}
    masked = mask_state(state, names)
    assert masked == mask_secrets(state, names)
    assert masked["tables"]["plain"] is state["tables"]["plain"]  # nothing to mask: not walked
    assert masked["tables"]["nested"]["rows"][0]["meta"]["deep"][0]["token"] == MASKED
    assert masked["tables"]["odd"]["rows"][0][7]["token"] == MASKED and masked["token"] == MASKED
    assert state["tables"]["nested"]["rows"][0]["meta"]["deep"][0]["token"] == "t-1"  # the rows unchanged
