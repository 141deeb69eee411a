"""A start says what it is doing only once it is slow, and counts at a bounded pace."""

from __future__ import annotations

import logging
import time

import pytest

from mockserver.core.progress import StartupProgress

LOG = logging.getLogger("tests.progress")


class Said:
    """What was said so far, read afresh each time."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def __call__(self) -> list[str]:
        return [record.getMessage() for record in self.caplog.records]


@pytest.fixture
def said(caplog: pytest.LogCaptureFixture) -> Said:
    caplog.set_level(logging.INFO, logger=LOG.name)
    return Said(caplog)


def test_a_quick_start_says_nothing(said: Said) -> None:
    progress = StartupProgress(LOG, quiet_for=0.5)
    progress.step("reading the specs")
    progress.count(500, 1000, "records")
    progress.done()
    time.sleep(0.6)  # the timer was cancelled: nothing later either
    assert said() == []


def test_a_slow_start_names_its_step_then_each_next_one(said: Said) -> None:
    progress = StartupProgress(LOG, quiet_for=0.05)
    progress.step("titus seed: reading titus.yaml")
    deadline = time.monotonic() + 5
    while not said() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert said() == ["titus seed: reading titus.yaml ..."]
    progress.step("titus seed: building")
    progress.done()
    assert said()[1] == "titus seed: building"
    assert said()[2].startswith("started in ") and said()[2].endswith(" s")


def test_counts_are_said_at_most_once_per_interval(said: Said) -> None:
    progress = StartupProgress(LOG, quiet_for=0.0, every=0.2)
    time.sleep(0.1)
    progress.step("checking")
    for done in range(0, 100_000, 1000):
        progress.count(done, 100_000, "users checked")
    time.sleep(0.25)
    progress.count(99_000, 100_000, "users checked")
    progress.done()
    counts = [line for line in said() if "users checked" in line]
    assert counts == ["users checked: 99,000 of 100,000"]


def test_silent_and_disabled_loggers_start_no_timer(said: Said) -> None:
    quiet_logger = logging.getLogger("tests.progress.quiet")
    quiet_logger.setLevel(logging.WARNING)
    for progress in (StartupProgress.silent(), StartupProgress(quiet_logger, quiet_for=0.0)):
        assert progress._timer is None  # noqa: SLF001
        progress.step("x")
        progress.done()
    assert said() == []
