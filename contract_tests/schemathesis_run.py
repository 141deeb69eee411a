"""Runs Schemathesis's engine over one spec with every default check and the stateful phase."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from .targets import Target


@dataclass
class RunReport:
    scenarios: int = 0
    phases: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # each phase's wall time

    def summary(self) -> str:
        timed = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.seconds.items())
        lines = [f"{self.scenarios} scenarios; phases: {self.phases}; time: {timed}"]
        lines += [f"FAILURE {text}" for text in self.failures]
        lines += [f"ERROR {text}" for text in self.errors]
        return "\n".join(lines)


def load_schema(target: Target, mount: str, config: dict[str, Any]) -> Any:
    cfg = SchemathesisConfig.from_dict(config)
    path = f"{target.prefix(mount)}/openapi.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if target.app is not None:
            return schemathesis.openapi.from_asgi(path, target.app, config=cfg)
        return schemathesis.openapi.from_url(f"{target.base_url}{path}", config=cfg)


def run(schema: Any, hooks: dict[str, Callable[..., Any]] | None = None) -> RunReport:
    for name, function in (hooks or {}).items():
        schema.hook(name)(function)
    report = RunReport()
    started: dict[str, float] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.PhaseStarted):
            started[_phase_name(event)] = time.monotonic()
        if isinstance(event, events.ScenarioFinished):
            report.scenarios += 1
            if event.status in (Status.FAILURE, Status.ERROR):
                report.failures.extend(_describe(event))
        elif isinstance(event, events.PhaseFinished):
            name = _phase_name(event)
            report.phases[name] = str(event.status)
            if name in started:
                report.seconds[name] = time.monotonic() - started[name]
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            label = getattr(event, "label", None)
            text = str(getattr(event, "info", event))[:2000]
            report.errors.append(f"{label}: {text}" if label else text)
    return report


def _phase_name(event: events.PhaseStarted | events.PhaseFinished) -> str:
    name = event.phase.name
    return name.value if hasattr(name, "value") else str(name)


def _describe(event: events.ScenarioFinished) -> list[str]:
    found: list[str] = []
    recorder = event.recorder
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status == Status.SUCCESS or check.failure_info is None:
                continue
            case = recorder.cases[case_id].value if case_id in recorder.cases else None
            interaction = recorder.interactions.get(case_id)
            response = getattr(interaction, "response", None)
            parts = [f"[{event.phase}] {event.label}: {check.name}: {str(check.failure_info.failure)[:400]}"]
            if case is not None:
                parts.append(f"  request: {case.method} {case.formatted_path} query={case.query} body={str(case.body)[:300]}")
            if response is not None:
                parts.append(f"  response: {response.status_code} {response.content[:300]!r}")
            found.append("\n".join(parts))
    return found
