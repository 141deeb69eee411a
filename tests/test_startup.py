"""Startup: fixtures validated against the spec; settings from flags and environment; CLI."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import yaml

from mockserver.cli import build_parser, main
from mockserver.config import Settings, from_environ, package_data_dir
from mockserver.core.fixtures import FixtureError
from mockserver.app import create_app
from mockserver.core.yamlcache import load_yaml


def broken_fixtures(tmp_path: Path, edit) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(package_data_dir("fixtures"), target)
    data = load_yaml(target / "titus.yaml", yaml.CSafeLoader)
    edit(data)
    (target / "titus.yaml").write_text(yaml.dump(data, Dumper=yaml.CSafeDumper))
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


def test_a_fixtures_directory_needs_only_the_vendors_it_changes(tmp_path: Path) -> None:
    data = load_yaml(package_data_dir("fixtures") / "titus.yaml", yaml.CSafeLoader)
    data["users"][3]["firstname"] = "Custom"
    (tmp_path / "titus.yaml").write_text(yaml.dump(data, Dumper=yaml.CSafeDumper))
    app = create_app(Settings(fixtures=tmp_path))
    assert app.runtime.default.backends["titus"].users.get(data["users"][3]["id"])["firstname"] == "Custom"
    assert app.runtime.vendors["litmos"].fixture_path(tmp_path) == package_data_dir("fixtures") / "litmos.yaml"
    with pytest.raises(ValueError, match="not a directory"):
        Settings(fixtures=tmp_path / "missing")


def test_check_validates_without_serving(tmp_path: Path, capsys) -> None:
    assert main(["check", "--vendor", "litmos"]) == 0
    assert "litmos.yaml valid" in capsys.readouterr().out
    fixtures = broken_fixtures(tmp_path, lambda data: data["users"][0].pop("username"))
    assert main(["check", "--vendor", "titus", "--fixtures", str(fixtures)]) == 2
    assert "users[0]" in capsys.readouterr().err


def test_health_command_answers_for_a_running_mock(capsys) -> None:
    from mockserver.testing import MockServerThread

    assert main(["health", "--port", "1", "--timeout", "0.5"]) == 1
    with MockServerThread(Settings(vendor="litmos")) as server:
        assert main(["health", "--port", str(server.port)]) == 0
    assert "healthy" in capsys.readouterr().out


def test_yaml_cache_serves_the_same_data_and_follows_edits(tmp_path: Path, monkeypatch) -> None:
    from mockserver.core import yamlcache

    monkeypatch.setenv(yamlcache.CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "doc.yaml"
    source.write_text("a: [1, 2]\nname: x\n")
    first = yamlcache.load_yaml(source, yaml.SafeLoader)
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1
    assert yamlcache.load_yaml(source, yaml.SafeLoader) == first == yaml.safe_load(source.read_text())
    source.write_text("a: [3]\n")  # new content, new key: parsed again
    assert yamlcache.load_yaml(source, yaml.SafeLoader) == {"a": [3]}
    entry = next(iter((tmp_path / "cache").glob("*.json")))
    entry.write_bytes(entry.read_bytes()[:-3])  # a damaged entry is parsed again, not an error
    source.write_text("a: [1, 2]\nname: x\n")
    assert yamlcache.load_yaml(source, yaml.SafeLoader) == first
    monkeypatch.setenv(yamlcache.CACHE_ENV, "")  # off
    assert yamlcache.load_yaml(source, yaml.SafeLoader) == first


def test_yaml_cache_holds_no_code_and_skips_what_json_cannot_hold(tmp_path: Path, monkeypatch) -> None:
    import pickle

    from mockserver.core import yamlcache

    monkeypatch.setenv(yamlcache.CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "doc.yaml"
    source.write_text("a: 1\n")
    assert yamlcache.load_yaml(source, yaml.SafeLoader) == {"a": 1}
    entry = next(iter((tmp_path / "cache").glob("*.json")))
    assert entry.read_bytes().split(b"\n", 1)[1] == b'{"a":1}'  # plain JSON after its checksum

    class Planted:  # a pickle that would run code when loaded
        def __reduce__(self):
            return (print, ("planted code ran",))

    entry.write_bytes(pickle.dumps(Planted()))
    for old_style in (tmp_path / "cache").glob("*"):
        old_style.with_suffix(".pickle").write_bytes(pickle.dumps(Planted()))
    assert yamlcache.load_yaml(source, yaml.SafeLoader) == {"a": 1}  # parsed again, nothing ran
    dated = tmp_path / "dated.yaml"
    dated.write_text("when: 2030-01-01\n1: one\n")  # a date and an integer key: not JSON
    expected = yaml.safe_load(dated.read_text())
    assert yamlcache.load_yaml(dated, yaml.SafeLoader) == expected
    assert yamlcache.load_yaml(dated, yaml.SafeLoader) == expected
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1  # only doc.yaml's entry


def test_a_spec_is_checked_by_connexion_once_per_content(tmp_path: Path, monkeypatch) -> None:
    from connexion.exceptions import InvalidSpecification

    from mockserver.core import yamlcache
    from mockserver.core.memo import forgotten

    monkeypatch.setenv(yamlcache.CACHE_ENV, str(tmp_path / "cache"))
    with forgotten():  # as in a new process: the framework is built
        create_app(Settings(vendor="titus"))
    assert len(list((tmp_path / "cache").glob("openapi-*.ok"))) == 2  # titus and admin
    specs = tmp_path / "specs"
    shutil.copytree(package_data_dir("specs"), specs)
    spec = load_yaml(specs / "titus" / "openapi.yaml", yaml.CSafeLoader)
    spec["paths"]["/user/{id}"]["get"]["responses"] = "none"  # not OpenAPI: a changed spec is checked again
    (specs / "titus" / "openapi.yaml").write_text(yaml.dump(spec, Dumper=yaml.CSafeDumper))
    with pytest.raises(InvalidSpecification):
        create_app(Settings(vendor="titus", specs=specs))


def test_a_slow_start_says_what_it_is_doing(monkeypatch, caplog: pytest.LogCaptureFixture) -> None:
    """Past the quiet time (here none) the log names each step, the seed file with its size,
    and the time the start took."""
    import mockserver.core.progress

    monkeypatch.setattr(mockserver.core.progress, "QUIET_FOR", 0.0)
    caplog.set_level(logging.INFO, logger="mockserver.startup")
    assert main(["check", "--vendor", "litmos", "--seed", "7301"]) == 0  # a seed no other test builds
    said = [record.getMessage() for record in caplog.records if record.name == "mockserver.startup"]
    reading = [line for line in said if line.startswith("litmos seed: reading litmos.yaml (")]
    assert reading and reading[0].rstrip(" .").endswith(" MB)"), said
    assert said.index("litmos seed: building") < said.index("litmos seed: sealing") < said.index("routing the specs")
    assert said[-1].startswith("started in "), said
