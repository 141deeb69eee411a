"""Startup: fixtures validated against the spec; settings from flags and environment; CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mockserver.cli import build_parser, main
from mockserver.config import Settings, from_environ, package_data_dir
from mockserver.core.fixtures import FixtureError
from mockserver.app import create_app


def broken_fixtures(tmp_path: Path, edit) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(package_data_dir("fixtures"), target)
    data = yaml.safe_load((target / "titus.yaml").read_text())
    edit(data)
    (target / "titus.yaml").write_text(yaml.safe_dump(data))
    return target


def test_an_invalid_record_stops_startup_naming_file_record_and_field(tmp_path: Path) -> None:
    def edit(data):
        data["users"][3]["email"] = 42

    fixtures = broken_fixtures(tmp_path, edit)
    with pytest.raises(FixtureError) as info:
        create_app(Settings(vendor="titus", fixtures=fixtures))
    assert info.value.file.name == "titus.yaml"
    assert info.value.record == "users[3] (id 4)"
    assert info.value.field == "email"


def test_cli_exits_2_on_invalid_fixtures(tmp_path: Path, capsys) -> None:
    fixtures = broken_fixtures(tmp_path, lambda data: data["tokens"][0].pop("profile"))
    assert main(["run", "--vendor", "titus", "--fixtures", str(fixtures), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "titus.yaml" in err and "tokens[0]" in err and "profile" in err


def test_cli_exits_2_on_bad_settings(capsys) -> None:
    assert main(["run", "--litmos-rate-limit", "lots"]) == 2
    assert "rate limit" in capsys.readouterr().err


def test_environment_fills_settings_and_flags_win() -> None:
    env = {"MOCKSERVER_PORT": "9001", "MOCKSERVER_VENDOR": "litmos", "MOCKSERVER_QUIRKS": "true", "MOCKSERVER_SEED": "7"}
    settings = from_environ(env, port=9002)
    assert (settings.port, settings.vendor, settings.quirks, settings.seed) == (9002, "litmos", True, 7)
    assert from_environ({}).vendors == ("titus", "litmos", "tesla")


def test_help_explains_every_option(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--help"])
    text = capsys.readouterr().out
    for option in ("--host", "--port", "--vendor", "--fixtures", "--seed", "--log-level", "--litmos-rate-limit", "MOCKSERVER_"):
        assert option in text
