"""The outermost ASGI layer: picks the namespace and mount of each request, bounds bodies,
runs the QA layer (overrides, fault rules) and keeps the journal."""

from __future__ import annotations

import asyncio
import logging
import time
from functools import cached_property
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import qa
from .admin.access import refusal as admin_refusal
from .cors import CorsLayer, request_headers
from .core.errors import ErrorKind, MockError
from .core.faults import Applied
from .core.journal import redact_headers, redact_query
from .core.patterns import RequestView, fingerprint
from .mounts import MOCK_OWN_ERRORS, Mount, MountTable, render
from .namespaces import split_path
from .realm import Realm
from .runtime import Runtime
from .vendors.base import BASE_PATH, WireResponse

log = logging.getLogger("mockserver")

REASON_HEADER = b"x-mockserver-reason"
ROUTING = "connexion_routing"


class BodyTooLarge(MockError):
    pass


async def send_wire(send: Send, response: WireResponse, head_only: bool = False) -> None:
    """Write a rendered vendor answer as ASGI messages."""
    headers: list[tuple[bytes, bytes]] = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
    if response.content_type:
        headers.append((b"content-type", response.content_type.encode("latin-1")))
    headers.append((b"content-length", str(len(response.body)).encode()))
    if response.reason:
        headers.append((REASON_HEADER, response.reason.encode("latin-1", "replace")))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head_only else response.body})


