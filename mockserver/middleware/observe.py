"""Each finished vendor request told to the access log and the metrics (observe/).

Outside the journal, CORS, faults and rate limit, so what it sees is what the client got,
including what those layers answered themselves. The admin API's calls and health checks are
neither logged nor counted: a dashboard or a health check every few seconds would drown them."""

from __future__ import annotations

import time

from starlette.types import Message, Receive, Scope, Send

from ..context import RequestContext
from ..core.journal import redact_query
from ..observe.access_log import log_access
from ..observe.outcome import Outcome
from ..vendors.base import routed_operation_id
from .base import HttpMiddleware


class ObserveMiddleware(HttpMiddleware):
    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        mount = context.mount
        if mount is not None and mount.name == "admin":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            outcome = Outcome(
                namespace=context.namespace, vendor=mount.name if mount is not None else "none",
                operation=_operation(context, scope), method=scope["method"],
                path=context.base_path + scope["path"],
                query=redact_query(scope.get("query_string", b"").decode("latin-1")),
                status=0 if context.connection_cut else status, seconds=time.perf_counter() - started,
                fault=context.fault, fault_action=context.fault_action, forced_status=context.forced_status,
                rate_limited=context.rate_limited)
            log_access(outcome)
            self.server.metrics.observe(outcome)


def _operation(context: RequestContext, scope: Scope) -> str:
    """The operationId Connexion routed to, else the one the spec gives the path (a forced
    status or a fault rule answers before routing), else `unrouted`."""
    routed = routed_operation_id(scope)
    if routed:
        return routed
    mount = context.mount
    if mount is not None:
        match = mount.routes.match(scope["method"], mount.relative(scope["path"]))
        if match is not None and match.operation_id:
            return match.operation_id
    return "unrouted"
