"""What every TeSLA resource module shares: the tables, the clock, the lock, the seed, the quirks
switch, the token signer and the spec's field orders. `TeslaBackend` builds one `State` and hands
it to each module it composes."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from ....core.clock import Clock
from ....core.store import Table
from .. import wire
from ..wire import FieldOrders
from ..tokens import TokenSigner


@dataclass(frozen=True)
class Tables:
    """The tables, by name (`TeslaBackend` registers them in this order, the order of an export)."""

    institutions: Table
    users: Table
    vles: Table
    approles: Table
    courses: Table
    instruments: Table
    activities: Table
    activity_instruments: Table
    reports: Table
    report_requests: Table
    report_audits: Table
    consents: Table
    consent_documents: Table
    send_categories: Table
    send_assignments: Table
    enrolments: Table
    ui_options: Table
    launchers: Table
    course_groups: Table
    storage: Table
    assessment_sessions: Table
    alerts: Table


@dataclass(frozen=True)
class State:
    """The shared state. Writes take `lock`; `quirks` asks for the real server's crashes (500);
    `fields` gives each answer's field order (the spec's schemas)."""

    tables: Tables
    clock: Clock
    lock: AbstractContextManager[Any]
    seed: int
    quirks: bool
    signer: TokenSigner
    fields: FieldOrders

    def now(self) -> int:
        """The mock clock's time in DRF's microseconds."""
        return wire.micros_now(self.clock.now())
