"""pytest-xdist scheduling for a whole `pytest`: the minutes-long Schemathesis runs start first,
longest first, each on a worker with nothing long queued behind it.

Plain `--dist loadfile` queues the files with the most tests first and tops a worker up whenever
two tests or fewer wait on it. The one-test Schemathesis files came last, and a worker running
one was topped up with the next: three or four runs queued on one core while the other had
finished (13 minutes for the whole suite where the work was half that).

A worker runs a test only once it holds the next one (pytest hands each test its successor for
fixture teardown), so a long file goes out with one short file behind it: the worker starts the
long run at once and is given nothing more until it ends. The other worker takes the rest.
"""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadFileScheduling

# Longest first: seconds of one core for each run in-process on a 2-core machine (2026-12-07).
LONG_FILES = (
    "contract_tests/test_schemathesis_tesla.py",  # about 215 s
    "contract_tests/test_schemathesis_litmos.py",  # about 95 s
    "contract_tests/test_schemathesis_titus.py",  # about 60 s
    "contract_tests/test_schemathesis_admin.py",  # about 35 s
)


class LongestFirstScheduling(LoadFileScheduling):
    """`loadfile`, with LONG_FILES first and never two of them queued on one worker."""

    def _assign_work_unit(self, node: Any) -> None:
        for scope in reversed(LONG_FILES):
            if scope in self.workqueue:
                self.workqueue.move_to_end(scope, last=False)
        long_file = next(iter(self.workqueue)) in LONG_FILES
        super()._assign_work_unit(node)
        if long_file:
            # The follower the worker needs to start the run: the file with the fewest tests.
            follower = next((scope for scope in reversed(self.workqueue) if scope not in LONG_FILES), None)
            if follower is not None:
                self.workqueue.move_to_end(follower, last=False)
                super()._assign_work_unit(node)

    def _reschedule(self, node: Any) -> None:
        # Topped up later, when the run has ended: another worker may be free first. Unless the
        # worker holds the long test alone (no short file was left to follow it): it could not start.
        holds_a_follower = self._pending_of(self.assigned_work[node]) >= 2
        if self.workqueue and not node.shutting_down and holds_a_follower and self.runs_long_file(node):
            return
        super()._reschedule(node)

    def runs_long_file(self, node: Any) -> bool:
        return any(scope in LONG_FILES and not all(done.values())
                   for scope, done in self.assigned_work.get(node, {}).items())
