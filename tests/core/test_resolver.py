"""The shared operationId resolver: every operation has a handler and every handler an operation,
or the server does not start and says which."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mockserver.core.resolver import HandlerMismatch, checked_handlers, declared_handlers, operation_ids

PATHS = {
    "/a": {"get": {"operationId": "get_a"}, "post": {"operationId": "make_a"}, "parameters": []},
    "/b": {"delete": {"operationId": "drop_b"}},
}


def handler() -> None:
    """Stands in for a handler."""


def test_a_complete_table_is_returned_in_spec_order() -> None:
    table = checked_handlers("demo", PATHS, {"drop_b": handler, "make_a": handler, "get_a": handler})
    assert list(table) == ["get_a", "make_a", "drop_b"] == list(operation_ids(PATHS))


def test_missing_and_unused_handlers_are_both_named() -> None:
    with pytest.raises(HandlerMismatch) as raised:
        checked_handlers("demo", PATHS, {"get_a": handler, "make_a": handler, "old_c": handler})
    assert (raised.value.missing, raised.value.unused) == (["drop_b"], ["old_c"])
    assert str(raised.value) == "demo: operations with no handler: drop_b; handlers with no operation: old_c"


def test_a_package_without_all_is_refused() -> None:
    with pytest.raises(HandlerMismatch, match="declares no __all__"):
        declared_handlers("mockserver.core.clock")


@pytest.mark.parametrize("vendor", ["titus", "litmos", "tesla"])
def test_every_vendor_operation_resolves_to_its_declared_handler(vendor: str) -> None:
    from mockserver.config import Settings
    from mockserver.vendors import vendor_class

    served = vendor_class(vendor)(Settings(vendor=vendor), Settings().specs)
    assert list(served.handlers) == list(dict.fromkeys(operation_ids(served.spec.paths())))


def test_the_server_refuses_to_start_on_a_spec_with_an_unserved_operation(tmp_path: Path) -> None:
    from mockserver.app import create_app
    from mockserver.config import Settings

    source = Settings().specs
    for path in source.rglob("*.yaml"):
        target = tmp_path / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    titus = tmp_path / "titus" / "openapi.yaml"
    document = yaml.load(titus.read_bytes(), Loader=yaml.CSafeLoader)
    document["paths"]["/webservice/rest/unserved"] = {"get": {"operationId": "list_unicorns",
                                                              "responses": {"200": {"description": "ok"}}}}
    titus.write_text(yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")
    with pytest.raises(HandlerMismatch, match="^titus: operations with no handler: list_unicorns$"):
        create_app(Settings(vendor="titus", specs=tmp_path))
