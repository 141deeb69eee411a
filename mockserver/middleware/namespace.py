"""`/ns/{name}/...`: the request is served as `...` against that namespace's realm.

Links in answers keep the prefix (context.base_path). A name that cannot be used, or a full
namespace table, gets the mock's own error and is not journaled (there is no realm to hold it).
"""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from ..context import RequestContext
from ..core.errors import ErrorKind, MockError
from ..mounts import MOCK_OWN_ERRORS
from .base import HttpMiddleware
from .wire import send_wire


class NamespaceMiddleware(HttpMiddleware):
    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        name = context.namespace
        if name is not None:
            try:
                self._enter(context, scope, name)
            except MockError as error:
                await send_wire(send, MOCK_OWN_ERRORS.render_error(error, scope))
                return
        await self.app(scope, receive, send)

    def _enter(self, context: RequestContext, scope: Scope, name: str) -> None:
        prefix = f"/ns/{name}"
        raw = scope.get("raw_path")
        raw_prefix = prefix.encode("latin-1")
        if raw is not None and raw != raw_prefix and not raw.startswith(raw_prefix + b"/"):
            # The name was percent-encoded (`a%2Fb` would split into `a` and `/b`): names need no encoding.
            raise MockError(ErrorKind.BAD_REQUEST, "a namespace name is written as is, not percent-encoded",
                            code="bad_namespace")
        context.realm = self.server.namespaces.get(name, count_request=True)
        context.base_path = prefix
        scope["path"] = scope["path"][len(prefix):] or "/"
        if raw is not None:
            scope["raw_path"] = raw[len(raw_prefix):] or b"/"

