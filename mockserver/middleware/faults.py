"""Forced statuses, delays and fault rules on vendor mounts (QA toolkit; docs/qa.md).

Before a request reaches Connexion this may answer early (a forced status, a fault `before`),
wait (a delay, awaited so no other request is held up), or spoil the real answer (a fault
`after`). Every answer made here is the vendor's own error rendering unless a rule gives a body;
a bad override header gets the mock's own 400, marked as the mock's. Which rule applies is the
fault book's decision (core/faults.py); this module only carries it out.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope, Send

from ..context import CONNECTION, RequestContext
from ..core.errors import ErrorKind, MockError
from ..core.faults import Applied, FaultAction, corrupt
from ..core.journal import redact_headers
from ..core.patterns import RequestView
from ..mounts import MOCK_OWN_ERRORS, Mount, render
from ..vendors.base import WireResponse
from .base import HttpMiddleware, is_vendor
from .wire import header, read_all, replay, send_wire

MAX_DELAY_MS = 60_000
_MILLIS = re.compile(r"^\d{1,9}(\.\d{1,6})?$")
_CODE = re.compile(r"^\s*code\s*=\s*\"?([^\";,\s]*)\"?\s*$", re.IGNORECASE)


class ConnectionDropped(ConnectionError):
    """A drop or reset fault where no real connection exists (an in-process test client)."""


@dataclass(frozen=True)
class Override:
    status: int | None = None
    delay: float = 0.0  # seconds


class FaultMiddleware(HttpMiddleware):
    async def handle(self, context: RequestContext, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_vendor(context):
            await self.app(scope, receive, send)
            return
        mount = context.mount
        assert mount is not None
        head = scope["method"] == "HEAD"
        try:
            override = parse_overrides(scope["headers"])
            if override is not None and override.status is not None:
                check_forced_status(override.status, mount, scope)
        except MockError as error:
            context.fault = "override:refused"
            await send_wire(send, MOCK_OWN_ERRORS.render_error(error, scope), head)
            return
        forced = override.status if override is not None else None
        body: bytes | None = None  # read ahead only when the operation will not run or a rule needs it
        # A forced status answers for itself: no rule is spent on that request.
        rules = context.realm.faults.rules() if forced is None else []
        if any(rule.match.body or rule.match.body_contains is not None for rule in rules):
            body, too_large = await read_all(receive)
            if too_large is not None:
                await send_wire(send, render(scope, too_large), head)
                return
            receive = replay(body, receive)
        applied = context.realm.faults.pick(request_view(context, scope, body)) if rules else None
        context.fault = describe(applied, override)
        context.forced_status = forced
        context.fault_action = applied.action.type if applied is not None else None
        delay = (override.delay if override else 0.0) + (applied.delay_seconds if applied else 0.0)
        if delay:
            await asyncio.sleep(delay)
        action = applied.action if applied is not None and applied.action.type != "delay" else None
        if forced is not None or (action is not None and action.when == "before"):
            # The operation will not run, but the journal still records what the client sent.
            if body is None:
                _, too_large = await read_all(receive)
                if too_large is not None:
                    await send_wire(send, render(scope, too_large), head)
                    return
            if forced is not None:
                await send_wire(send, vendor_error(context, scope, forced), head)
            elif action is not None and action.type in ("drop", "reset"):
                await cut_connection(context, scope, receive, hard=action.type == "reset")
            elif action is not None:
                await send_wire(send, fault_answer(context, scope, action), head)
            return
        scope.setdefault("extensions", {})
        if action is None:
            await self.app(scope, receive, send)
            return
        captured = Captured()
        await self.app(scope, receive, captured.send)
        if action.type in ("drop", "reset"):
            await cut_connection(context, scope, receive, hard=action.type == "reset")
            return
        await send_wire(send, after_answer(context, scope, action, captured), head)


def request_view(context: RequestContext, scope: Scope, body: bytes | None) -> RequestView:
    """The request as fault rules match it."""
    assert context.mount is not None
    return RequestView(
        vendor=context.mount.name,
        method=scope["method"],
        path=context.relative_path(scope["path"]),
        query=tuple(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)),
        headers=redact_headers(scope["headers"], hidden=frozenset()),  # a rule may match any header
        credential_id=context.credential_id(scope),
        body=body or b"",
        content_type=header(scope, b"content-type"),
    )


def bad_override(message: str) -> MockError:
    return MockError(ErrorKind.BAD_REQUEST, message, code="bad_override", extra={"mock": True})


def parse_overrides(headers: list[tuple[bytes, bytes]]) -> Override | None:
    """`Prefer: code=N`, `X-Mock-Status: N`, `X-Mock-Delay: MS` from a request; None if absent."""
    prefer = status = delay = None
    for name, value in headers:
        if name == b"x-mock-status":
            status = value.decode("latin-1").strip()
        elif name == b"x-mock-delay":
            delay = value.decode("latin-1").strip()
        elif name == b"prefer":
            for preference in value.decode("latin-1").split(","):
                match = _CODE.match(preference.split(";", 1)[0])
                if match:
                    prefer = match.group(1)
    if prefer is None and status is None and delay is None:
        return None
    if prefer is not None and status is not None and prefer != status:
        raise bad_override(f"Prefer: code={prefer} and X-Mock-Status: {status} disagree; send one of them")
    wanted = status if status is not None else prefer
    code = None
    if wanted is not None:
        if not (wanted.isascii() and wanted.isdigit()) or not 100 <= int(wanted) <= 599:
            raise bad_override(f"not an HTTP status: {wanted!r} (X-Mock-Status and Prefer: code= take 400..599)")
        code = int(wanted)
    seconds = 0.0
    if delay is not None:
        millis = float(delay) if _MILLIS.match(delay) else -1.0
        if not 0 <= millis <= MAX_DELAY_MS:
            raise bad_override(f"X-Mock-Delay must be milliseconds from 0 to {MAX_DELAY_MS}, not {delay!r}")
        seconds = millis / 1000
    return Override(code, seconds)


def check_forced_status(status: int, mount: Mount, scope: Scope) -> None:
    """Only a status the vendor's spec documents for this operation can be forced."""
    method = "GET" if scope["method"] == "HEAD" else scope["method"]  # HEAD is GET without a body
    route = mount.routes.match(method, mount.relative(scope["path"]))
    if route is None:
        raise bad_override(f"cannot force {status}: no {mount.name} operation matches "
                           f"{scope['method']} {mount.relative(scope['path'])}")
    documented = sorted(s for s in route.statuses if s >= 400)
    if status not in documented:
        listed = ", ".join(map(str, documented)) or "none"
        raise bad_override(f"{mount.name} does not answer {status} to {scope['method']} {route.template}; "
                           f"the statuses it documents for it are: {listed}")


