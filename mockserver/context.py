"""The typed request context: built once by the middlewares, read by everything below them.

The outer middlewares decide which namespace (realm) and which API (mount) a request is for, and
the security hook decides who is calling; each writes its answer here once. Handlers, error
renderers and the journal read it through `context_of(scope)` (vendor code through the helpers
in vendors/base.py) instead of deciding again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .core.patterns import fingerprint

if TYPE_CHECKING:  # annotations only: the layers above import this module, never the reverse
    from .mounts import Mount, MountTable
    from .realm import Realm
    from .runtime import Runtime
    from .vendors.base import Vendor

CONTEXT = "mockserver.context"  # the ASGI scope key holding a request's RequestContext
CONNECTION = "mockserver.connection"  # scope key: the serving protocol's ConnectionControl (connections.py)


@dataclass
class RequestContext:
    """What is known about one request, filled in from the outside in."""

    server: "Runtime"
    mounts: "MountTable"
    realm: "Realm"  # the default realm until the namespace middleware picks another
    mount: "Mount | None" = None
    namespace: str | None = None  # from a `/ns/{name}` prefix
    base_path: str = ""  # that prefix, which links in answers keep
    # Set by the vendor's security hook (Vendor.authenticate) the first time it runs for this request.
    auth: dict[str, Any] | None = None
    auth_error: Exception | None = None
    # What the mock itself did to the request, for the journal.
    fault: str | None = None  # overrides and fault rules applied (faults middleware)
    fault_action: str | None = None  # the type of the fault rule's action that fired, if one did
    forced_status: int | None = None  # a status forced with the override header
    rate_limited: bool = False  # refused by the vendor's request limit (ratelimit middleware)
    answered_by_cors: bool = False  # a preflight the CORS middleware answered: no operation ran
    connection_cut: bool = False  # a drop or reset fault closed the connection unanswered
    # `(value,)`: the JSON body as the admin body guard parsed it (admin/bodies.py), so the handler
    # and the journal read it instead of parsing the same bytes again; None: not parsed there.
    # Read-only for everyone: the journal redacts from it after the handler has run.
    parsed_body: tuple[Any] | None = None
    _credential_id: str | None = field(default=None, repr=False)
    _credential_known: bool = field(default=False, repr=False)

    def credential_id(self, scope: dict[str, Any]) -> str | None:
        """Fingerprint of the vendor credential the request carries (fault rules, journal)."""
        if not self._credential_known:
            vendor = self.vendor
            credential = vendor.credential(scope) if vendor is not None else None
            self._credential_id = fingerprint(credential) if credential else None
            self._credential_known = True
        return self._credential_id

    @property
    def vendor(self) -> "Vendor | None":
        """The vendor whose API serves this request (None for the admin API and unmounted paths)."""
        mount = self.mount
        return None if mount is None or mount.name == "admin" else self.server.vendors.get(mount.name)

    def relative_path(self, path: str) -> str:
        """`path` relative to the mount (`/users/1` for `/litmos/v1.svc/users/1`)."""
        return self.mount.relative(path) if self.mount is not None else path


def context_of(scope: dict[str, Any]) -> RequestContext:
    """The context the middlewares put in `scope`."""
    return scope[CONTEXT]
