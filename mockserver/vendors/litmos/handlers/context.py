"""What a Litmos handler knows about the request it serves: the backend, the vendor, who calls,
where the mount lives and which routes it has. Typed, so handlers need not guess.

Everything is read through the accessors of mockserver/vendors/base.py; nothing here reads the
request's body or writes its answer (payloads.py does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ....core.errors import ErrorKind, MockError
from ...base import current_backend, mount_base_url, request_context, request_scope, token_info
from ..models import LitmosBackend
from ..models.bulk_imports import Caller
from ..wire import JSON, body_format

if TYPE_CHECKING:
    from ..vendor import LitmosVendor

VENDOR = "litmos"


def backend() -> LitmosBackend:
    """The Litmos backend of the request's namespace."""
    return current_backend(VENDOR)


def vendor() -> "LitmosVendor":
    """The Litmos vendor (its spec, codec and settings)."""
    return cast("LitmosVendor", request_context().server.vendors[VENDOR])


def caller() -> Caller:
    """The user the request's API key acts as, and its access level (auth.py put them there)."""
    info = token_info()
    return Caller(user_id=info["sub"], level=info["access_level"])


def json_body() -> bool:
    """Whether the request body is JSON (its dates are then WCF's `/Date(ms)/`, not ISO)."""
    return body_format(request_scope()) == JSON


def login_base() -> str:
    """Where LoginKey URLs point: the mount, which serves `login.aspx` (see handlers/sso.py)."""
    return f"{mount_base_url()}/"


def owned_route() -> None:
    """405 when a literal path (`/users/details`) reached a parameter route (`/users/{userId}`).

    The router may hand `PUT /users/details` to `PUT /users/{userId}`; WCF matches literal
    segments first, so the literal template's methods decide, as the mount's route table
    (mockserver/core/routes.py) reads them.
    """
    scope = request_scope()
    mount = request_context().mount
    if mount is None:
        return
    allowed = mount.routes.allowed(mount.relative(scope["path"]))
    if allowed is not None and scope["method"].upper() not in allowed:
        raise MockError(ErrorKind.METHOD_NOT_ALLOWED, "method not allowed")
