"""TeSLA CE tokens: the real server's JWT shape, lifetimes on the mock clock, refresh rules."""

from __future__ import annotations

import base64
import json

import pytest

from mockserver.vendors.tesla.tokens import CLAIM_ORDER, InvalidToken, TokenSigner, access_claims

LOGIN = "/api/v2/auth/login"
REFRESH = "/api/v2/auth/token/refresh"
GA = {"email": "admin@tesla.example", "password": "tesla-admin"}
IA = {"email": "inst-admin@tesla.example", "password": "tesla-admin"}
MEMBER = {"email": "member@tesla.example", "password": "tesla-member"}
INVALID_TOKEN = {"detail": "Invalid token: Invalid JWT token"}


@pytest.fixture
def client(tesla_client):
    return tesla_client  # one app per module, reset before each test (the grown seed is slow to load)


def client_claims(token: str) -> dict:
    """What tesla-ce-client does: standard-alphabet b64decode of the padded payload."""
    return json.loads(base64.b64decode(token.split(".")[1]))


def login(client, credentials: dict) -> dict:
    response = client.post(LOGIN, json=credentials)
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["token"]
    return response.json()["token"]


def test_login_tokens_have_the_real_shape(client) -> None:
    pair = login(client, IA)
    assert list(pair) == ["access_token", "refresh_token"]
    header_segment, payload_segment, signature_segment = pair["access_token"].split(".")
    for segment in (header_segment, payload_segment, signature_segment):
        assert len(segment) % 4 == 0  # padding kept
    assert base64.urlsafe_b64decode(header_segment) == b'{"alg":"RS256","typ":"JWT","ver":"users:v1"}'
    assert "-" not in payload_segment and "_" not in payload_segment
    assert len(base64.urlsafe_b64decode(signature_segment)) == 256  # RSA-2048
    claims = client_claims(pair["access_token"])
    assert tuple(claims) == CLAIM_ORDER
    assert claims["exp"] == claims["iat"] + 900
    assert (claims["group"], claims["sub"], claims["type"], claims["pk"]) == ("users", "nou-staff-0001", "user", 2)
    assert claims["scope"] == ["/api/v2/institution/1/*"] and claims["filters"] is None


@pytest.mark.parametrize("credentials, kind, sub, refresh_minutes", [
    (GA, "admin", "admin", 60),
    (MEMBER, "user", "nou-0100", 24 * 60),
])
def test_refresh_token_lifetimes(client, credentials, kind, sub, refresh_minutes) -> None:
    pair = login(client, credentials)
    access, refresh = client_claims(pair["access_token"]), client_claims(pair["refresh_token"])
    assert (access["type"], access["sub"]) == (kind, sub)
    assert list(refresh) == [*CLAIM_ORDER, "ttl"]
    assert refresh["scope"] == "/api/v2/auth/token/refresh" and refresh["ttl"] == 15
    assert refresh["exp"] == refresh["iat"] + refresh_minutes * 60


