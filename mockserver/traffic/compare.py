"""`mockserver compare traffic.jsonl`: replay a recording and report, exchange by exchange, where
the answers differ from the recorded ones (differences.py says what is compared).

By default the recording replays, in order, against a fresh namespace of a mock started in this
process (every vendor mounted, the packaged seed or `--fixtures`); `--against URL` replays it
against any live base URL instead (the vendor's sandbox, a running mock's vendor mount), so a
recording taken months ago can be checked against the vendor today. The report is text, JSON or
JUnit XML; the exit code is 0 only when nothing differs beyond the ignore list.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import httpx

from .differences import Difference, differences
from .recording import read_recording
from .replay import Credentials, Replayer


@dataclass(frozen=True)
class Outcome:
    seq: int
    vendor: str
    method: str
    path: str
    differences: tuple[Difference, ...]

    @property
    def name(self) -> str:
        return f"#{self.seq} {self.vendor} {self.method} {self.path}"


@contextmanager
def fresh_mock_namespace(fixtures: Path | None = None) -> Iterator[Callable[[str], str]]:
    """A mock in this process, and `vendor -> base URL` in a namespace no one else uses."""
    from ..config import Settings
    from ..testing.client import MockClient
    from ..testing.server import MockServerThread

    settings = Settings(fixtures=fixtures) if fixtures else Settings()
    server = MockServerThread(settings).start()
    try:
        with MockClient(server.base_url) as admin:
            mounts = admin.health()["mounts"]
        namespace = f"compare-{uuid.uuid4().hex[:12]}"
        yield lambda vendor: f"{server.base_url}/ns/{namespace}{mounts[vendor].rstrip('/')}"
    finally:
        server.stop()


def replay(exchanges: Sequence[dict[str, Any]], base_url: Callable[[str], str], credentials: Credentials,
           ignore: frozenset[str], timeout: float = 30) -> list[Outcome]:
    outcomes = []
    with httpx.Client(timeout=timeout, trust_env=False) as client:
        replayer = Replayer(credentials, client)
        for exchange in exchanges:
            request = exchange["request"]
            replayed, sent = replayer.send(base_url(exchange["vendor"]), exchange)
            found = differences(exchange["response"], replayed, sent, ignore)
            outcomes.append(Outcome(exchange["seq"], exchange["vendor"], request["method"], request["path"],
                                    tuple(found)))
    return outcomes


def compare_file(path: Path, *, against: str | None = None, credentials: Credentials | None = None,
                 ignore: frozenset[str] = frozenset(), fixtures: Path | None = None) -> list[Outcome]:
    """Every exchange of the recording at `path`, replayed and compared."""
    exchanges = read_recording(path)
    credentials = credentials or Credentials()
    if against is not None:
        vendors = {exchange["vendor"] for exchange in exchanges}
        if len(vendors) > 1:
            raise ValueError(f"--against names one vendor's base URL; the recording holds {', '.join(sorted(vendors))}")
        return replay(exchanges, lambda vendor: against, credentials, ignore)
    with fresh_mock_namespace(fixtures) as base_url:
        return replay(exchanges, base_url, credentials, ignore)


# -- reports ------------------------------------------------------------------------------------------

def text_report(outcomes: Sequence[Outcome]) -> str:
    lines = []
    for outcome in outcomes:
        lines.append(f"{'DIFF' if outcome.differences else 'same'} {outcome.name}")
        lines.extend(f"     {difference.describe()}" for difference in outcome.differences)
    differing = sum(1 for outcome in outcomes if outcome.differences)
    lines.append(f"{len(outcomes)} exchange(s), {differing} with differences")
    return "\n".join(lines) + "\n"


def json_report(outcomes: Sequence[Outcome]) -> str:
    return json.dumps({
        "exchanges": len(outcomes),
        "differing": sum(1 for outcome in outcomes if outcome.differences),
        "results": [{"seq": o.seq, "vendor": o.vendor, "method": o.method, "path": o.path,
                     "differences": [{"where": d.where, "kind": d.kind, "recorded": d.recorded,
                                      "replayed": d.replayed} for d in o.differences]} for o in outcomes],
    }, indent=2, default=str) + "\n"


def junit_report(outcomes: Sequence[Outcome]) -> str:
    failures = sum(1 for outcome in outcomes if outcome.differences)
    cases = []
    for outcome in outcomes:
        name = quoteattr(outcome.name)
        if outcome.differences:
            detail = escape("\n".join(d.describe() for d in outcome.differences))
            message = quoteattr(f"{len(outcome.differences)} difference(s)")
            cases.append(f'  <testcase classname="lms-mockserver.compare" name={name}>'
                         f'<failure message={message}>{detail}</failure></testcase>')
        else:
            cases.append(f'  <testcase classname="lms-mockserver.compare" name={name}/>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="lms-mockserver compare" '
            f'tests="{len(outcomes)}" failures="{failures}">\n' + "\n".join(cases) + "\n</testsuite>\n")


REPORTS = {"text": text_report, "json": json_report, "junit": junit_report}
