"""Titus Connect state and rules: users, tokens, tenants. No HTTP in here."""

from __future__ import annotations

import copy
import hashlib
import math
from dataclasses import dataclass
from typing import Any

from ...core.clock import Clock
from ...core.errors import ErrorKind, MockError
from ...core.store import Table, Unique, UniqueViolation, casefold_key, exact_key
from ..base import Backend

USER_DEFAULTS: dict[str, Any] = {
    "idnumber": "",
    "auth": "manual",
    "suspended": False,
    "lang": "en",
    "timezone": "99",
    "city": "",
    "country": "",
    "institution": "",
    "department": "",
    "phone1": "",
    "phone2": "",
    "address": "",
    "description": "",
    "middlename": "",
    "alternatename": "",
    "tenantid": None,
    "customfields": [],
    "firstaccess": 0,
    "lastaccess": 0,
}
USER_PUBLIC_FIELDS = (
    "id", "username", "email", "firstname", "lastname", "idnumber", "auth", "suspended", "lang",
    "timezone", "city", "country", "institution", "department", "phone1", "phone2", "address",
    "description", "middlename", "alternatename", "tenantid", "customfields", "firstaccess",
    "lastaccess", "timecreated", "timemodified",
)
USER_READONLY_FIELDS = ("id", "firstaccess", "lastaccess", "timecreated", "timemodified")
USER_SORTS = ("username", "firstname", "lastname", "email", "idnumber", "timecreated", "timemodified", "lastaccess")
MAX_PERPAGE = 500

# Messages follow Moodle's language strings where Moodle has one.
CAPABILITY_NAMES = {
    "moodle/user:create": "Create users",
    "moodle/user:update": "Update user profiles",
    "moodle/user:delete": "Delete users",
    "moodle/user:viewdetails": "View user profiles",
}


@dataclass(frozen=True)
class Principal:
    """Who a token speaks for, and what its profile allows."""

    token: str
    userid: int
    profile: str  # admin | readonly | tenant
    tenantid: int | None = None

    def can_write(self) -> bool:
        return self.profile in ("admin", "tenant")

    def sees_tenant(self, tenantid: int | None) -> bool:
        return self.profile != "tenant" or tenantid == self.tenantid


def _sort_key(field: str):
    def key(row: dict[str, Any]) -> Any:
        value = row.get(field)
        return value.casefold() if isinstance(value, str) else value

    return key


