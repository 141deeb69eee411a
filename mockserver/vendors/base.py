"""What every vendor package provides, and the helpers its handlers use to reach their state."""

from __future__ import annotations

import copy
import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import flask
import orjson
from connexion.context import context as connexion_context

from .. import __version__
from ..context import CONTEXT, RequestContext, context_of
from ..core.clock import Clock
from ..core.cors import CorsPolicy
from ..core.errors import ErrorKind, MockError
from ..core.fixtures import Collection, load_fixture_file, validate_collections
from ..core.progress import StartupProgress
from ..core.resolver import checked_handlers, declared_handlers
from ..core.schema import SpecDocument
from ..core.store import Table
from ..core.yamlcache import checked_before, remember_check

if TYPE_CHECKING:
    from ..config import Settings


@dataclass
class WireResponse:
    """A fully rendered answer: what the vendor's server would put on the wire."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


B = TypeVar("B", bound="Backend")

MASKED = "***"
_MASKED_JSON = orjson.dumps(MASKED)


def mask_secrets(value: Any, names: frozenset[str]) -> Any:
    """A copy of an exported state with the value of every field named in `names` as ***.
    Only containers are walked into: a call per scalar value was most of an export's time."""
    if isinstance(value, dict):
        return {key: MASKED if key in names and item is not None
                else mask_secrets(item, names) if isinstance(item, (dict, list)) else item
                for key, item in value.items()}
    if isinstance(value, list):
        return [mask_secrets(item, names) if isinstance(item, (dict, list)) else item for item in value]
    return value


def mask_state(state: dict[str, Any], names: frozenset[str]) -> dict[str, Any]:
    """`mask_secrets` of an exported state, walking only the tables whose JSON names a field of
    `names` (a key is always written `"name":`): most tables hold no credential, and walking every
    value of every row was most of an export's time (TeSLA's 40 ms of 42)."""
    tables = state.get("tables")
    if not isinstance(tables, dict):
        return mask_secrets(state, names)
    keys = [orjson.dumps(name) + b":" for name in names]

    def names_a_secret(table: Any) -> bool:
        try:
            text = orjson.dumps(table)
        except orjson.JSONEncodeError:  # not JSON orjson writes: walked, to be sure
            return True
        return any(key in text for key in keys)

    masked = {name: mask_secrets(table, names) if names_a_secret(table) else table for name, table in tables.items()}
    return {**mask_secrets({key: value for key, value in state.items() if key != "tables"}, names), "tables": masked}


def masked_path(value: Any, names: frozenset[str]) -> str | None:
    """Where an exported state still holds a masked secret, or None.

    A state in which orjson writes no `"***"` holds no *** anywhere (that text has no other
    spelling there; a key or longer text containing it only means a walk after all), so most
    imports are cleared by one serialization in C instead of a call per value (a 20 MiB state:
    1.1 s -> 0.2 s). What orjson cannot write (integers past 64 bits, say) is walked."""
    try:
        if _MASKED_JSON not in orjson.dumps(value):
            return None
    except orjson.JSONEncodeError:
        pass
    return _masked_path(value, names, "")


