"""core/yamlcache.py: a file that is JSON is read as JSON (fast, exact); anything else as YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mockserver.core.fixtures import FixtureError, load_fixture_file
from mockserver.core.yamlcache import load_yaml


def test_a_json_file_reads_as_json_with_exact_integers_and_yaml_as_yaml(tmp_path: Path) -> None:
    big = 2**70 + 1  # beyond 64 bits: stays an exact int
    data = {"users": [{"id": big, "name": "a", "when": "2024-01-01"}], "n": 1.5}
    as_json = tmp_path / "seed.yaml"
    as_json.write_text(json.dumps(data))
    loaded = load_yaml(as_json, yaml.SafeLoader)
    assert loaded == data and loaded["users"][0]["id"] == big and isinstance(loaded["users"][0]["id"], int)
    as_yaml = tmp_path / "other.yaml"
    as_yaml.write_text("users:\n  - {id: 1, name: a}\n")
    assert load_yaml(as_yaml, yaml.SafeLoader) == {"users": [{"id": 1, "name": "a"}]}


@pytest.mark.parametrize("text, says", [
    ('{"users": [{"id": ' + "9" * 5000 + "}]}", "not valid seed data"),  # too long for Python's int()
    ('{"users": [1, 2', "not valid YAML"),  # broken JSON: YAML reads it and says what is wrong
])
def test_json_that_is_not_seed_data_is_one_clear_error(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "titus.yaml"
    path.write_text(text)
    with pytest.raises(FixtureError) as caught:
        load_fixture_file(path)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_json_constants_are_not_numbers(tmp_path: Path) -> None:
    """JSON has no NaN: such a file is read by YAML, where a plain NaN is text."""
    path = tmp_path / "seed.yaml"
    path.write_text('{"n": NaN, "users": []}')
    assert load_yaml(path, yaml.SafeLoader) == {"n": "NaN", "users": []}
