"""Every recipe of docs/qa.md, run as written (bash, curl, jq, Python in their own processes) against
one real server with the defaults of `mockserver run`, on a loopback port of this process: the guide
cannot drift from what the mock does. A recipe is a ```sh recipe``` (bash + curl + jq) or
```python recipe``` block followed by a ```text expect``` block of lines its output must contain."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server_support import thread_server

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "qa.md"
_BLOCK = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_TITLE = re.compile(r"^#{2,4}\s+(.+?)\s*$", re.MULTILINE)


def parse_recipes(text: str) -> list[tuple[str, str, str, list[str]]]:
    """(title, language, code, expected lines) for each recipe block, titled by its heading."""
    recipes = []
    blocks = list(_BLOCK.finditer(text))
    for index, block in enumerate(blocks):
        info = block.group(1).split()
        if len(info) != 2 or info[1] != "recipe":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        assert following is not None and following.group(1).split() == ["text", "expect"], \
            f"a recipe at offset {block.start()} is not followed by a ```text expect``` block"
        assert not text[block.end():following.start()].strip(), "text between a recipe and its expect block"
        titles = _TITLE.findall(text[:block.start()])
        expected = [line for line in following.group(2).splitlines() if line.strip()]
        recipes.append((titles[-1], info[0], block.group(2), expected))
    return recipes


RECIPES = parse_recipes(GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    if shutil.which("curl") is None or shutil.which("jq") is None:
        pytest.skip("the recipes need curl and jq")
    with thread_server() as base:
        yield base


def test_the_guide_has_recipes_for_every_vendor() -> None:
    assert len(RECIPES) >= 20
    titles = [title for title, *_ in RECIPES]
    assert len(set(titles)) == len(titles), "recipe titles must be unique"
    for vendor in ("Titus", "Litmos", "TeSLA"):
        assert sum(title.startswith(vendor) for title in titles) >= 3, vendor
    assert any(language == "python" for _, language, _, _ in RECIPES)
    assert "## Python helper: mockserver.testing" in GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("language", "code", "expected"), [r[1:] for r in RECIPES], ids=[r[0] for r in RECIPES])
def test_recipe(mock_url: str, language: str, code: str, expected: list[str]) -> None:
    assert httpx.post(f"{mock_url}/__admin/reset", timeout=10).status_code == 200
    command = ["bash", "-euo", "pipefail", "-c", code] if language == "sh" else [sys.executable, "-c", code]
    result = subprocess.run(command, env={**os.environ, "MOCK": mock_url}, cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    output = result.stdout
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{output}\nstderr:\n{result.stderr}"
    missing = [line for line in expected if line not in output]
    assert not missing, f"missing {missing}\nstdout:\n{output}\nstderr:\n{result.stderr}"