def _masked_path(value: Any, names: frozenset[str], path: str) -> str | None:
    """The first masked secret in document order, walked."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in names and item == MASKED:
                return f"{path}.{key}".lstrip(".")
            found = _masked_path(item, names, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _masked_path(item, names, f"{path}[{index}]")
            if found:
                return found
    return None


class Backend:
    """One vendor's state. Subclasses create their tables in `__init__` and load the seed.

    A server builds each vendor's backend once from its fixtures and `seal`s it; every realm's
    backend (the default one, each namespace, each reset) is a `fork` of that seed, which costs
    the few dozen objects the resources are made of, not the rows (docs/performance.md)."""

    def __init__(self, clock: Clock, seed: int) -> None:
        self.clock = clock
        self.seed = seed
        self.lock = threading.RLock()
        self.tables: dict[str, Table] = {}

    def seal(self) -> None:
        """Make this backend a seed: its tables refuse writes and its rows refuse change."""
        for table in self.tables.values():
            table.seal()

    def fork(self: B, clock: Clock) -> B:
        """A backend in exactly this one's state, on `clock`, with a lock of its own, whose tables
        share this one's rows until they write. Everything else a backend holds (its resource
        objects, id streams, counters) is small and copied; parts that never change (field orders,
        policies) share themselves by returning self from `__deepcopy__`."""
        with self.lock:
            memo: dict[int, Any] = {id(self.clock): clock, id(self.lock): threading.RLock()}
            for table in self.tables.values():
                memo[id(table)] = table.fork()
            return copy.deepcopy(self, memo)

    def snapshot(self: B) -> B:
        """A sealed backend in this one's present state (a named snapshot); `fork` it to restore,
        as often as wanted. Costs a copy of the indexes and views and of the rows written since
        the seed, never of the seed's rows."""
        with self.lock:
            memo: dict[int, Any] = {id(self.clock): self.clock, id(self.lock): threading.RLock()}
            for table in self.tables.values():
                memo[id(table)] = table.sealed_copy()
            return copy.deepcopy(self, memo)

    def add_table(self, table: Table) -> Table:
        self.tables[table.name] = table
        return table

    def export_state(self, *, copied: bool = True) -> dict[str, Any]:
        """Every table's rows; not `copied`: the tables' own rows, to be serialized at once and
        never changed (see Table.dump)."""
        with self.lock:
            return {"tables": {name: table.dump(copied=copied) for name, table in self.tables.items()}}

    def import_state(self, state: dict[str, Any], *, owned: bool = False) -> None:
        """Replace every table from an export; unknown tables are refused, nothing half-applied.
        `owned`: the rows are the caller's to give away (see Table.load), so they are not copied."""
        tables = state.get("tables")
        if not isinstance(tables, dict) or set(tables) - set(self.tables):
            raise ValueError(f"state must hold 'tables' with names among {sorted(self.tables)}")
        with self.lock:
            kept = {name: table.contents() for name, table in self.tables.items()}  # no copy: see Table.contents
            try:
                for name, table in self.tables.items():
                    table.load(tables.get(name, {"rows": []}), owned=owned)
            except Exception:
                for name, table in self.tables.items():
                    table.restore(kept[name])
                raise


