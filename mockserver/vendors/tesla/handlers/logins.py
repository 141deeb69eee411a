"""TeSLA's `/api/v2/auth/` logins: user, module (approle) and token refresh."""

from __future__ import annotations

from urllib.parse import urlsplit

import flask

from ....core.bodies import json_response
from ...base import host_url
from .. import wire
from .request import valid_body, vendor_backend


def login() -> flask.Response:
    data = valid_body("Login", ("email", "password", "realm"))
    return json_response(vendor_backend().logins.login(data["email"].strip(), data["password"]))


def approle() -> flask.Response:
    data = wire.trimmed(valid_body("AppRoleLogin", ("role_id", "secret_id")), ("role_id", "secret_id"))
    domain = urlsplit(host_url()).netloc  # TESLA_DOMAIN: the host this request came to
    return json_response(vendor_backend().logins.approle(data["role_id"], data["secret_id"], domain))


def refresh_token() -> flask.Response:
    token = valid_body("RefreshRequest", ("token",))["token"]
    if isinstance(token, dict):
        access, refresh = token["access_token"], token["refresh_token"]
    else:
        words = flask.request.headers.get("Authorization", "").encode("latin-1").split()
        access, refresh = token.strip(), words[1].decode("latin-1") if len(words) == 2 else ""
    return json_response(vendor_backend().logins.refresh(access, refresh))
