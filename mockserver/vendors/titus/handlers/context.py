"""What a Titus handler knows of its request: the vendor's live backend and who is calling."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ...base import current_backend, current_vendor, request_scope, routed_operation_id, token_info
from ..errors import forbidden
from ..models import Caller, Principal, TitusBackend
from ..policy import Policy

if TYPE_CHECKING:
    from ..vendor import TitusVendor

VENDOR = "titus"


def backend() -> TitusBackend:
    """The backend of the namespace serving this request."""
    backend: TitusBackend = current_backend(VENDOR)
    return backend


def principal() -> Principal:
    """Who the request's token speaks for (put in the token info by `auth.authenticate`)."""
    who: Principal = token_info()["principal"]
    return who


def operation_id() -> str:
    """The operationId Connexion's router matched for this request."""
    operation = routed_operation_id(request_scope())
    if operation is None:  # a handler runs only for an operation the router chose
        raise LookupError("no operation was routed")
    return operation


def policy() -> Policy:
    """Who may call what, as the vendor read it from the spec at startup."""
    titus = cast("TitusVendor", current_vendor())
    return titus.policy


def caller() -> Caller:
    """The token's principal calling this operation, with the capability its `x-capability` names.

    A token whose profile may not write (the readonly one) is refused every operation that is
    not a GET, here, before a body is read or a record looked up.
    """
    who, rule = principal(), policy().rule(operation_id())
    if rule.capability is None:
        raise LookupError(f"{operation_id()} is x-public: its handler has no caller to give the model")
    if rule.writes and not who.can_write():
        raise forbidden(rule.capability)
    return Caller(who, rule.capability)
