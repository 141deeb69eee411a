"""`mockserver` arguments and files: each mistake is one line on stderr and a documented exit code."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.cli import build_parser, main
from server_support import server_env


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Exit code and stderr lines, less what a slow start says about itself on the way
    (`mockserver.startup` progress: a loaded machine can take more than half a second)."""
    code = main(args)
    return code, [line for line in capsys.readouterr().err.splitlines()
                  if line.strip() and " INFO mockserver.startup: " not in line]


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_a_port_out_of_range_is_refused(port: str, capsys) -> None:
    code, err = run_main(["check", "--vendor", "titus", "--port", port], capsys)
    assert code == 2
    assert err == [f"mockserver: bad setting: port must be a number from 1 to 65535 (0: any free port), not {port}"]


@pytest.mark.parametrize("args", [["--tls-cert", "cert.pem"], ["--state-file", "missing-folder/state.json"],
                                  ["--port", "70000"]])
def test_a_bad_setting_is_refused_before_the_framework_is_imported(args: list[str], tmp_path: Path) -> None:
    """A refused start costs a fraction of a second, not the import of Connexion and the vendors."""
    probe = ("import sys\nfrom mockserver.cli import main\n"
             f"code = main(['run', *{args!r}])\n"
             "print(code, sorted(m for m in ('connexion', 'flask', 'mockserver.app', 'mockserver.vendors')"
             " if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env=server_env())
    assert done.stdout.split("\n")[0] == "2 []", (done.stdout, done.stderr)
    assert done.stderr.startswith("mockserver: bad setting: "), done.stderr


def test_a_port_in_use_is_one_line_before_anything_claims_to_listen(capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["run", "--vendor", "titus", "--port", str(port)])
    captured = capsys.readouterr()
    assert code == 3
    assert "listening" not in captured.out
    said = [line for line in captured.err.strip().splitlines() if " INFO mockserver.startup: " not in line]
    assert said == [f"mockserver: cannot listen on 127.0.0.1:{port}: Address already in use"]


def test_a_file_given_as_the_fixtures_directory_is_refused(tmp_path: Path, capsys) -> None:
    file = tmp_path / "titus.yaml"
    file.write_text("users: []\n")
    code, err = run_main(["check", "--vendor", "titus", "--fixtures", str(file)], capsys)
    assert (code, err) == (2, [f"mockserver: bad setting: fixtures: {file} is not a directory"])


@pytest.mark.parametrize("kind, message", [
    ("directory", "a directory, not a YAML file"),
    ("dangling", "a symbolic link to a file that does not exist"),
    ("deep", "nested more than 64 levels deep: not seed data"),
    ("very-deep", "not valid YAML"),
])
def test_a_bad_fixture_file_is_one_line_and_not_the_packaged_seed(kind: str, message: str, tmp_path: Path,
                                                                   capsys) -> None:
    target = tmp_path / "titus.yaml"
    if kind == "directory":
        target.mkdir()
    elif kind == "dangling":
        target.symlink_to(tmp_path / "missing.yaml")
    else:
        depth = 100 if kind == "deep" else 5000
        target.write_text("users: " + "[" * depth + "]" * depth + "\n")
    code, err = run_main(["check", "--vendor", "titus", "--fixtures", str(tmp_path)], capsys)
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"mockserver: invalid fixture: {target}") and message in err[0]


@pytest.mark.parametrize("kind, message", [
    ("missing", "cannot read the scenario file: No such file or directory"),
    ("directory", "cannot read the scenario file: Is a directory"),
    ("dangling", "cannot read the scenario file: No such file or directory"),
    ("deep", "nested more than 64 levels deep: not a scenario"),
    ("very-deep", "nested more than 64 levels deep: not a scenario"),
])
def test_a_bad_scenario_file_is_one_line(kind: str, message: str, tmp_path: Path, capsys) -> None:
    target = tmp_path / "case.yaml"
    if kind == "directory":
        target.mkdir()
    elif kind == "dangling":
        target.symlink_to(tmp_path / "missing.yaml")
    elif kind in ("deep", "very-deep"):
        depth = 100 if kind == "deep" else 5000
        target.write_text("faults: " + "[" * depth + "]" * depth + "\n")
    code, err = run_main(["check", "--vendor", "titus", "--scenario", str(target)], capsys)
    assert code == 2
    assert err == [f"mockserver: invalid scenario: {target}: {message}"]


def test_every_exit_code_is_documented_in_help() -> None:
    text = build_parser().format_help()
    for code in ("0", "1", "2", "3"):
        assert f"\n  {code}  " in text