class TitusBackend(Backend):
    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int) -> None:
        super().__init__(clock, seed)
        self.users = self.add_table(
            Table(
                "users",
                unique=[
                    Unique("username", casefold_key("username")),
                    Unique("email", casefold_key("email")),
                    Unique("idnumber", exact_key("idnumber")),
                ],
                orders={name: _sort_key(name) for name in USER_SORTS},
                fields=(*USER_PUBLIC_FIELDS, "siteadmin"),
            )
        )
        # Deleted users leave the live table (so paging stays O(page)) but are kept for audit.
        self.deleted_users = self.add_table(Table("deleted_users"))
        self.tenants = self.add_table(Table("tenants", unique=[Unique("idnumber", exact_key("idnumber"))], fields=("name", "idnumber")))
        self.profile_fields = self.add_table(
            Table("user_profile_fields", unique=[Unique("shortname", exact_key("shortname"))], fields=("shortname", "name", "datatype"))
        )
        self.job_assignments = self.add_table(Table("job_assignments", fields=("userid", "idnumber")))
        self.tokens: dict[str, dict[str, Any]] = {}
        self.site: dict[str, Any] = dict(fixtures.get("site") or {})
        self._load(fixtures)

    # -- seed ----------------------------------------------------------------------------------
    def _load(self, fixtures: dict[str, Any]) -> None:
        for tenant in fixtures.get("tenants", []):
            self.tenants.insert({"suspended": False, **copy.deepcopy(tenant)})
        for field in fixtures.get("user_profile_fields", []):
            self.profile_fields.insert(copy.deepcopy(field))
        seeded_at = int(fixtures.get("seeded_at", 1700000000))
        for user in fixtures.get("users", []):
            row = {**USER_DEFAULTS, **copy.deepcopy(user)}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            row["siteadmin"] = bool(row.get("siteadmin", False))
            self.users.insert(row)
        for token in fixtures.get("tokens", []):
            self.tokens[token["token"]] = {"validuntil": 0, "tenantid": None, **copy.deepcopy(token)}

    def export_state(self) -> dict[str, Any]:
        state = super().export_state()
        state["tokens"] = copy.deepcopy(list(self.tokens.values()))
        return state

    def import_state(self, state: dict[str, Any]) -> None:
        tokens = state.get("tokens")
        super().import_state({"tables": state.get("tables")})
        if isinstance(tokens, list):
            self.tokens = {t["token"]: dict(t) for t in tokens if isinstance(t, dict) and "token" in t}

    # -- auth ----------------------------------------------------------------------------------
    def principal_for(self, token: str) -> Principal:
        record = self.tokens.get(token)
        if record is None:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token - token not found", code="invalidtoken")
        if record["validuntil"] and record["validuntil"] < self.clock.now():
            raise MockError(
                ErrorKind.UNAUTHORIZED,
                "Invalid token - token expired - check validuntil time for the token",
                code="invalidtimedtoken",
            )
        user = self.users.get(record["userid"])
        if user is None:
            raise MockError(ErrorKind.UNAUTHORIZED, "Invalid token - token not found", code="invalidtoken")
        if user["suspended"]:
            raise MockError(ErrorKind.FORBIDDEN, "Access control exception (User suspended)", code="accessexception")
        return Principal(token, user["id"], record["profile"], record.get("tenantid"))

    @staticmethod
    def require(principal: Principal, capability: str) -> None:
        if not principal.can_write():
            name = CAPABILITY_NAMES.get(capability, capability)
            raise MockError(
                ErrorKind.FORBIDDEN,
                f"Sorry, but you do not currently have permissions to do that ({name}).",
                code="nopermissions",
                extra={"debuginfo": capability},
            )

    # -- users ---------------------------------------------------------------------------------
    def view_user(self, row: dict[str, Any]) -> dict[str, Any]:
        view = {name: row[name] for name in USER_PUBLIC_FIELDS}  # scalars, except:
        view["customfields"] = [dict(field) for field in row["customfields"]]
        view["job_assignments"] = [
            {"id": ja["id"], "idnumber": ja["idnumber"], "fullname": ja.get("fullname", "")}
            for ja in self.job_assignments.rows()
            if ja["userid"] == row["id"]
        ]
        return view

    def _visible_user(self, principal: Principal, user_id: int) -> dict[str, Any]:
        row = self.users.get(user_id)
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "Can't find data record in database table user.", code="invalidrecord",
                            extra={"exception": "dml_missing_record_exception"})
        if not principal.sees_tenant(row["tenantid"]):
            raise MockError(ErrorKind.FORBIDDEN, "Sorry, but you do not currently have permissions to do that (View user profiles).",
                            code="nopermissions", extra={"debuginfo": "moodle/user:viewdetails"})
        return row

    def get_user(self, principal: Principal, user_id: int) -> dict[str, Any]:
        with self.lock:
            return self.view_user(self._visible_user(principal, user_id))

    def list_users(
        self,
        principal: Principal,
        *,
        page: int = 1,
        perpage: int = 100,
        sort: str = "id",
        order: str = "asc",
        filters: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        filters = {k: v for k, v in (filters or {}).items() if v is not None}
        if page < 1 or not 1 <= perpage <= MAX_PERPAGE:
            raise MockError(ErrorKind.BAD_REQUEST, "Invalid parameter value detected", code="invalidparameter",
                            extra={"debuginfo": f"page must be >= 1 and perpage between 1 and {MAX_PERPAGE}"})
        if principal.profile == "tenant":
            filters["tenantid"] = principal.tenantid
        reverse = order == "desc"
        offset = (page - 1) * perpage
        with self.lock:
            if filters:
                matched = self.users.select(_user_filter(filters), order=sort, reverse=reverse)
                total, items = len(matched), matched[offset:offset + perpage]
            else:
                result = self.users.page(offset, perpage, order=sort, reverse=reverse)
                total, items = result.total, result.items
            return {
                "batch": {"page": page, "perpage": perpage, "totalpages": math.ceil(total / perpage), "totalitems": total},
                "users": [self.view_user(row) for row in items],
            }

    def create_user(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        self.require(principal, "moodle/user:create")
        with self.lock:
            data = dict(data)
            password = data.pop("password", None)
            data.pop("createpassword", None)
            if principal.profile == "tenant":
                data["tenantid"] = principal.tenantid
            self._check_tenant(data.get("tenantid"))
            now = int(self.clock.now())
            row = {**USER_DEFAULTS, **data, "timecreated": now, "timemodified": now, "siteadmin": False}
            row["customfields"] = []
            row["password_hash"] = _hash(password) if password else None
            self._insert_or_conflict(row)
            return self.view_user(row)

    def update_user(self, principal: Principal, user_id: int, data: dict[str, Any]) -> dict[str, Any]:
        self.require(principal, "moodle/user:update")
        with self.lock:
            row = self._visible_user(principal, user_id)
            changes = dict(data)
            if "email" in changes:
                if str(changes["email"]).casefold() != row["email"].casefold():
                    raise MockError(ErrorKind.BAD_REQUEST, "Use /user_email to change a user's email address",
                                    code="useuseremail")
                changes.pop("email")
            for name in USER_READONLY_FIELDS:
                if name in changes:
                    if changes.pop(name) != row[name]:
                        raise MockError(ErrorKind.BAD_REQUEST, f"The field {name} is read-only", code="readonlyfield",
                                        extra={"errors": [{"field": name, "message": "read-only field"}]})
            if "tenantid" in changes:
                if principal.profile == "tenant" and changes["tenantid"] != principal.tenantid:
                    self.require(Principal(principal.token, principal.userid, "readonly"), "moodle/user:update")
                self._check_tenant(changes["tenantid"])
            password = changes.pop("password", None)
            if password:
                changes["password_hash"] = _hash(password)
            changes["timemodified"] = int(self.clock.now())
            try:
                self.users.update(user_id, changes)
            except UniqueViolation as exc:
                raise self._conflict(exc, {**row, **changes}) from None
            return self.view_user(row)

    def delete_user(self, principal: Principal, user_id: int) -> None:
        self.require(principal, "moodle/user:delete")
        with self.lock:
            row = self._visible_user(principal, user_id)
            if row["siteadmin"]:
                raise MockError(ErrorKind.FORBIDDEN, "You can not delete the admin user", code="useradminodelete")
            if row["id"] == principal.userid:
                raise MockError(ErrorKind.FORBIDDEN, "You can not delete yourself", code="usernotdeletederror")
            self.users.delete(user_id)
            for ja in [ja for ja in self.job_assignments.rows() if ja["userid"] == user_id]:
                self.job_assignments.delete(ja["id"])
            for token in [t for t, record in self.tokens.items() if record["userid"] == user_id]:
                del self.tokens[token]
            self.deleted_users.insert({**row, "deleted": True, "timemodified": int(self.clock.now())})

    def version_info(self) -> dict[str, Any]:
        return dict(self.site)

    # -- internals -----------------------------------------------------------------------------
    def _check_tenant(self, tenantid: int | None) -> None:
        if tenantid is None:
            return
        if not self.site.get("multitenancy", False):
            raise MockError(ErrorKind.BAD_REQUEST, "Multi-tenancy is not enabled on this site", code="tenantsnotenabled")
        if tenantid not in self.tenants:
            raise MockError(ErrorKind.NOT_FOUND, f"Tenant with id {tenantid} not found", code="tenantnotfound")

    def _insert_or_conflict(self, row: dict[str, Any]) -> None:
        try:
            self.users.insert(row)
        except UniqueViolation as exc:
            raise self._conflict(exc, row) from None

    @staticmethod
    def _conflict(exc: UniqueViolation, row: dict[str, Any]) -> MockError:
        if exc.index == "username":
            return MockError(ErrorKind.CONFLICT, f"Username already exists: {row['username']}", code="usernameexists")
        if exc.index == "email":
            return MockError(ErrorKind.CONFLICT, "This email address is already registered.", code="emailexists")
        return MockError(ErrorKind.CONFLICT, f"ID number is already used for another user ({row.get('idnumber')})",
                         code="useridnumberexists")


def _user_filter(filters: dict[str, Any]):
    email = filters.get("email")
    email = email.casefold() if isinstance(email, str) else None
    search = filters.get("search")
    search = search.casefold() if isinstance(search, str) else None

    def predicate(row: dict[str, Any]) -> bool:
        for name in ("username", "idnumber", "auth", "suspended", "tenantid"):
            if name in filters and row[name] != filters[name]:
                return False
        if email is not None and row["email"].casefold() != email:
            return False
        if "modifiedsince" in filters and row["timemodified"] < filters["modifiedsince"]:
            return False
        if search is not None:
            haystack = " ".join((row["firstname"], row["lastname"], row["username"], row["email"])).casefold()
            if search not in haystack:
                return False
        return True

    return predicate


def _hash(password: str) -> str:
    return hashlib.sha256(password.encode("utf-8")).hexdigest()
