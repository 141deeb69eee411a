"""One line per vendor request on the `mockserver.access` logger, at info.

The line carries the time (from the formatter), namespace, vendor, method, path with its query
redacted, status, milliseconds and what the QA layer did, if anything. In JSON (`--log-format
json`) the same facts are fields of their own."""

from __future__ import annotations

import logging

from .outcome import Outcome

LOG = logging.getLogger("mockserver.access")


def log_access(outcome: Outcome) -> None:
    if not LOG.isEnabledFor(logging.INFO):
        return
    # The query as redacted for the journal, its masks made readable (`apikey=***`).
    target = f"{outcome.path}?{outcome.query.replace('%2A%2A%2A', '***')}" if outcome.query else outcome.path
    milliseconds = round(outcome.seconds * 1000, 2)
    marker = f" [{outcome.fault}]" if outcome.fault else ""
    LOG.info("%s %s %s %s %s %.2fms%s", outcome.namespace or "-", outcome.vendor, outcome.method, target,
             outcome.status, milliseconds, marker,
             extra={"namespace": outcome.namespace, "vendor": outcome.vendor, "operation": outcome.operation,
                    "method": outcome.method, "path": outcome.path, "query": outcome.query,
                    "status": outcome.status, "ms": milliseconds, "fault": outcome.fault})
