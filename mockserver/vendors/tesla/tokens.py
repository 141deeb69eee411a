"""JWTs shaped like the TeSLA CE server's, signed RS256 with the mock's own key.

The real server has Vault sign its tokens, so nobody outside can verify their signature; what
clients do rely on is the shape. Three dot-separated base64url segments *with* `=` padding,
a header carrying `ver`, and claims in a fixed order. `tesla-ce-client` reads `exp` by decoding
the padded payload with `base64.b64decode` in its standard-alphabet mode, which drops `-` and `_`
silently; the payload is therefore serialised so that its encoding contains neither (see
`_json_segment`).

The RSA key is derived from the seed, so a frozen clock gives byte-identical tokens from run to
run; deriving it costs a fraction of a second, once per seed and process. PyCryptodome makes the
key and the RS256 signatures (registered with PyJWT), so the image needs no second crypto library.
"""

from __future__ import annotations

import base64
import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from Crypto.Signature import pkcs1_15
from jwt.algorithms import Algorithm
from jwt.api_jws import PyJWS

from ...core.ids import IdSource
from ...core.sharing import SharedByForks

ALGORITHM = "RS256"
KEY_VERSION = 1
ISSUER = "http://127.0.0.1:8200"  # where the real server's Vault would be; nothing is served there
ACCESS_TTL_MINUTES = 15
REFRESH_SCOPE = "/api/v2/auth/token/refresh"
CLAIM_ORDER = ("iss", "iat", "exp", "group", "sub", "type", "pk", "scope", "filters")

# Characters whose position in a 3-byte group could yield the base64 digits `+`/`/` (url: `-`/`_`).
# In ASCII JSON only these can: they are written as \u escapes, which decode to the same value.
_UNSAFE_FOR_STANDARD_DECODING = {">": "\\u003e", "?": "\\u003f", "~": "\\u007e"}


class InvalidToken(Exception):
    """Anything wrong with a token: shape, signature, header, claims or expiry."""


@lru_cache(maxsize=4)
def signing_key(seed: int) -> RSA.RsaKey:
    """A 2048-bit RSA key that depends only on `seed` (PyCryptodome draws it from a seeded stream)."""
    stream = IdSource(seed, "tesla-jwt")
    return RSA.generate(2048, randfunc=stream.randbytes)


class PyCryptodomeRS256(Algorithm):
    """RS256 (RSASSA-PKCS1-v1_5 with SHA-256) for PyJWT on PyCryptodome keys: the same signature
    bytes as PyJWT's own RS256, which needs the `cryptography` package instead."""

    def prepare_key(self, key: Any) -> Any:
        return key

    def sign(self, msg: bytes, key: Any) -> bytes:
        return pkcs1_15.new(key).sign(SHA256.new(msg))

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        try:
            pkcs1_15.new(key).verify(SHA256.new(msg), sig)
        except (ValueError, TypeError):
            return False
        return True

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Any:
        """RFC 7518 §6.3: the public members, and the private ones for a private key."""
        members = {"kty": "RSA", "n": key_obj.n, "e": key_obj.e}
        if key_obj.has_private():
            p, q, d = key_obj.p, key_obj.q, key_obj.d
            members.update(d=d, p=p, q=q, dp=d % (p - 1), dq=d % (q - 1), qi=pow(q, -1, p))
        jwk = {name: value if isinstance(value, str) else _b64_integer(value) for name, value in members.items()}
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: Any) -> Any:
        data = json.loads(jwk) if isinstance(jwk, str) else dict(jwk)
        if data.get("kty") != "RSA":
            raise ValueError("not an RSA key")
        numbers = [_integer(data[name]) for name in ("n", "e")]
        if "d" in data:
            numbers += [_integer(data[name]) for name in ("d", "p", "q")]
        return RSA.construct(tuple(numbers))


