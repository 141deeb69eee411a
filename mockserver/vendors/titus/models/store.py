"""The state every Titus resource shares: its tables (typed), the clock and the backend's lock.

Each resource class is built with this store plus the sibling resources it calls; it reads any
table it needs here and leaves another resource's rules (visibility, cascades) to that resource.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from typing import Any

from ....core.clock import Clock
from ....core.store import Row, Table

Lock = AbstractContextManager[Any]  # the backend's re-entrant lock: every read and write holds it


@dataclass(frozen=True)
class Tables:
    """Every table of the Titus state; `all()` gives them in the order the state export lists them."""

    users: Table
    deleted_users: Table  # users a deletion took out of `users` (paging stays O(page)), kept for audit
    tenants: Table
    cohorts: Table
    cohort_members: Table
    profile_fields: Table
    course_fields: Table
    job_assignments: Table
    org_frameworks: Table
    departments: Table
    positions: Table
    programs: Table
    program_users: Table
    deleted_records: Table  # job assignments and program enrolments a user's deletion took out, kept for audit
    categories: Table
    courses: Table
    roles: Table
    enrolments: Table
    groups: Table
    group_members: Table
    course_modules: Table
    activity_completions: Table
    course_completions: Table

    def all(self) -> tuple[Table, ...]:
        return tuple(getattr(self, column.name) for column in fields(self))


@dataclass(frozen=True)
class Store:
    """The tables with the clock that stamps them and the lock that guards them."""

    tables: Tables
    clock: Clock
    lock: Lock

    def now(self) -> int:
        """Unix seconds on the mock clock (Moodle's timestamps are whole seconds)."""
        return int(self.clock.now())

    def archive(self, source: str, row: Row) -> None:
        """Keep a row a cascade took out of a live table (soft delete: no read answers it any more)."""
        self.tables.deleted_records.insert({"source": source, "record": dict(row), "timedeleted": self.now()})


def delete_where(table: Table, predicate: Callable[[Row], bool]) -> None:
    """Delete every row of `table` that `predicate` holds for (what a cascade takes out)."""
    for row in [r for r in table.rows() if predicate(r)]:
        table.delete(row["id"])
