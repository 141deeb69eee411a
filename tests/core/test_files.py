"""mockserver/core/files.py: a file is written whole or not at all, with the mode asked for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mockserver.core.files import write_atomically


def test_an_atomic_write_leaves_the_old_file_when_it_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "state.json"
    write_atomically(target, b"first", 0o600)

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomically(target, b"second", 0o600)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_the_file_has_the_mode_asked_for(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "seed.yaml"
    write_atomically(target, b"users: []\n", mode)
    assert stat.S_IMODE(target.stat().st_mode) == mode and target.read_bytes() == b"users: []\n"