class Vendor(ABC):
    """A vendor API: its spec, mount points, state factory, credentials and error style."""

    name: ClassVar[str]
    title: ClassVar[str]
    mount_prefix: ClassVar[str]  # where it lives when all vendors share one port
    real_prefix: ClassVar[str]  # its real-world root, used when it is served alone
    strict_integers: ClassVar[bool] = False  # integer query parameters must be plain digits
    case_sensitive_paths: ClassVar[bool] = True
    rate_limit_status: ClassVar[int | None] = None  # what a request over the limit gets; None: no limit
    spec_file: ClassVar[str]  # relative to the specs directory
    handlers_module: ClassVar[str]
    fixture_file: ClassVar[str]
    fixture_collections: ClassVar[list[Collection]]
    # Field names in this vendor's exported state whose values are credentials (masked on export).
    secret_fields: ClassVar[frozenset[str]] = frozenset()
    # table -> column -> the table its values are ids of: checked when a state is imported.
    state_references: ClassVar[dict[str, dict[str, str]]] = {}
    # What the vendor's CORS configuration answers (`--cors vendor`). Where the vendor's is unknown,
    # this documented default: preflights on any path get 200 with `*`, the route's methods and
    # the requested headers; actual answers get `*` when the request has an Origin.
    cors_policy: ClassVar[CorsPolicy] = CorsPolicy()

    def __init__(self, settings: "Settings", specs_dir: Path) -> None:
        self.settings = settings
        self.spec = SpecDocument.open(specs_dir / self.spec_file)

    def declared_handlers(self) -> dict[str, Callable[..., Any]]:
        """What the handlers package declares in `__all__`, by operationId (see core/resolver.py)."""
        return declared_handlers(self.handlers_module)

    @cached_property
    def handlers(self) -> dict[str, Callable[..., Any]]:
        """operationId -> handler, checked against the spec both ways the first time it is asked."""
        return checked_handlers(self.name, self.spec.paths(), self.declared_handlers())

    def resolve_handler(self, operation_id: str) -> Callable[..., Any]:
        """The function serving an operation."""
        return self.handlers[operation_id]

    def fixture_path(self, fixtures_dir: Path) -> Path:
        """This vendor's seed file in `fixtures_dir`, else the packaged one: a directory of custom
        fixtures (a Docker mount, say) need only hold the vendors it changes."""
        path = fixtures_dir / self.fixture_file
        if not path.exists() and not path.is_symlink():  # a dangling link is an error, not "absent"
            packaged = self.settings.packaged_fixtures / self.fixture_file
            if packaged.exists():
                return packaged
        return path

    def load_fixtures(self, fixtures_dir: Path, progress: StartupProgress | None = None) -> dict[str, Any]:
        """The seed file's records, each checked against its spec schema. Checking costs about
        0.5 ms a record (a second for the packaged seeds), so a file whose exact bytes passed the
        check against exactly this spec, by this version of the mock, is not checked again
        (markers beside the parse cache, core/yamlcache.py; the Docker image makes them when it
        is built). The vendor's own seed rules still run every time."""
        path = self.fixture_path(fixtures_dir)
        data = load_fixture_file(path)
        try:
            proof = path.read_bytes() + f"|{self.spec.digest}|{__version__}".encode()
        except OSError:
            proof = None
        if proof is None or not checked_before(f"fixtures-{self.name}", proof):
            validate_collections(path, data, self.spec, self.fixture_collections, progress, self.name)
            if proof is not None:
                remember_check(f"fixtures-{self.name}", proof)
        return data

    def backend(self, scope: dict[str, Any]) -> Any:
        """This vendor's live backend for the request whose ASGI scope is `scope`."""
        return backend_in(scope, self.name)

    def backend_options(self) -> tuple[Any, ...]:
        """Every setting `build_backend` reads besides the fixtures and the seed: servers in one
        process share a sealed seed only when these agree (runtime.py `sealed_seed`)."""
        return ()

    @abstractmethod
    def build_backend(self, fixtures: dict[str, Any], clock: Clock, seed: int) -> Backend:
        """A fresh backend holding exactly the seeded state. It owns `fixtures` from now on (the
        caller loaded them for it): rows may keep, and seeding may change, what is inside, so a
        100,000-user seed is not copied once more before `seal` freezes it."""

    @abstractmethod
    def render_error(self, error: MockError, scope: dict[str, Any]) -> WireResponse:
        """The vendor's own status, headers and body for an error kind."""

    @abstractmethod
    def authenticate(self, request: Any) -> dict[str, Any]:
        """Check the request's credentials; return token info or raise MockError."""

    @abstractmethod
    def demo_credentials(self) -> list[str]:
        """Lines printed at startup telling a user how to call this vendor."""

    def credential(self, scope: dict[str, Any]) -> str | None:
        """The credential a request carries (fault rules and the journal match on it): the
        `Authorization` value after its scheme (`Bearer x`, `JWT x`)."""
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, rest = value.decode("latin-1").strip().partition(" ")
                return rest.strip() or scheme or None
        return None

    def rate_limited_credential(self, scope: dict[str, Any], backend: Any) -> str | None:
        """The credential whose counter this request counts against (middleware/ratelimit.py):
        None for a vendor without a limit, or when the credential is not one the vendor knows
        (its authentication refuses it, uncounted)."""
        return None

    def rate_limit_error(self) -> MockError:
        """What a request over the limit raises; the vendor renders it (status `rate_limit_status`)."""
        return MockError(ErrorKind.RATE_LIMITED)

    def seed_conversions(self) -> dict[str, Callable[[Any], Any]]:
        """The value conversions this vendor's `x-seed-from` rules name (`convert:`), by name: an
        API value in, its seed form out (None: leave the field out). `mockserver seed` uses them."""
        return {}

    def read_answer(self, schema: dict[str, Any], content_type: str, body: str) -> Any:
        """A recorded answer's body as the values its response `schema` describes; ValueError when
        it is not in a format this vendor answers with. JSON here; a vendor with XML adds that."""
        if "json" not in content_type.lower():
            raise ValueError(f"{self.name} answers are read as JSON, not {content_type or 'no content type'}")
        return json.loads(body)

    def forced_error(self, status: int) -> MockError:
        """The error a QA override of `status` raises; the vendor renders it as for a real one."""
        kind = FORCED_KINDS.get(status)
        if kind is None:
            kind = ErrorKind.SERVER_ERROR if status >= 500 else ErrorKind.BAD_REQUEST
        return MockError(kind, status=status)

    def security_map(self) -> dict[str, type]:
        """Connexion security handlers that route every scheme of this spec to `authenticate`.

        A spec may OR several schemes (Litmos: the key in a header or in the query), so Connexion
        can ask more than once per request; the first outcome is kept in the request context and
        given again, so a credential is checked (and a rate limit counted) once, and an error
        renderer can read who was calling without checking again. The check is the serving
        server's own vendor (from the request context), so one configured Connexion app can
        serve every server of a process that has the same specs (app.py)."""

        def checked(request: Any) -> dict[str, Any]:
            context = context_of(request.scope)
            if context.auth is None and context.auth_error is None:
                vendor = context.vendor
                assert vendor is not None, "a vendor operation is served under its vendor's mount"
                try:
                    context.auth = vendor.authenticate(request)
                except MockError as error:
                    context.auth_error = error
            if context.auth_error is not None:
                raise context.auth_error
            assert context.auth is not None
            return context.auth

        class _Handler:
            def get_fn(self, security_scheme: dict[str, Any], required_scopes: Any) -> Callable[..., Any]:
                return checked

        return {"apiKey": _Handler, "bearer": _Handler, "basic": _Handler}


