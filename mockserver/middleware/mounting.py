"""The first middleware: the request context, with the API (mount) the path is for.

A `/ns/{name}` prefix is looked through to find the mount, but the namespace itself is only
entered later (namespace.py), after the admin access check, so a refused admin call creates nothing.
"""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from ..context import CONTEXT, RequestContext
from ..namespaces import split_path
from .base import HttpMiddleware


class MountMiddleware(HttpMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        namespaced = split_path(scope["path"])
        path = scope["path"] if namespaced is None else namespaced[1]
        scope[CONTEXT] = RequestContext(server=self.server, mounts=self.mounts, realm=self.server.default,
                                        mount=self.mounts.resolve(path),
                                        namespace=None if namespaced is None else namespaced[0])
        await self.app(scope, receive, send)