def test_approle_answers_module_metadata_and_module_tokens(client) -> None:
    response = client.post("/api/v2/auth/approle", json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["module", "description", "config", "apps", "services", "domain", "vle_name", "vle_id",
                          "vle_url", "institution_acronym", "institution_id", "type", "pk", "vle", "token"]
    assert (body["type"], body["pk"], body["vle_id"], body["module"]) == ("vle", 1, 1, "vle_001")
    assert (body["description"], body["apps"], body["services"]) == ("TeSLA VLE", [], {})
    assert (body["config"], body["domain"]) == ({"TESLA_DOMAIN": "testserver"}, "vle_001.testserver")
    assert (body["vle_name"], body["vle_url"]) == ("NOU Moodle", "http://127.0.0.1:8081/moodle")
    assert (body["institution_acronym"], body["institution_id"]) == ("NOU", 1)
    assert list(body["vle"]) == ["id", "lti", "name", "type", "url", "client_id", "created_at", "updated_at",
                                 "institution"]
    assert (body["vle"]["type"], body["vle"]["institution"], body["vle"]["created_at"]) == (0, 1, "2024-09-02T09:00:00Z")
    assert body["vle"]["lti"]["consumer_key"] == "nou-moodle"
    access, refresh = client_claims(body["token"]["access_token"]), client_claims(body["token"]["refresh_token"])
    assert (access["group"], access["sub"], access["type"], access["pk"]) == ("module_api", "api", "vle", 1)
    assert access["scope"] == ["/api/*"] and refresh["exp"] - refresh["iat"] == 120 * 60
    header = json.loads(base64.urlsafe_b64decode(body["token"]["access_token"].split(".")[0]))
    assert header["ver"] == "module_api:v1"
    # A module is authenticated but has no institution permission, as on the real server.
    denied = client.get("/api/v2/institution/1/", headers={"Authorization": f"JWT {body['token']['access_token']}"})
    assert denied.status_code == 403


def test_payload_encoding_survives_standard_base64_decoding() -> None:
    signer = TokenSigner(seed=1)
    claims = access_claims(group="users", sub="a?b>c~d\u00e9??~~>>", type_="user", pk=7, scope=["/x?y"], iat=1_800_000_000)
    token = signer.issue(claims)
    payload = token.split(".")[1]
    assert "-" not in payload and "_" not in payload
    assert client_claims(token) == claims
    assert signer.verify(token, now=1_800_000_000)["sub"] == "a?b>c~d\u00e9??~~>>"


def test_tokens_are_deterministic_per_seed_and_checked_against_the_key() -> None:
    claims = access_claims(group="users", sub="admin", type_="admin", pk=1, scope=[], iat=1_800_000_000)
    first, again, other = TokenSigner(1).issue(claims), TokenSigner(1).issue(claims), TokenSigner(2).issue(claims)
    assert first == again and first != other
    with pytest.raises(InvalidToken):
        TokenSigner(1).verify(other, now=1_800_000_000)
    tampered = first.rsplit(".", 1)[0] + "." + other.rsplit(".", 1)[1]
    with pytest.raises(InvalidToken):
        TokenSigner(1).verify(tampered, now=1_800_000_000)


def test_access_token_expires_on_the_admin_clock_and_refresh_renews_it(client) -> None:
    pair = login(client, GA)
    headers = {"Authorization": f"JWT {pair['access_token']}"}
    assert client.get("/api/v2/institution/", headers=headers).status_code == 200
    assert client.post("/__admin/clock", json={"advance": "16m"}).status_code == 200
    expired = client.get("/api/v2/institution/", headers=headers)
    assert (expired.status_code, expired.json()) == (401, INVALID_TOKEN)
    assert expired.headers["www-authenticate"] == "JWT"

    renewed = client.post(REFRESH, json={"token": pair["access_token"]}, headers={"Authorization": f"JWT {pair['refresh_token']}"})
    assert renewed.status_code == 200
    assert renewed.json()["token"]["refresh_token"] == pair["refresh_token"]
    new_access = renewed.json()["token"]["access_token"]
    new_claims = client_claims(new_access)
    assert new_claims["exp"] == new_claims["iat"] + 900 and new_claims["iat"] > client_claims(pair["access_token"])["iat"]
    assert client.get("/api/v2/institution/", headers={"Authorization": f"JWT {new_access}"}).status_code == 200

    # The other body form, then past the refresh token's own 60 minutes: 403.
    assert client.post(REFRESH, json={"token": pair}).status_code == 200
    client.post("/__admin/clock", json={"advance": "45m"})
    too_late = client.post(REFRESH, json={"token": pair})
    assert (too_late.status_code, too_late.json()) == (403, {"detail": "You do not have permission to perform this action."})


def test_refresh_refuses_mismatched_or_misused_tokens(client) -> None:
    ga, member = login(client, GA), login(client, MEMBER)
    forbidden = (403, {"detail": "You do not have permission to perform this action."})
    cases = [
        ({"token": ga["access_token"]}, {"Authorization": f"JWT {member['refresh_token']}"}),  # another principal
        ({"token": ga["access_token"]}, {}),  # no refresh token at all
        ({"token": ga["access_token"]}, {"Authorization": f"JWT {ga['access_token']}"}),  # an access token
        ({"token": {"access_token": "x.y.z", "refresh_token": ga["refresh_token"]}}, {}),
    ]
    for body, headers in cases:
        response = client.post(REFRESH, json=body, headers=headers)
        assert (response.status_code, response.json()) == forbidden, body
    missing = client.post(REFRESH, json={})
    assert (missing.status_code, missing.json()) == (400, {"token": ["This field is required."]})


def test_signing_algorithm_matches_pyjwt_rs256_and_round_trips_jwk() -> None:
    """The PyCryptodome RS256 gives the same bytes as the RFC's RSASSA-PKCS1-v1_5 (checked with
    PyJWT's own RS256 where the `cryptography` package is installed) and its JWKs round-trip."""
    from mockserver.vendors.tesla.tokens import PyCryptodomeRS256, signing_key

    algorithm, key = PyCryptodomeRS256(), signing_key(1)
    signature = algorithm.sign(b"payload", key)
    assert algorithm.verify(b"payload", key.public_key(), signature)
    assert not algorithm.verify(b"payload!", key.public_key(), signature)
    private, public = algorithm.to_jwk(key, as_dict=True), json.loads(algorithm.to_jwk(key.public_key()))
    assert set(public) == {"kty", "n", "e"} and {"d", "p", "q", "dp", "dq", "qi"} <= set(private)
    assert algorithm.from_jwk(private) == key and algorithm.from_jwk(json.dumps(public)) == key.public_key()
    with pytest.raises(ValueError):
        algorithm.from_jwk({"kty": "EC"})
    try:
        from cryptography.hazmat.primitives import serialization
        from jwt.algorithms import RSAAlgorithm
    except ImportError:  # the image's install: no second crypto library to compare with
        return
    reference = serialization.load_der_private_key(key.export_key(format="DER"), password=None)
    assert RSAAlgorithm(RSAAlgorithm.SHA256).sign(b"payload", reference) == signature