def vendor_error(context: RequestContext, scope: Scope, status: int,
                 headers: dict[str, str] | None = None) -> WireResponse:
    """The vendor's own answer for `status`, as if its rules had failed that way."""
    vendor = context.vendor
    assert vendor is not None
    wire = render(scope, vendor.forced_error(status))
    wire.status = status
    wire.headers.update(headers or {})
    return wire


def fault_answer(context: RequestContext, scope: Scope, action: FaultAction) -> WireResponse:
    """What a `before` fault answers instead of the operation (drop and reset send nothing)."""
    if action.type == "status" and action.body is not None:
        return WireResponse(action.status or 500, action.body, action.content_type, dict(action.headers))
    return spoil(vendor_error(context, scope, action.status or 500, dict(action.headers)), action)


def spoil(wire: WireResponse, action: FaultAction) -> WireResponse:
    if action.type == "empty":
        wire.body = b""
    elif action.type == "malformed" and wire.status not in (204, 304):
        # A 204/304 has no body to spoil; bytes after its head would corrupt a kept-alive connection.
        wire.body = corrupt(wire.body)
    return wire


def after_answer(context: RequestContext, scope: Scope, action: FaultAction, captured: "Captured") -> WireResponse:
    """A fault `after`: the real answer (already produced, writes done) spoiled or replaced."""
    if action.type == "status":
        return fault_answer(context, scope, action)
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in captured.headers
               if k not in (b"content-length", b"content-type", b"x-mockserver-reason")}
    headers.update(action.headers)
    wire = WireResponse(captured.status, captured.body, captured.content_type, headers, captured.reason)
    return spoil(wire, action)


class Captured:
    """A real answer held back so an `after` fault can change it."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def _header(self, name: bytes) -> str | None:
        return next((v.decode("latin-1") for k, v in self.headers if k == name), None)

    @property
    def content_type(self) -> str | None:
        return self._header(b"content-type")

    @property
    def reason(self) -> str | None:
        return self._header(b"x-mockserver-reason")


async def cut_connection(context: RequestContext, scope: Scope, receive: Receive, hard: bool) -> None:
    """Close the client's connection without an answer: a FIN (`drop`) or a TCP RST (`reset`)."""
    context.connection_cut = True  # the journal records status 0: nothing was answered
    control: Any = scope.get(CONNECTION)
    if control is None:
        raise ConnectionDropped(f"fault: connection {'reset' if hard else 'dropped'} (in-process client)")
    control.reset() if hard else control.drop()
    # Wait until the server sees the connection gone, so it does not try to answer on it.
    try:
        await asyncio.wait_for(_until_disconnect(receive), timeout=2)
    except asyncio.TimeoutError:
        pass


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def describe(applied: Applied | None, override: Override | None) -> str | None:
    """The journal's `fault` field: what this layer did to a request."""
    parts = []
    if override is not None:
        if override.status is not None:
            parts.append(f"override:{override.status}")
        if override.delay:
            parts.append(f"override-delay:{override.delay * 1000:g}ms")
    if applied is not None:
        text = f"{applied.rule_id}:{applied.action.type}"
        if applied.action.type != "delay" and applied.delay_seconds:
            text += f"+delay:{applied.delay_seconds * 1000:g}ms"
        parts.append(text)
    return ", ".join(parts) or None
