"""Where each API lives on the port, and how an error is rendered for a path."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from .context import CONTEXT
from .core.cors import CorsPolicy
from .core.errors import ErrorKind, MockError
from .core.routes import RouteTable
from .vendors.base import WireResponse

log = logging.getLogger("mockserver")
MOCK_SOURCE = "lms-mockserver"


class ErrorStyle(Protocol):
    """Whoever decides how an error looks on the wire: a vendor (vendors/<v>/errors.py) or the mock."""

    def render_error(self, error: MockError, scope: dict[str, Any]) -> WireResponse: ...


@dataclass
class Mount:
    name: str  # vendor name, or "admin"
    prefix: str  # "" for a vendor served at its real root
    routes: RouteTable
    error_style: ErrorStyle  # the vendor for a vendor API; MOCK_OWN_ERRORS for the admin API
    operations: dict[str, str] = field(default_factory=dict)  # operationId -> spec path
    cors: CorsPolicy | None = None  # the vendor's CORS configuration; None: no CORS layer (admin API)

    def relative(self, path: str) -> str:
        return path[len(self.prefix):] or "/"


def operation_paths(paths: dict[str, dict[str, Any]]) -> dict[str, str]:
    """operationId -> the spec path it lives at, for the journal's `route`."""
    return {operation["operationId"]: template for template, item in paths.items()
            for operation in item.values() if isinstance(operation, dict) and "operationId" in operation}


class MountTable:
    def __init__(self, mounts: list[Mount]) -> None:
        # Longest prefix first, so "" (a vendor at the root) is the last resort.
        self.mounts = sorted(mounts, key=lambda m: len(m.prefix), reverse=True)

    def resolve(self, path: str) -> Mount | None:
        for mount in self.mounts:
            if not mount.prefix or path == mount.prefix or path.startswith(mount.prefix + "/"):
                return mount
        return None

    def __iter__(self):
        return iter(self.mounts)


class MockOwnErrors:
    """Errors of the mock itself (admin API, paths outside every mount): plainly the mock's."""

    def render_error(self, error: MockError, scope: dict[str, Any]) -> WireResponse:
        body = {"error": error.code or error.kind.value, "message": error.message or error.kind.value,
                "source": MOCK_SOURCE}
        if error.fields:
            body["fields"] = error.fields
        headers = {**error.headers, "X-Mock-Source": MOCK_SOURCE}
        return WireResponse(error.http_status, orjson.dumps(body), "application/json", headers)


MOCK_OWN_ERRORS = MockOwnErrors()


def render(scope: dict[str, Any], error: MockError) -> WireResponse:
    """Render `error` in the style of the mount the request was for."""
    context = scope.get(CONTEXT)
    mount: Mount | None = context.mount if context is not None else None
    if error.kind is ErrorKind.METHOD_NOT_ALLOWED and "Allow" not in error.headers and mount is not None:
        allowed = mount.routes.allowed(mount.relative(scope["path"])) or ()
        error.headers["Allow"] = ", ".join(allowed)
    style = mount.error_style if mount is not None else MOCK_OWN_ERRORS
    try:
        return style.render_error(error, scope)
    except Exception:  # a renderer bug must not turn into a framework page
        log.exception("error renderer failed for %s", error)
        return MOCK_OWN_ERRORS.render_error(MockError(ErrorKind.SERVER_ERROR, "error renderer failed"), scope)