FORCED_KINDS: dict[int, ErrorKind] = {
    400: ErrorKind.BAD_REQUEST, 401: ErrorKind.UNAUTHORIZED, 403: ErrorKind.FORBIDDEN, 404: ErrorKind.NOT_FOUND,
    405: ErrorKind.METHOD_NOT_ALLOWED, 406: ErrorKind.NOT_ACCEPTABLE, 409: ErrorKind.CONFLICT,
    413: ErrorKind.PAYLOAD_TOO_LARGE, 415: ErrorKind.UNSUPPORTED_MEDIA_TYPE, 429: ErrorKind.RATE_LIMITED,
    500: ErrorKind.SERVER_ERROR, 503: ErrorKind.RATE_LIMITED,
}


CONNEXION_ROUTING = "connexion_routing"  # the scope extension where Connexion's router names the operation


# -- helpers for handlers -----------------------------------------------------------------------


def request_scope() -> dict[str, Any]:
    """The ASGI scope of the request a Flask handler is serving."""
    return flask.request.environ["asgi.scope"]


def request_context() -> RequestContext:
    """What the middlewares decided about the request a Flask handler is serving."""
    return context_of(request_scope())


def mount_of(scope: dict[str, Any]) -> Any:
    """The mount (mounts.Mount) a request's path is in, or None (outside every API)."""
    context = scope.get(CONTEXT)
    return context.mount if context is not None else None


def relative_path_of(scope: dict[str, Any]) -> str:
    """The request's path relative to its mount (`/users/1` for `/litmos/v1.svc/users/1`)."""
    context = scope.get(CONTEXT)
    return context.relative_path(scope["path"]) if context is not None else scope["path"]


def routed_operation_id(scope: dict[str, Any]) -> str | None:
    """The operationId Connexion's router chose for a request, if it chose one."""
    routing = scope.get("extensions", {}).get(CONNEXION_ROUTING) or {}
    operation: str | None = routing.get("operation_id")
    return operation


def base_path_of(scope: dict[str, Any]) -> str:
    """The namespace prefix (`/ns/job-1`) the request came through, which links keep; else ""."""
    context = scope.get(CONTEXT)
    return context.base_path if context is not None else ""


def vendor_of(scope: dict[str, Any]) -> Vendor:
    """The vendor whose API serves a request."""
    vendor = context_of(scope).vendor
    if vendor is None:
        raise LookupError("no vendor API serves this request")
    return vendor


def current_vendor() -> Vendor:
    """The vendor whose API serves the request a Flask handler is serving."""
    return vendor_of(request_scope())


def backend_in(scope: dict[str, Any], vendor: str) -> Any:
    """The live backend of `vendor` in the realm (namespace) serving a request."""
    return context_of(scope).realm.backends[vendor]


def current_backend(vendor: str) -> Any:
    return backend_in(request_scope(), vendor)


def token_info() -> dict[str, Any]:
    """What the vendor's `authenticate` returned for this request ({} on public routes)."""
    try:
        return connexion_context["token_info"] or {}
    except (KeyError, LookupError):
        return {}


def host_url() -> str:
    """`scheme://host[:port]` as the client addressed this server (its Host header), followed by
    the namespace prefix (`/ns/job-1`) when the request came through one."""
    scope = request_scope()
    host = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"host"), None)
    if not host:
        server_host, server_port = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server_host}:{server_port}"
    return f"{scope.get('scheme', 'http')}://{host}{context_of(scope).base_path}"


def mount_base_url() -> str:
    """Absolute URL of the mount serving this request, built from the request's Host."""
    mount = request_context().mount
    return host_url() + (mount.prefix if mount is not None else "")