class Exchange:
    """What the journal needs to know about one request while it is served."""

    def __init__(self, scope: Scope, realm: Realm, mount: Mount | None) -> None:
        self.scope = scope
        self.realm = realm
        self.mount = mount
        self.started = time.perf_counter()
        self.status = 500
        self.response_headers: list[tuple[bytes, bytes]] = []
        self.response_size = 0
        self.body = bytearray()
        self.body_size = 0
        self.fault: str | None = None
        # A browser's preflight (OPTIONS + Access-Control-Request-Method): verification leaves it out
        self.preflight = scope["method"] == "OPTIONS" and any(
            name == b"access-control-request-method" for name, _ in scope.get("headers", ()))
        self.cors_answered = False  # answered by the CORS layer: it reached no operation
        # As received: a vendor's security hook may respell query names (Litmos matches any case).
        self.query = scope.get("query_string", b"")

    @cached_property
    def credential_id(self) -> str | None:
        """Fingerprint of the vendor credential the request carries (fault rules and journal)."""
        mount = self.mount
        if mount is None or mount.name == "admin":
            return None
        credential = mount.renderer.credential(self.scope)  # type: ignore[attr-defined]
        return fingerprint(credential) if credential else None

    async def send_recorded(self, send: Send, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.response_headers = message.get("headers", [])
        elif message["type"] == "http.response.body":
            self.response_size += len(message.get("body", b""))
        await send(message)


class Gateway:
    def __init__(self, app: ASGIApp, runtime: Runtime, mounts: MountTable) -> None:
        self.app = app
        self.runtime = runtime
        self.mounts = mounts
        self.cors = CorsLayer(runtime.settings.cors_setting, list(mounts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["mockserver.mounts"] = self.mounts
        scope["mockserver.server"] = self.runtime
        realm: Realm = self.runtime.default
        scope["mockserver.runtime"] = realm
        namespaced = split_path(scope["path"])
        path = scope["path"] if namespaced is None else namespaced[1]
        mount = self.mounts.resolve(path)
        if mount is not None and mount.name == "admin":  # checked before a namespace is created
            refused = admin_refusal(scope, mount.relative(path), self.runtime.settings.admin_token)
            if refused is not None:
                scope["mockserver.mount"] = mount
                await send_wire(send, MOCK_OWN_ERRORS.render_error(refused, scope))
                return
        if namespaced is not None:
            try:
                realm = self._enter_namespace(scope, *namespaced)
            except MockError as error:
                scope["mockserver.mount"] = None
                await send_wire(send, MOCK_OWN_ERRORS.render_error(error, scope))
                return
        scope["mockserver.mount"] = mount
        exchange = Exchange(scope, realm, mount)
        try:
            await self._serve(exchange, receive, send)
        finally:
            self._record(exchange)

    def _enter_namespace(self, scope: Scope, name: str, rest: str) -> Realm:
        """Serve `/ns/{name}/...` as `...` against the namespace's realm; links keep the prefix."""
        prefix = f"/ns/{name}"
        raw = scope.get("raw_path")
        raw_prefix = prefix.encode("latin-1")
        if raw is not None and raw != raw_prefix and not raw.startswith(raw_prefix + b"/"):
            # The name was percent-encoded (`a%2Fb` would split into `a` and `/b`): names need no encoding.
            raise MockError(ErrorKind.BAD_REQUEST, "a namespace name is written as is, not percent-encoded",
                            code="bad_namespace")
        realm = self.runtime.namespaces.get(name, count_request=True)
        scope[BASE_PATH] = prefix
        scope["path"] = rest
        if raw is not None:
            scope["raw_path"] = raw[len(raw_prefix):] or b"/"
        scope["mockserver.runtime"] = realm
        return realm

    async def _serve(self, exchange: Exchange, receive: Receive, send: Send) -> None:
        scope, mount = exchange.scope, exchange.mount
        settings = self.runtime.settings
        limit = settings.max_admin_body_bytes if mount is not None and mount.name == "admin" else settings.max_body_bytes
        operation_limit: int | None = None  # looked up only for a body past the server's limit
        body_cap = exchange.realm.journal.body_limit

        async def receive_bounded() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                exchange.body_size += len(chunk)
                if len(exchange.body) <= body_cap:
                    exchange.body += chunk
                if exchange.body_size > limit:
                    nonlocal operation_limit
                    if operation_limit is None:
                        operation_limit = self._body_limit(scope, mount, limit)
                    if exchange.body_size > operation_limit:
                        raise BodyTooLarge(ErrorKind.PAYLOAD_TOO_LARGE, f"request body exceeds {operation_limit} bytes")
            return message

        async def send_recorded(message: Message) -> None:
            await exchange.send_recorded(send, message)

        out: Send = send_recorded
        cors = self.cors.for_mount(mount)
        if cors is not None:
            assert mount is not None
            headers = request_headers(scope)
            if cors.is_preflight(scope["method"], headers):
                # Before everything else of the mount: faults, overrides, limits, auth, redirects.
                exchange.cors_answered = True
                await send_wire(send_recorded, CorsLayer.preflight_answer(cors, scope, mount, headers))
                return
            out = CorsLayer.wrap(cors, scope, mount, headers, send_recorded)

        declared = _content_length(scope)
        if mount is None:
            error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no API is mounted at {scope['path']}")
        elif mount.prefix and scope["path"] == mount.prefix:
            # The bare mount root is no route of any API (Starlette would answer a 307).
            error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no route for {scope['path']}")
        elif "\n" in scope["path"]:
            # Starlette's mount pattern (`.*`) stops at a newline, so Connexion would leave the
            # request unrouted (no security, no operation) while Flask still dispatched it.
            error = MockError(ErrorKind.ROUTE_NOT_FOUND, f"no route for {scope['path']!r}")
        elif declared is not None and declared > limit and declared > (
                operation_limit := self._body_limit(scope, mount, limit)):
            error = MockError(ErrorKind.PAYLOAD_TOO_LARGE, f"request body exceeds {operation_limit} bytes")
        elif mount.name == "admin":
            await self.app(scope, receive_bounded, out)
            return
        else:
            await self._serve_vendor(exchange, receive_bounded, out)
            return
        await send_wire(out, render(scope, error))

    def _body_limit(self, scope: Scope, mount: Mount | None, limit: int) -> int:
        """`limit`, or the operation's own when its spec allows more (`x-max-body-bytes`:
        Litmos's bulk imports take up to 2000 KB)."""
        if mount is not None:
            match = mount.routes.match(scope["method"], mount.relative(scope["path"]))
            if match is not None and match.max_body_bytes is not None:
                limit = max(limit, match.max_body_bytes)
        return limit

    async def _serve_vendor(self, exchange: Exchange, receive: Receive, send: Send) -> None:
        scope, mount, realm = exchange.scope, exchange.mount, exchange.realm
        assert mount is not None
        head = scope["method"] == "HEAD"
        try:
            override = qa.parse_overrides(scope["headers"])
            if override is not None and override.status is not None:
                qa.check_forced_status(override.status, mount, scope)
        except MockError as error:
            exchange.fault = "override:refused"
            await send_wire(send, MOCK_OWN_ERRORS.render_error(error, scope), head)
            return
        forced = override.status if override is not None else None
        body: bytes | None = None  # read ahead only when the operation will not run or a rule needs it
        # A forced status answers for itself: no rule is spent on that request.
        rules = realm.faults.rules() if forced is None else []
        if any(rule.match.body or rule.match.body_contains is not None for rule in rules):
            body, too_large = await _read_all(receive)
            if too_large is not None:
                await send_wire(send, render(scope, too_large), head)
                return
            receive = _replay(body, receive)
        applied: Applied | None = realm.faults.pick(self._view(exchange, body)) if rules else None
        exchange.fault = qa.describe(applied, override)
        delay = (override.delay if override else 0.0) + (applied.delay_seconds if applied else 0.0)
        if delay:
            await asyncio.sleep(delay)
        action = applied.action if applied is not None and applied.action.type != "delay" else None
        if forced is not None or (action is not None and action.when == "before"):
            # The operation will not run, but the journal still records what the client sent.
            if body is None:
                _, too_large = await _read_all(receive)
                if too_large is not None:
                    await send_wire(send, render(scope, too_large), head)
                    return
            if forced is not None:
                await send_wire(send, qa.vendor_error(scope, forced), head)
            elif action is not None and action.type in ("drop", "reset"):
                exchange.status = 0
                await qa.cut_connection(scope, receive, hard=action.type == "reset")
            elif action is not None:
                await send_wire(send, qa.fault_answer(scope, action), head)
            return
        scope.setdefault("extensions", {})
        if action is None:
            await self.app(scope, receive, send)
            return
        captured = qa.Captured()
        await self.app(scope, receive, captured.send)
        if action.type in ("drop", "reset"):
            exchange.status = 0
            await qa.cut_connection(scope, receive, hard=action.type == "reset")
            return
        await send_wire(send, qa.after_answer(scope, action, captured), head)

    def _view(self, exchange: Exchange, body: bytes | None) -> RequestView:
        scope, mount = exchange.scope, exchange.mount
        assert mount is not None
        return RequestView(
            vendor=mount.name,
            method=scope["method"],
            path=mount.relative(scope["path"]),
            query=tuple(_query_pairs(scope.get("query_string", b""))),
            headers=redact_headers(scope["headers"], hidden=frozenset()),  # a rule may match any header
            credential_id=exchange.credential_id,
            body=body or b"",
            content_type=_header(scope, b"content-type"),
        )

    def _route(self, exchange: Exchange) -> str | None:
        """The spec path the request reached: Connexion's operation, else the route table's."""
        mount = exchange.mount
        if mount is None or mount.name == "admin" or exchange.cors_answered:
            return None
        routing = exchange.scope.get("extensions", {}).get(ROUTING) or {}
        operation = routing.get("operation_id")
        if operation and operation in mount.operations:
            return mount.operations[operation]
        match = mount.routes.match(exchange.scope["method"], mount.relative(exchange.scope["path"]))
        return match.template if match else None

    def _record(self, exchange: Exchange) -> None:
        scope, mount, realm = exchange.scope, exchange.mount, exchange.realm
        vendor_mount = mount is not None and mount.name != "admin"
        realm.journal.record(
            time=realm.clock.now(),
            namespace=realm.name,
            vendor=mount.name if mount else None,
            method=scope["method"],
            path=scope.get(BASE_PATH, "") + scope["path"],
            vendor_path=mount.relative(scope["path"]) if vendor_mount else None,
            route=self._route(exchange),
            query=redact_query(exchange.query.decode("latin-1")),
            status=exchange.status,
            duration_ms=round((time.perf_counter() - exchange.started) * 1000, 3),
            request_headers=redact_headers(scope.get("headers", [])),
            response_headers=redact_headers(h for h in exchange.response_headers if h[0] != REASON_HEADER),
            content_type=_header(scope, b"content-type"),
            request_body=bytes(exchange.body),  # redacted and bounded by the journal
            request_body_truncated=exchange.body_size > len(exchange.body),
            request_body_size=exchange.body_size,
            response_body_size=exchange.response_size,
            credential_id=exchange.credential_id,
            fault=exchange.fault,
            preflight=exchange.preflight,
        )


def _query_pairs(query: bytes) -> list[tuple[str, str]]:
    return parse_qsl(query.decode("latin-1"), keep_blank_values=True)


async def _read_all(receive: Receive) -> tuple[bytes, MockError | None]:
    """The whole request body (read through the journal's bounded receive), or the 413."""
    body = bytearray()
    try:
        while True:
            message = await receive()
            body += message.get("body", b"")
            if message["type"] != "http.request" or not message.get("more_body", False):
                return bytes(body), None
    except BodyTooLarge as error:
        return bytes(body), error


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body read ahead, then whatever the connection says."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == name), None)


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
