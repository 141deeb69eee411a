"""What one request came to, as the access log and the metrics see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    namespace: str | None  # None: the default namespace
    vendor: str  # the API's name; "none" for a path no API owns
    operation: str  # the spec's operationId; "unrouted" when no operation was reached
    method: str
    path: str  # as the client sent it, namespace prefix included
    query: str  # redacted
    status: int  # 0: the connection was cut unanswered (a drop or reset fault)
    seconds: float
    fault: str | None  # what the QA layer did: forced status, fault rule (the journal's words)
    fault_action: str | None  # the fault rule's action type, when one fired
    forced_status: int | None  # a status forced with the override header
    rate_limited: bool  # refused by the vendor's rate limit