def _b64_integer(value: int) -> str:
    raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _integer(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def _jws() -> PyJWS:
    jws = PyJWS(algorithms=[])
    jws.register_algorithm(ALGORITHM, PyCryptodomeRS256())
    return jws


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")  # padding kept on purpose


def _json_segment(value: dict[str, Any]) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    for char, escape in _UNSAFE_FOR_STANDARD_DECODING.items():
        text = text.replace(char, escape)
    return _b64(text.encode("ascii"))


VERIFIED_CACHE_SIZE = 4096


class TokenSigner(SharedByForks):
    """Issues and checks tokens for one backend (one seed, one clock reading per call)."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._rsa = PyCryptodomeRS256()
        self._jws = _jws()
        # token -> claims whose signature and shape were checked. A token string always has the
        # same signature, so it is checked once (the RSA check and base64 decoding were a fifth
        # of a request); expiry is still read from the clock on every use.
        self._verified: OrderedDict[str, dict[str, Any]] = OrderedDict()

    @property
    def _key(self) -> RSA.RsaKey:
        return signing_key(self._seed)

    def issue(self, claims: dict[str, Any]) -> str:
        header = {"alg": ALGORITHM, "typ": "JWT", "ver": f"{claims['group']}:v{KEY_VERSION}"}
        signing_input = f"{_json_segment(header)}.{_json_segment(claims)}"
        signature = self._rsa.sign(signing_input.encode("ascii"), self._key)
        return f"{signing_input}.{_b64(signature)}"

    def verify(self, token: str, now: float | None) -> dict[str, Any]:
        """The claims of a token this signer issued that has not expired at `now` (None: any time)."""
        claims = self._verified.get(token)
        if claims is None:
            claims = self._checked_claims(token)
            self._verified[token] = claims
            if len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
        exp = claims["exp"]
        if not isinstance(exp, int) or isinstance(exp, bool) or (now is not None and exp <= now):
            raise InvalidToken("expired")
        return dict(claims)

    def _checked_claims(self, token: str) -> dict[str, Any]:
        try:
            decoded = self._jws.decode_complete(token, self._key.public_key(), algorithms=[ALGORITHM])
            header, claims = decoded["header"], json.loads(decoded["payload"])
        except Exception as exc:  # every failure has the same answer on the wire
            raise InvalidToken(str(exc)) from None
        if not isinstance(claims, dict) or tuple(claims)[: len(CLAIM_ORDER)] != CLAIM_ORDER:
            raise InvalidToken("unexpected claims")
        if header.get("ver") != f"{claims['group']}:v{KEY_VERSION}" or claims["iss"] != ISSUER:
            raise InvalidToken("wrong key version or issuer")
        return claims


def crashes_upstream(token: str) -> bool:
    """Malformations the real validator does not catch (a 500 there): non-ASCII text, a header or
    payload segment that is not base64 JSON, a header without `ver`. Other bad tokens are 401."""
    if not token.isascii():
        return True
    segments = token.split(".")
    if len(segments) != 3:
        return False
    try:
        header, payload = (json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))) for s in segments[:2])
    except ValueError:  # binascii.Error and JSONDecodeError are ValueErrors
        return True
    return not isinstance(header, dict) or "ver" not in header or not isinstance(payload, dict)


def access_claims(*, group: str, sub: str, type_: str, pk: int, scope: list[str], iat: int) -> dict[str, Any]:
    return {
        "iss": ISSUER, "iat": iat, "exp": iat + ACCESS_TTL_MINUTES * 60, "group": group, "sub": sub,
        "type": type_, "pk": pk, "scope": scope, "filters": None,
    }


def refresh_claims(access: dict[str, Any], lifetime_minutes: int) -> dict[str, Any]:
    """The refresh token of an access token: longer `exp`, the refresh scope, and `ttl`."""
    ttl = (access["exp"] - access["iat"]) // 60
    return {**access, "exp": access["iat"] + lifetime_minutes * 60, "scope": REFRESH_SCOPE, "ttl": ttl}


def is_refresh(claims: dict[str, Any]) -> bool:
    return claims.get("scope") == REFRESH_SCOPE and isinstance(claims.get("ttl"), int)


def token_pair(signer: TokenSigner, claims: dict[str, Any], refresh_minutes: int) -> dict[str, str]:
    """`{access_token, refresh_token}` for `claims`; the refresh token lives `refresh_minutes`."""
    return {"access_token": signer.issue(claims), "refresh_token": signer.issue(refresh_claims(claims, refresh_minutes))}
