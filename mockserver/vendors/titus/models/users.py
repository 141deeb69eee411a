"""Users: create, read, list, partial update, soft delete; uniqueness per design §B2."""

from __future__ import annotations

import hashlib
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique, UniqueViolation, casefold_key, exact_key
from ..errors import forbidden, not_found
from .bulk import ItemResult, run_bulk
from .caller import Principal, require
from .paging import listing, sort_key
from .readonly import readonly_changes

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


def users_table() -> Table:
    return Table(
        "users",
        unique=[
            Unique("username", casefold_key("username")),
            Unique("email", casefold_key("email")),
            Unique("idnumber", exact_key("idnumber")),
        ],
        orders={name: sort_key(name) for name in USER_SORTS},
        fields=(*USER_PUBLIC_FIELDS, "siteadmin"),
    )


class UsersMixin:
    """User rules; relies on the backend's tables, clock and lock."""

    users: Table
    deleted_users: Table
    job_assignments: Table
    tenants: Table
    tokens: dict[str, dict[str, Any]]
    site: dict[str, Any]

    def seed_users(self, records: list[dict[str, Any]], seeded_at: int) -> None:
        for user in records:
            row = {**USER_DEFAULTS, **user}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            row["siteadmin"] = bool(row.get("siteadmin", False))
            self.users.insert(row)

    def view_user(self, row: dict[str, Any]) -> dict[str, Any]:
        view = {name: row[name] for name in USER_PUBLIC_FIELDS}  # scalars, except:
        view["customfields"] = [dict(field) for field in row["customfields"]]
        view["job_assignments"] = [
            {"id": ja["id"], "idnumber": ja["idnumber"], "fullname": ja.get("fullname", "")}
            for ja in self.job_assignments.rows()
            if ja["userid"] == row["id"]
        ]
        return view

    def visible_user(self, principal: Principal, user_id: int) -> dict[str, Any]:
        """A live user the token may see: 404 if missing or deleted, 403 if in another tenant."""
        row = self.users.get(user_id)
        if row is None:
            raise not_found("user")
        if not principal.sees_tenant(row["tenantid"]):
            raise forbidden("moodle/user:viewdetails")
        return row

    def get_user(self, principal: Principal, user_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            return self.view_user(self.visible_user(principal, user_id))

    def list_users(self, principal: Principal, *, page: int = 1, perpage: int = 100, sort: str = "id",
                   order: str = "asc", filters: dict[str, Any] | None = None) -> dict[str, Any]:
        filters = {k: v for k, v in (filters or {}).items() if v is not None}
        if principal.profile == "tenant":
            filters["tenantid"] = principal.tenantid
        with self.lock:  # type: ignore[attr-defined]
            return listing(self.users, "users", self.view_user, _user_filter(filters) if filters else None,
                           page=page, perpage=perpage, sort=sort, order=order)

    def create_user(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, "moodle/user:create")
        with self.lock:  # type: ignore[attr-defined]
            data = dict(data)
            password = data.pop("password", None)
            data.pop("createpassword", None)
            if principal.profile == "tenant":
                data["tenantid"] = principal.tenantid
            self.check_tenant(data.get("tenantid"))
            now = self.now()
            row = {**USER_DEFAULTS, **data, "timecreated": now, "timemodified": now, "siteadmin": False}
            row["customfields"] = self.merge_user_fields([], data.get("customfields", []), None)  # type: ignore[attr-defined]
            row["password_hash"] = _hash(password) if password else None
            try:
                self.users.insert(row)
            except UniqueViolation as exc:
                raise _conflict(exc, row) from None
            return self.view_user(row)

    def update_user(self, principal: Principal, user_id: int, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, "moodle/user:update")
        with self.lock:  # type: ignore[attr-defined]
            row = self.visible_user(principal, user_id)
            changes = dict(data)
            if "email" in changes:
                if str(changes["email"]).casefold() != row["email"].casefold():
                    raise MockError(ErrorKind.BAD_REQUEST, "Use /user_email to change a user's email address",
                                    code="useuseremail")
                changes.pop("email")
            readonly_changes(row, changes, USER_READONLY_FIELDS)
            if "tenantid" in changes:
                if principal.profile == "tenant" and changes["tenantid"] != principal.tenantid:
                    raise forbidden("moodle/user:update")
                self.check_tenant(changes["tenantid"])
            if "customfields" in changes:
                changes["customfields"] = self.merge_user_fields(  # type: ignore[attr-defined]
                    row["customfields"], changes["customfields"], user_id)
            password = changes.pop("password", None)
            if password:
                changes["password_hash"] = _hash(password)
            changes["timemodified"] = self.now()
            try:
                self.users.update(user_id, changes)
            except UniqueViolation as exc:
                raise _conflict(exc, {**row, **changes}) from None
            return self.view_user(row)

    def update_users(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        """PUT /users: each item (which carries its `id`) answered as PUT /user/{id} would answer it."""
        require(principal, "moodle/user:update")
        return run_bulk(self.lock, items,  # type: ignore[attr-defined]
                        lambda item: (200, self.update_user(principal, item["id"], {k: v for k, v in item.items()
                                                                                   if k != "id"})),
                        [self.users], atomic=atomic)

    def delete_user(self, principal: Principal, user_id: int) -> None:
        require(principal, "moodle/user:delete")
        with self.lock:  # type: ignore[attr-defined]
            row = self.visible_user(principal, user_id)
            if row["siteadmin"]:
                raise MockError(ErrorKind.FORBIDDEN, "You can not delete the admin user", code="useradminodelete")
            if row["id"] == principal.userid:
                raise MockError(ErrorKind.FORBIDDEN, "You can not delete yourself", code="usernotdeletederror")
            self.users.delete(user_id)
            self.forget_user(user_id)
            self.deleted_users.insert({**row, "deleted": True, "timemodified": self.now()})

    def forget_user(self, user_id: int) -> None:
        """Remove a deleted user from everything that refers to them (design §B2: later reads are 404)."""
        self.forget_user_jobs(user_id)  # type: ignore[attr-defined]
        self.forget_user_programs(user_id)  # type: ignore[attr-defined]
        for name in ("enrolments", "group_members", "cohort_members", "course_completions", "activity_completions"):
            table = self.tables.get(name)  # type: ignore[attr-defined]
            if table is None:
                continue
            for row in [r for r in table.rows() if r.get("userid") == user_id]:
                table.delete(row["id"])
        for token in [t for t, record in self.tokens.items() if record["userid"] == user_id]:
            del self.tokens[token]

    def check_tenant(self, tenantid: int | None) -> None:
        if tenantid is None:
            return
        if not self.site.get("multitenancy", False):
            raise MockError(ErrorKind.BAD_REQUEST, "Multi-tenancy is not enabled on this site", code="tenantsnotenabled")
        if tenantid not in self.tenants:
            raise MockError(ErrorKind.NOT_FOUND, f"Tenant with id {tenantid} not found", code="tenantnotfound")

    def now(self) -> int:
        return int(self.clock.now())  # type: ignore[attr-defined]


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
