"""The session side of `/api/v2/auth/`: launcher tokens, the caller's profile, logout.

`token`, `profile` and `logout` are plain Django views on the real server (no DRF
authentication): `profile` reads the `Authorization` header itself, answering 401 with an empty
body when there is none and 403 when the token is not good.
"""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ....core.errors import ErrorKind, MockError
from .. import wire
from ..models.logins import invalid_credentials
from .request import nested_errors, request_body, vendor_backend


def launcher_token() -> flask.Response:
    """The dashboard sends the launcher id as text (from its query string): DRF's IntegerField reads it."""
    data = request_body()
    errors = nested_errors(data, "LauncherExchange", ("id", "token"), overrides={"id": wire.TYPE_MESSAGES["integer"]})
    if errors:
        raise wire.invalid(errors)
    pair = vendor_backend().sessions.launcher_exchange(wire.integer(data["id"]), data["token"].strip())
    if pair is None:
        raise invalid_credentials()
    return json_response(pair)


def get_profile() -> flask.Response:
    words = flask.request.headers.get("Authorization", "").encode("latin-1").split()
    if not words:
        return flask.Response(status=401)
    backend = vendor_backend()
    try:
        if len(words) != 2:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token: Invalid JWT token")
        principal = backend.logins.principal_for(words[1].decode("latin-1"))
    except MockError as error:
        if error.kind is not ErrorKind.UNAUTHORIZED:
            raise
        return json_response({"detail": error.message}, 403)
    if principal.kind == "module":
        return flask.Response(status=403)
    return json_response(backend.sessions.profile(principal.user_id))


def logout() -> flask.Response:
    return empty_response(204)
