"""`/api/v2/auth/login`, `approle` and `token/refresh`, and who a token speaks for.

A global admin gets an admin token, an institution user a user token scoped to its institution,
a VLE module (by its AppRole) a module token; a learner token (from a launcher) names the learner
by its UUID. Tokens are checked by signature and expiry on every use (`tokens.TokenSigner`).
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row
from ..permissions import Principal
from ..tokens import InvalidToken, access_claims, crashes_upstream, is_refresh, token_pair
from .lookup import upstream_crash
from .people import learner_by_uuid, password_hash
from .state import State
from .vles import view_module_vle

INVALID_CREDENTIALS = "Invalid credentials"
GLOBAL_ADMIN_SCOPE = ["/api/v2/admin/*", "/api/v2/institution/*"]
MODULE_SCOPE = ["/api/*"]
REFRESH_MINUTES = {"admin": 60, "user": 24 * 60, "vle": 120}
PRINCIPAL_FLAGS = ("inst_admin", "legal_admin", "send_admin", "data_admin")


def unauthorized(detail: str) -> MockError:
    return MockError(ErrorKind.UNAUTHORIZED, detail)


def invalid_credentials() -> MockError:
    """The token views' 401: the bare JSON string "Invalid credentials"."""
    return MockError(ErrorKind.UNAUTHORIZED, INVALID_CREDENTIALS, extra={"bare": True})


def approle_metadata(record: Row, vle: Row, institution: Row, domain: str) -> dict[str, Any]:
    """What Vault holds for a VLE module, in its order: the module entry written when the VLE was
    registered (`domain` is `<module>.<TESLA_DOMAIN>`) and the VLE's and institution's names and ids."""
    return {"module": record["module"], "description": record["description"], "config": {"TESLA_DOMAIN": domain},
            "apps": copy.deepcopy(record["apps"]), "services": copy.deepcopy(record["services"]),
            "domain": f"{record['module']}.{domain}", "vle_name": vle["name"], "vle_id": vle["id"],
            "vle_url": vle["url"], "institution_acronym": institution.get("acronym"),
            "institution_id": institution.get("id")}


def principal_of(row: Row) -> Principal:
    """The caller a user row is: a global admin, or a member of its institution with its flags."""
    if row["is_staff"]:
        return Principal("admin", user_id=row["id"])
    if row["institution"] is None:
        return Principal("user", user_id=row["id"])
    return Principal("member", user_id=row["id"], institution_id=row["institution"],
                     learner=bool(row.get("learner")), **{flag: row[flag] for flag in PRINCIPAL_FLAGS})


class Logins:
    """Token pairs for credentials, new access tokens for refresh tokens, principals for tokens."""

    def __init__(self, state: State) -> None:
        self._state = state

    def login(self, email: str, password: str) -> dict[str, Any]:
        state, users = self._state, self._state.tables.users
        with state.lock:
            row = users.find("email", email)
            if row is None or row["password_hash"] is None or row["password_hash"] != password_hash(password):
                raise invalid_credentials()
            if not row["is_staff"] and not (row["institution"] is not None and (row["login_allowed"] or row["inst_admin"])):
                raise invalid_credentials()
            iat = int(state.clock.now())
            if row["is_staff"]:
                claims = access_claims(group="users", sub=row["username"], type_="admin", pk=row["id"],
                                       scope=GLOBAL_ADMIN_SCOPE, iat=iat)
            else:
                claims = access_claims(group="users", sub=row["uid"], type_="user", pk=row["id"],
                                       scope=[f"/api/v2/institution/{row['institution']}/*"], iat=iat)
            users.update(row["id"], {"last_login": state.now()})
            return {"token": token_pair(state.signer, claims, REFRESH_MINUTES[claims["type"]])}

    def approle(self, role_id: str, secret_id: str, domain: str) -> dict[str, Any]:
        """The module's Vault metadata, its VLE and a token pair; `domain` is the TESLA_DOMAIN the
        answer names (the host the request came to: the mock has no configured domain)."""
        state, tables = self._state, self._state.tables
        with state.lock:
            record = tables.approles.find("role_id", role_id)
            vle = tables.vles.get(record["vle_id"]) if record else None
            if record is None or record["secret_id"] != secret_id or vle is None:
                raise invalid_credentials()
            claims = access_claims(group="module_api", sub="api", type_="vle", pk=vle["id"], scope=MODULE_SCOPE,
                                   iat=int(state.clock.now()))
            institution = tables.institutions.get(vle["institution"]) or {}
            return {**approle_metadata(record, vle, institution, domain), "type": "vle", "pk": vle["id"],
                    "vle": view_module_vle(state.fields, vle), "token": token_pair(state.signer, claims, REFRESH_MINUTES["vle"])}

    def refresh(self, access_token: str, refresh_token: str) -> dict[str, Any]:
        """A new access token when both tokens are ours and speak for the same principal."""
        state = self._state
        forbidden = MockError(ErrorKind.FORBIDDEN, "You do not have permission to perform this action.")
        try:
            refresh = state.signer.verify(refresh_token, state.clock.now())
            access = state.signer.verify(access_token, None)  # an expired access token is the point
        except InvalidToken:
            raise forbidden from None
        same = all(access[k] == refresh[k] for k in ("group", "type", "pk"))
        if not is_refresh(refresh) or is_refresh(access) or not same:
            raise forbidden
        claims = access_claims(group=access["group"], sub=access["sub"], type_=access["type"], pk=access["pk"],
                               scope=access["scope"], iat=int(state.clock.now()))
        claims["exp"] = claims["iat"] + refresh["ttl"] * 60
        claims["filters"] = access["filters"]
        return {"token": {"access_token": state.signer.issue(claims), "refresh_token": refresh_token}}

    def principal_for(self, token: str) -> Principal:
        state, tables = self._state, self._state.tables
        try:
            claims = state.signer.verify(token, state.clock.now())
        except InvalidToken:
            if state.quirks and crashes_upstream(token):
                raise upstream_crash("a token the real validator cannot parse") from None
            raise unauthorized("Invalid token: Invalid JWT token") from None
        group, kind, pk = claims["group"], claims["type"], claims["pk"]
        with state.lock:
            if group == "users":
                row = tables.users.get(pk) if kind == "admin" else self._user_by_uid(claims["sub"], pk)
                if row is None:
                    raise unauthorized("Invalid user.")
                return principal_of(row)
            if group == "learners":
                row = learner_by_uuid(tables.users, claims["sub"])
                if row is None:
                    raise unauthorized("Invalid learner.")
                return principal_of(row)
            if group.startswith("module_"):
                if kind == "vle" and tables.vles.get(pk) is not None:
                    return Principal("module", vle_id=pk)
                raise unauthorized({"vle": "Invalid VLE.", "provider": "Invalid provider."}.get(kind, "Invalid module type."))
            raise unauthorized("Invalid payload group.")

    def _user_by_uid(self, uid: str, pk: Any) -> Row | None:
        """By `uid` among all institutions' users, then by id (the real lookup is global)."""
        tables = self._state.tables
        matches = [row for iid in tables.institutions.rows()
                   if (row := tables.users.find("institution_uid", (iid["id"], uid))) is not None]
        if len(matches) > 1:
            if self._state.quirks:
                raise upstream_crash(f"uid {uid!r} is used in several institutions")
            matches = [row for row in matches if row["id"] == pk]
        if matches:
            return matches[0]
        row = tables.users.get(pk)
        return row if row is not None and row["institution"] is not None else None
