"""What a Titus handler knows of its request: the vendor's live backend and the token's principal."""

from __future__ import annotations

from ...base import current_backend, token_info
from ..models import Principal, TitusBackend

VENDOR = "titus"


def backend() -> TitusBackend:
    """The backend of the namespace serving this request."""
    backend: TitusBackend = current_backend(VENDOR)
    return backend


def principal() -> Principal:
    """Who the request's token speaks for (put in the token info by `auth.authenticate`)."""
    who: Principal = token_info()["principal"]
    return who
