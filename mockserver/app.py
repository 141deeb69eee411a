"""Builds the ASGI application: one Connexion API per vendor spec plus the admin API."""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import connexion
from connexion.apps.flask import FlaskOperation
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import (
    BadRequestProblem,
    Forbidden,
    OAuthProblem,
    ProblemException,
    UnsupportedMediaTypeProblem,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import ConnexionMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.options import SwaggerUIOptions
from connexion.spec import Specification
from connexion.validators import VALIDATOR_MAP
from starlette.exceptions import HTTPException
from starlette.routing import Router
from starlette.types import Receive, Scope, Send

from .admin.bodies import GuardedJSONBodyValidator
from .config import Settings
from .core.errors import ErrorKind, MockError
from .core.memo import Key, Memo
from .core.resolver import checked_handlers, declared_handlers, operation_resolver
from .core.params import CachedParameterValidator, StrictIntegerParameterValidator
from .core.progress import StartupProgress
from .core.routes import RouteTable
from .core.schema import SpecDocument
from .core.yamlcache import checked_before, remember_check
from .core.wsgi_inline import InlineWSGI
from .middleware import build_stack
from .mounts import MOCK_OWN_ERRORS, Mount, MountTable, operation_paths, render
from .runtime import Runtime
from .vendors import vendor_class
from .vendors.base import Vendor

log = logging.getLogger("mockserver")

ADMIN_PREFIX = "/__admin"
# Bodies are validated by each vendor with cached validators and in the vendor's own words.
NO_BODY_VALIDATION = {"body": MediaTypeDict({}), "parameter": CachedParameterValidator}
STRICT_INTEGERS = {**NO_BODY_VALIDATION, "parameter": StrictIntegerParameterValidator}
ADMIN_VALIDATION = {**VALIDATOR_MAP, "parameter": CachedParameterValidator,
                    "body": MediaTypeDict({**VALIDATOR_MAP["body"], "*/*json": GuardedJSONBodyValidator})}


class _AdminTokenChecked:
    """The admin spec's bearer scheme: the gateway has already checked the token (admin/access.py)
    before Connexion sees the request, so here any token that got this far is good."""

    def get_fn(self, security_scheme: dict[str, Any], required_scopes: Any) -> Any:
        return lambda token: {"sub": "admin"}


ADMIN_SECURITY = {"bearer": _AdminTokenChecked}


def to_mock_error(exc: Exception, scope: dict[str, Any]) -> MockError:
    """Any failure on the way (framework or ours) as an error kind."""
    if isinstance(exc, MockError):
        return exc
    if isinstance(exc, UnicodeDecodeError):  # Connexion decodes bodies before validating them
        return MockError(ErrorKind.BAD_REQUEST, "the request body is not valid UTF-8", extra={"framework": True})
    if isinstance(exc, UnsupportedMediaTypeProblem):
        return MockError(ErrorKind.UNSUPPORTED_MEDIA_TYPE, str(exc.detail or "unsupported media type"))
    if isinstance(exc, BadRequestProblem):
        # jsonschema's message runs over several lines; the first one says what is wrong.
        detail = str(exc.detail or "bad request").strip().split("\n", 1)[0]
        return MockError(ErrorKind.BAD_REQUEST, detail, extra={"framework": True})
    if isinstance(exc, OAuthProblem):
        return MockError(ErrorKind.UNAUTHORIZED, str(exc.detail or "unauthorized"))
    if isinstance(exc, Forbidden):
        return MockError(ErrorKind.FORBIDDEN, str(exc.detail or "forbidden"))
    if isinstance(exc, (HTTPException, ProblemException)):
        status = getattr(exc, "status_code", None) or getattr(exc, "status", 500)
        if status == 404:
            return MockError(ErrorKind.ROUTE_NOT_FOUND, f"no route for {scope.get('path')}")
        if status == 405:
            return MockError(ErrorKind.METHOD_NOT_ALLOWED, f"method {scope.get('method')} not allowed")
        if status in (301, 308):
            location = (getattr(exc, "headers", None) or {}).get("Location", "")
            return MockError(ErrorKind.ROUTE_NOT_FOUND, "redirect", extra={"redirect": location})
        if status == 413:
            return MockError(ErrorKind.PAYLOAD_TOO_LARGE, "request body too large")
        if 400 <= status < 500:
            return MockError(ErrorKind.BAD_REQUEST, str(getattr(exc, "detail", "") or "bad request"), status=status)
    log.error("unhandled error on %s %s", scope.get("method"), scope.get("path"), exc_info=exc)
    return MockError(ErrorKind.SERVER_ERROR, "internal error")


async def handle_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    wire = render(request.scope, to_mock_error(exc, request.scope))
    headers = dict(wire.headers)
    if wire.reason:
        headers["x-mockserver-reason"] = wire.reason
    return ConnexionResponse(status_code=wire.status, body=wire.body, mimetype=wire.content_type, headers=headers)


class NoSlashRedirectRouting(RoutingMiddleware):
    """Connexion's routing without Starlette's 307 slash redirects.

    A path that differs from a route only by its trailing slash then reaches Flask like any other
    path without an operation, and the mount's vendor renders the answer (TeSLA: Django's 301).
    """

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.router.redirect_slashes = False

    def add_api(self, *args: Any, **kwargs: Any) -> None:
        super().add_api(*args, **kwargs)
        for route in self.router.routes:
            if isinstance(getattr(route, "app", None), Router):
                route.app.redirect_slashes = False


MIDDLEWARES = [NoSlashRedirectRouting if m is RoutingMiddleware else m for m in ConnexionMiddleware.default_middlewares]


@contextmanager
def spec_checked_once(spec: SpecDocument) -> Iterator[None]:
    """Connexion checks every spec against the OpenAPI schema when an API is added (0.3 s each,
    a third of the start). A spec whose exact bytes passed that check before (see
    core/yamlcache.py) is not checked again; any other is checked, then remembered."""
    content = f"{spec.digest}|{connexion_version()}".encode()
    if not checked_before("openapi", content):
        yield
        remember_check("openapi", content)
        return
    original = Specification.__dict__["_validate_spec"]
    Specification._validate_spec = classmethod(lambda cls, raw: None)  # type: ignore[method-assign]
    try:
        yield
    finally:
        Specification._validate_spec = original  # type: ignore[method-assign]


def no_automatic_options(flask_app: Any) -> None:
    """Flask answers OPTIONS on every rule by itself (an empty 200 with Allow); here the specs
    decide: a spec `options` operation answers it, any other OPTIONS is the vendor's 405."""
    for rule in flask_app.url_map.iter_rules():
        if getattr(rule, "provide_automatic_options", False):
            rule.provide_automatic_options = False
            rule.methods.discard("OPTIONS")


def connexion_version() -> str:
    return importlib.metadata.version("connexion")


def build_vendors(settings: Settings) -> dict[str, Vendor]:
    return {name: vendor_class(name)(settings, settings.specs) for name in settings.vendors}


class MockServerApp:
    """The whole server as one ASGI app: the mock's middleware stack around Connexion.

    `runtime` (state) and `connexion` (the framework app) are here for tests and tools."""

    def __init__(self, connexion_app: connexion.FlaskApp, runtime: Runtime, mounts: MountTable) -> None:
        self.connexion = connexion_app
        self.runtime = runtime
        self.mounts = mounts
        self._stack = build_stack(connexion_app, runtime, mounts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._stack(scope, receive, send)


_FRAMEWORKS: Memo[connexion.FlaskApp] = Memo(8)


def framework_key(settings: Settings, vendors: dict[str, Vendor], admin_spec: SpecDocument) -> Key:
    """What the configured Connexion app is built from: which vendors at which prefixes, and the
    exact bytes of their specs and of the admin spec. Nothing else reaches it: handlers find
    their server's state, and the security hook its server's vendor, through the request context."""
    return (settings.vendor, *((name, type(vendor).__qualname__, vendor.spec.digest)
                               for name, vendor in vendors.items()), admin_spec.digest)


def build_framework(prefixes: dict[str, str], vendors: dict[str, Vendor], admin_spec: SpecDocument) -> connexion.FlaskApp:
    """Connexion and Flask configured for these specs: one API per spec, the resolver, the
    validators, error handlers, Flask inline on the event loop."""
    app = connexion.FlaskApp(__name__, validator_map=NO_BODY_VALIDATION, middlewares=MIDDLEWARES)
    app.app.json.sort_keys = False  # type: ignore[attr-defined]
    for name, vendor in vendors.items():
        with spec_checked_once(vendor.spec):
            app.add_api(
                vendor.spec.raw,
                base_path=prefixes[name],  # "" at the root: Connexion keys its routed APIs by the canonical path
                name=name,
                resolver=operation_resolver(vendor.handlers),
                security_map=vendor.security_map(),
                validator_map=STRICT_INTEGERS if vendor.strict_integers else None,
                validate_responses=False,
            )

    admin_handlers = checked_handlers("admin", admin_spec.paths(), declared_handlers("mockserver.admin.handlers"))
    # The admin API is the mock's own: Connexion's body validation (and its words) are fine here.
    with spec_checked_once(admin_spec):
        # Its Swagger UI at /__admin/docs/: /__admin/ui/ is the dashboard (admin/handlers/dashboard.py).
        app.add_api(admin_spec.raw, base_path=ADMIN_PREFIX, name="admin", validator_map=ADMIN_VALIDATION,
                    resolver=operation_resolver(admin_handlers), security_map=ADMIN_SECURITY,
                    swagger_ui_options=SwaggerUIOptions(swagger_ui_path="/docs"))

    for exc_class in (Exception, HTTPException, ProblemException, MockError):
        app.add_error_handler(exc_class, handle_error)

    # Serve Flask inline on the event loop (see core/wsgi_inline.py for the measured reason).
    app._middleware_app.asgi_app = InlineWSGI(app.app.wsgi_app)  # noqa: SLF001
    # Connexion registers the APIs when it builds its middleware stack (normally at the first
    # request); build it now, then wrap each handler in Connexion's decorators once, instead
    # of again on every call as Connexion's FlaskOperation does.
    app.middleware.app, app.middleware.middleware_stack = app.middleware._build_middleware_stack()  # noqa: SLF001
    for endpoint, view in app.app.view_functions.items():
        if isinstance(view, FlaskOperation):
            app.app.view_functions[endpoint] = view.fn
    no_automatic_options(app.app)
    return app


def create_app(settings: Settings | None = None, progress: StartupProgress | None = None) -> MockServerApp:
    """The whole server as one ASGI app; `app.runtime` and `app.connexion` for tests and tools.
    `progress` hears each step (the CLI's says them when the start is slow).

    Servers of one process with the same specs share one configured Connexion app (`build_framework`,
    about two thirds of building a server); each has its own runtime, vendors and mounts."""
    settings = settings or Settings()
    progress = progress or StartupProgress.silent()
    progress.step("reading the specs")
    vendors = build_vendors(settings)
    runtime = Runtime(settings, vendors, progress)
    progress.step("routing the specs")
    shared = settings.vendor == "all"
    prefixes = {name: vendor.mount_prefix if shared else vendor.real_prefix for name, vendor in vendors.items()}
    framework = _FRAMEWORKS.get_or_build(framework_key(settings, vendors, runtime.admin_spec),
                                         lambda: build_framework(prefixes, vendors, runtime.admin_spec))
    mounts = [Mount(name, prefixes[name], RouteTable(vendor.spec.paths(), case_sensitive=vendor.case_sensitive_paths,
                                                     default_security=vendor.spec.raw.get("security")),
                    vendor, operation_paths(vendor.spec.paths()), cors=vendor.cors_policy)
              for name, vendor in vendors.items()]
    mounts.append(Mount("admin", ADMIN_PREFIX, RouteTable(runtime.admin_spec.paths()), MOCK_OWN_ERRORS))
    return MockServerApp(framework, runtime, MountTable(mounts))
