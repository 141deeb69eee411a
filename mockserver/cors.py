"""The CORS layer of a vendor mount, in ASGI terms.

The gateway asks it first, right after the namespace and the mount are known: a preflight is
answered here, before fault rules, forced statuses, the rate limit, authentication and the
vendor's own routing (TeSLA's slash redirect), because a browser's preflight carries no
credential and is the browser's call, not the client's. Every other answer of the mount passes
through `wrap`, which adds the access-control headers the vendor's policy gives it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import Message, Scope, Send

from .core.cors import Cors, CorsPolicy, CorsSetting, Preflight
from .mounts import Mount
from .vendors.base import WireResponse


def request_headers(scope: Scope) -> dict[str, str]:
    """Lower-case request headers (repeated ones joined with ", ")."""
    found: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        found[name] = f"{found[name]}, {value}" if name in found else value
    return found


class CorsLayer:
    """Each vendor mount's policy under the `--cors` setting; nothing for the admin API."""

    def __init__(self, setting: CorsSetting, mounts: list[Mount]) -> None:
        self.setting = setting
        self._by_mount: dict[str, Cors] = {
            mount.name: Cors(mount.cors, setting)
            for mount in mounts if setting.enabled and isinstance(mount.cors, CorsPolicy)
        }

    def for_mount(self, mount: Mount | None) -> Cors | None:
        return self._by_mount.get(mount.name) if mount is not None else None

    @staticmethod
    def preflight_answer(cors: Cors, scope: Scope, mount: Mount, headers: dict[str, str]) -> WireResponse:
        answer: Preflight = cors.preflight(headers, _route_methods(scope, mount))
        return WireResponse(answer.status, b"", answer.content_type, dict(answer.headers))

    @staticmethod
    def wrap(cors: Cors, scope: Scope, mount: Mount, headers: dict[str, str], send: Send) -> Send:
        """`send` with the policy's headers added to the response start."""
        methods = _route_methods(scope, mount)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                current = [(bytes(k).decode("latin-1").lower(), bytes(v).decode("latin-1"))
                           for k, v in message.get("headers", [])]
                changed = cors.response_headers(scope["method"], headers, current, methods)
                message = {**message, "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in changed]}
            await send(message)

        return send_with_cors


def _route_methods(scope: Scope, mount: Mount) -> Callable[[], tuple[str, ...] | None]:
    """The spec's methods for the request's path (asked only when a policy needs them)."""

    def methods() -> tuple[str, ...] | None:
        found = mount.routes.allowed(mount.relative(scope["path"]))
        return tuple(m for m in found if m not in ("HEAD", "OPTIONS")) if found is not None else None

    return methods
