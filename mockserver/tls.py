"""HTTPS for `mockserver run --tls-cert FILE --tls-key FILE`: uvicorn's own TLS, checked first.

Clients and web plugins often build `https://` URLs, so the mock can serve every vendor over TLS.
uvicorn loads the files itself once it starts; they are loaded here before the port is bound,
so a missing file, a key that does not match its certificate or a key protected by a passphrase
(which OpenSSL would ask for on the terminal, hanging a container) stops the start in one line.
"""

from __future__ import annotations

import ssl
from pathlib import Path


class TlsError(ValueError):
    """The certificate or key cannot serve: the message says which and why."""


def _no_passphrase() -> bytes:
    raise TlsError("the key is protected by a passphrase; give an unencrypted key")


def check_files(cert: str, key: str) -> ssl.SSLContext:
    """The server context uvicorn will build from `cert` and `key` (PEM), or TlsError."""
    for what, name in (("certificate", cert), ("key", key)):
        path = Path(name).expanduser()
        if not path.is_file():
            raise TlsError(f"the {what} {name} is not a readable file")
    try:
        ssl.create_default_context().load_verify_locations(cafile=Path(cert).expanduser())
    except (ssl.SSLError, ValueError):
        raise TlsError(f"the certificate {cert} holds no PEM certificate") from None
    except OSError as exc:
        raise TlsError(f"cannot read {cert}: {exc.strerror or exc}") from None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(Path(cert).expanduser(), Path(key).expanduser(), password=_no_passphrase)
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            raise TlsError(f"the key {key} is not the key of the certificate {cert}") from None
        detail = f" ({exc.reason})" if exc.reason else ""
        raise TlsError(f"the key {key} is not a PEM private key{detail}") from None
    except OSError as exc:
        raise TlsError(f"cannot read {exc.filename or key}: {exc.strerror or exc}") from None
    return context
