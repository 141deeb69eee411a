"""What a Titus handler knows of its request: the vendor's live backend and who is calling."""

from __future__ import annotations

from ...base import current_backend, token_info
from ..errors import forbidden
from ..models import Caller, Principal, TitusBackend

VENDOR = "titus"


def backend() -> TitusBackend:
    """The backend of the namespace serving this request."""
    backend: TitusBackend = current_backend(VENDOR)
    return backend


def principal() -> Principal:
    """Who the request's token speaks for (put in the token info by `auth.authenticate`)."""
    who: Principal = token_info()["principal"]
    return who


def caller(capability: str, *, writes: bool = False) -> Caller:
    """The token's principal calling an operation that needs `capability`. A write by a token whose
    profile may not write (the readonly token) is refused here, before the body is read."""
    who = principal()
    if writes and not who.can_write():
        raise forbidden(capability)
    return Caller(who, capability)
