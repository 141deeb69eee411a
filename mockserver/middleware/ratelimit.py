"""The vendor's request limit per credential (Litmos: 100 a minute per API key, then 503).

Counted here, after forced statuses and fault rules (a request they answer never reaches the
vendor, so it is not counted) and before Connexion: only a request that reaches an operation
asking for a credential counts, and only with a credential the vendor knows
(`Vendor.rate_limited_credential`); an unknown one goes on to be refused by the vendor's
authentication, uncounted. The counters live in the realm's backend, so a reset clears them and
`/__admin/ratelimits` reads and changes them (controls.py).
"""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from ..context import RequestContext
from ..mounts import render
from .base import HttpMiddleware
from .wire import send_wire


class RateLimitMiddleware(HttpMiddleware):
    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        vendor, mount = context.vendor, context.mount
        if vendor is not None and mount is not None and vendor.rate_limit_status is not None:
            route = mount.routes.match(scope["method"], mount.relative(scope["path"]))
            if route is not None and route.secured:
                backend = context.realm.backends[vendor.name]
                credential = vendor.rate_limited_credential(scope, backend)
                if credential is not None and not backend.rate_limiter.hit(credential):
                    context.rate_limited = True
                    await send_wire(send, render(scope, vendor.rate_limit_error()), scope["method"] == "HEAD")
                    return
        await self.app(scope, receive, send)
