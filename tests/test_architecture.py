"""The house stays as ARCHITECTURE.md draws it: imports flow one way (no circles, late imports
included), the core knows no vendor, and the page names every package and only modules that exist."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Mapping, Set as AbstractSet
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mockserver"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported(path: Path, root: Path = ROOT) -> Iterator[str]:
    """Every mockserver module `path` imports, at any depth (function bodies too), except under
    `if TYPE_CHECKING:`, which never runs."""
    own = module_name(path, root)
    package = own if is_package(path) else own.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def walk(node: ast.AST) -> Iterator[str]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    yield from walk(other)
                continue
            if isinstance(child, ast.Import):
                yield from (alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*anchor, base]) if base else ".".join(anchor)
                yield base
                yield from (f"{base}.{alias.name}" for alias in child.names)
            yield from walk(child)

    for name in walk(tree):
        if name == "mockserver" or name.startswith("mockserver."):
            yield name


@functools.cache  # three tests read it; parsing every module takes seconds (callers never change it)
def import_graph() -> dict[str, frozenset[str]]:
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, frozenset[str]] = {}
    for name, path in files.items():
        targets = {target for target in imported(path) if target in files and target != name}
        if is_package(path):  # a package's __init__ re-exporting its own modules is not a dependency
            targets = {target for target in targets if not target.startswith(name + ".")}
        graph[name] = frozenset(targets)
    return graph


def cycles(graph: Mapping[str, AbstractSet[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walker_sees_late_imports_and_skips_type_checking(tmp_path: Path) -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import x\ndef f():\n    from .c import y\n"
    path = tmp_path / "mockserver" / "vendors" / "probe.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    assert set(imported(path, tmp_path)) == {"mockserver.vendors.c", "mockserver.vendors.c.y"}


def test_the_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_mockserver_imports_have_no_circles() -> None:
    assert cycles(import_graph()) == []


def test_core_knows_no_vendor_and_no_layer_above_it() -> None:
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("mockserver.core"):
            above = sorted(t for t in targets if not t.startswith("mockserver.core"))
            assert above == [], f"{name} imports {above}"


def test_vendors_do_not_import_each_other() -> None:
    vendor = re.compile(r"^mockserver\.vendors\.([a-z]+)\.")
    for name, targets in import_graph().items():
        own = vendor.match(name + ".")
        if own is None or own.group(1) == "base":
            continue
        for target in targets:
            other = vendor.match(target + ".")
            assert other is None or other.group(1) in (own.group(1), "base"), f"{name} imports {target}"


def named_modules(text: str) -> set[str]:
    """Every `mockserver/...` path the page names (in code spans or the drawing)."""
    return set(re.findall(r"mockserver/[A-Za-z0-9_/<>.]*[A-Za-z0-9_>]", text))


def test_architecture_page_names_only_what_exists() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = []
    for named in sorted(named_modules(text)):
        if "<" in named:  # `mockserver/vendors/<vendor>/models/`: the same for every vendor
            for vendor in ("titus", "litmos", "tesla"):
                path = ROOT / re.sub(r"<[a-z]+>", vendor, named)
                if not path.exists():
                    missing.append(str(path.relative_to(ROOT)))
        elif not (ROOT / named).exists():
            missing.append(named)
    assert missing == []


def test_architecture_page_names_every_package() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = {re.sub(r"<[a-z]+>", "*", path).rstrip("/") for path in named_modules(text)}
    packages = sorted(str(path.parent.relative_to(ROOT)) for path in PACKAGE.rglob("*/__init__.py"))
    unnamed = [package for package in packages
               if package not in named and re.sub(r"vendors/(titus|litmos|tesla)", "vendors/*", package) not in named]
    assert unnamed == []
