"""The whole suite's scheduler (tests/xdist_longest_first.py), on a simulated two-worker run
shaped like this suite: four long Schemathesis files and some hundreds of short ones."""

from __future__ import annotations

import glob
import os
from pathlib import Path
from types import SimpleNamespace

from xdist.scheduler import LoadFileScheduling

from xdist_longest_first import LONG_FILES, LongestFirstScheduling

ROOT = Path(__file__).resolve().parent.parent
LONG_SECONDS = dict(zip(LONG_FILES, (215.0, 95.0, 60.0, 35.0)))


class Worker:
    """What the scheduler sees of a pytest-xdist worker, and the rule a real one follows: it
    runs a test only once it holds the next one, or has been told to shut down."""

    def __init__(self, clock: list[float], name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.clock = clock  # the simulation's now, shared
        self.queue: list[int] = []
        self.free_at = 0.0
        self.shutting_down = False
        self.ran: list[str] = []

    def send_runtest_some(self, indices: list[int]) -> None:
        self.free_at = max(self.free_at, self.clock[0])
        self.queue.extend(indices)

    def shutdown(self) -> None:
        self.free_at = max(self.free_at, self.clock[0])
        self.shutting_down = True


def simulate(scheduler_type: type[LoadFileScheduling], files: dict[str, list[float]]) -> list[Worker]:
    collection = [f"{name}::test_{i}" for name, tests in files.items() for i in range(len(tests))]
    seconds = [duration for tests in files.values() for duration in tests]
    config = SimpleNamespace(getvalue=lambda name: ["2*popen"], option=SimpleNamespace(loadscopereorder=True))
    quiet = SimpleNamespace(loadscopesched=lambda *words: None, loadfilesched=lambda *words: None)
    scheduler = scheduler_type(config, quiet)
    clock = [0.0]
    workers = [Worker(clock, "gw0"), Worker(clock, "gw1")]
    for worker in workers:
        scheduler.add_node(worker)
    for worker in workers:
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    while True:
        ready = [worker for worker in workers if len(worker.queue) >= 2 or (worker.queue and worker.shutting_down)]
        if not ready:
            assert not any(worker.queue for worker in workers), "a worker waits forever"
            return workers
        worker = min(ready, key=lambda w: w.free_at)
        index = worker.queue.pop(0)
        worker.free_at += seconds[index]
        worker.ran.append(collection[index])
        clock[0] = worker.free_at
        scheduler.mark_test_complete(worker, index)
        if scheduler.tests_finished:  # what pytest-xdist's session loop then does
            for each in workers:
                each.shutdown()


def suite_shape() -> dict[str, list[float]]:
    """Short files first, as collected: 150 s of short tests over 200 files of 1 to 40 tests."""
    files: dict[str, list[float]] = {}
    for number in range(200):
        count = 1 + (number * 7) % 40
        files[f"tests/test_short_{number}.py"] = [0.75 / count * (1 + number % 3)] * count
    short = sum(sum(tests) for tests in files.values())
    files = {name: [duration * 150 / short for duration in tests] for name, tests in files.items()}
    files.update({name: [LONG_SECONDS[name]] for name in LONG_FILES})
    return files


def test_the_long_files_start_first_and_the_run_ends_close_to_the_ideal() -> None:
    files = suite_shape()
    workers = simulate(LongestFirstScheduling, files)
    ran = sorted(name.split("::")[0] for worker in workers for name in worker.ran)
    assert ran == sorted(name for name, tests in files.items() for _ in tests)  # each test ran once
    # The two longest runs are the first tests of the two workers.
    assert sorted(worker.ran[0].split("::")[0] for worker in workers) == sorted(LONG_FILES[:2])
    total = sum(sum(tests) for tests in files.values())
    ideal = max(max(LONG_SECONDS.values()), total / 2)
    assert max(worker.free_at for worker in workers) <= ideal * 1.03


def test_no_worker_is_given_a_second_long_file_while_one_runs() -> None:
    for worker in simulate(LongestFirstScheduling, suite_shape()):
        files = [name.split("::")[0] for name in worker.ran]
        long_runs = [position for position, name in enumerate(files) if name in LONG_FILES]
        # Between two long runs on one worker came at least one short file (its follower).
        assert all(later - earlier >= 2 for earlier, later in zip(long_runs, long_runs[1:])), files


def test_a_run_of_long_files_alone_still_ends() -> None:
    """With no short file to follow a long one, the worker starts it when told to shut down."""
    workers = simulate(LongestFirstScheduling, {name: [LONG_SECONDS[name]] for name in LONG_FILES})
    assert sorted(name.split("::")[0] for worker in workers for name in worker.ran) == sorted(LONG_FILES)


def test_every_schemathesis_file_is_known_as_long() -> None:
    found = {os.path.relpath(path, ROOT) for path in glob.glob(str(ROOT / "contract_tests" / "test_schemathesis_*.py"))}
    assert found == set(LONG_FILES)
