"""Users: create, read, list, partial update, soft delete; username and email unique case-insensitively."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation, casefold_key, exact_key
from ..errors import forbidden, not_found
from ..field_order import FieldOrder, FieldOrders
from ..policy import Capability
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .customfields import CustomFields
from .jobs import Jobs
from .paging import listing, sort_key
from .readonly import readonly_changes
from .store import Store
from .tenants import Tenants

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
DERIVED = ("job_assignments",)  # User properties computed on the way out, not stored
USER_READONLY_FIELDS = ("id", "firstaccess", "lastaccess", "timecreated", "timemodified")
USER_SORTS = ("username", "firstname", "lastname", "email", "idnumber", "timecreated", "timemodified", "lastaccess")


def users_table(order: FieldOrder) -> Table:
    return Table(
        "users",
        unique=[
            Unique("username", casefold_key("username")),
            Unique("email", casefold_key("email")),
            Unique("idnumber", exact_key("idnumber")),
        ],
        orders={name: sort_key(name) for name in USER_SORTS},
        fields=(*order.columns(DERIVED), "siteadmin"),
    )


class Leaver(Protocol):
    """What refers to users and lets go of one when they are deleted (jobs, enrolments, tokens, ...)."""

    def forget_user(self, user_id: int) -> None: ...


class Users:
    """A deleted user leaves the live table for `deleted_users`; `leavers` then forget them, in order,
    so every later read naming them is 404 (docs/titus.md, "Choices made where the design is silent")."""

    def __init__(self, store: Store, orders: FieldOrders, tenants: Tenants, fields: CustomFields, jobs: Jobs,
                 leavers: Sequence[Leaver], viewing: Capability) -> None:
        self.store = store
        self.order = orders.of("User")
        self.users = store.tables.users
        self.deleted_users = store.tables.deleted_users
        self.tenants = tenants
        self.fields = fields
        self.jobs = jobs
        self.leavers = tuple(leavers)
        self.viewing = viewing  # what a user out of the token's reach is refused naming, whatever the operation

    def seed(self, records: list[Row], seeded_at: int) -> None:
        for user in records:
            row = {**USER_DEFAULTS, **user}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            row["siteadmin"] = bool(row.get("siteadmin", False))
            self.users.insert(row)

    def get(self, user_id: int) -> Row | None:
        """A live user's stored row, None when missing or deleted (for code outside the API, such as
        tests/test_startup.py reading what a custom seed made)."""
        return self.users.get(user_id)

    def view_user(self, row: Row) -> dict[str, Any]:
        return self.order.view(row, customfields=[dict(field) for field in row["customfields"]],
                               job_assignments=self.jobs.summaries_of(row["id"]))

    def visible_user(self, caller: Caller, user_id: int) -> Row:
        """A live user the token may see: 404 if missing or deleted, 403 (naming `viewing`) if in another tenant."""
        row = self.users.get(user_id)
        if row is None:
            raise not_found("user")
        if not caller.sees(row["tenantid"]):
            raise forbidden(self.viewing)
        return row

    def get_user(self, caller: Caller, user_id: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_user(self.visible_user(caller, user_id))

    def list_users(self, caller: Caller, *, page: int = 1, perpage: int = 100, sort: str = "id",
                   order: str = "asc", filters: dict[str, Any] | None = None) -> dict[str, Any]:
        filters = {k: v for k, v in (filters or {}).items() if v is not None}
        if caller.bound_to_tenant:
            filters["tenantid"] = caller.tenantid
        with self.store.lock:
            return listing(self.users, "users", self.view_user, _user_filter(filters) if filters else None,
                           page=page, perpage=perpage, sort=sort, order=order)

    def create_user(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            data = dict(data)
            password = data.pop("password", None)
            data.pop("createpassword", None)
            if caller.bound_to_tenant:
                data["tenantid"] = caller.tenantid
            self.tenants.check_tenant(data.get("tenantid"))
            now = self.store.now()
            row = {**USER_DEFAULTS, **data, "timecreated": now, "timemodified": now, "siteadmin": False}
            row["customfields"] = self.fields.merge_user_fields([], data.get("customfields", []), None)
            row["password_hash"] = _hash(password) if password else None
            try:
                self.users.insert(row)
            except UniqueViolation as exc:
                raise _conflict(exc, row) from None
            return self.view_user(row)

    def update_user(self, caller: Caller, user_id: int, data: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            row = self.visible_user(caller, user_id)
            changes = dict(data)
            if "email" in changes:
                if str(changes["email"]).casefold() != row["email"].casefold():
                    raise MockError(ErrorKind.BAD_REQUEST, "Use /user_email to change a user's email address",
                                    code="useuseremail")
                changes.pop("email")
            readonly_changes(row, changes, USER_READONLY_FIELDS)
            if "tenantid" in changes:
                if caller.bound_to_tenant and changes["tenantid"] != caller.tenantid:
                    raise caller.refusal()
                self.tenants.check_tenant(changes["tenantid"])
            if "customfields" in changes:
                changes["customfields"] = self.fields.merge_user_fields(row["customfields"], changes["customfields"],
                                                                        user_id)
            password = changes.pop("password", None)
            if password:
                changes["password_hash"] = _hash(password)
            changes["timemodified"] = self.store.now()
            try:
                row = self.users.update(user_id, changes)
            except UniqueViolation as exc:
                raise _conflict(exc, {**row, **changes}) from None
            return self.view_user(row)

    def update_users(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        """PUT /users: each item (which carries its `id`) answered as PUT /user/{id} would answer it."""
        return run_bulk(self.store.lock, items,
                        lambda item: (200, self.update_user(caller, item["id"], {k: v for k, v in item.items()
                                                                                if k != "id"})),
                        [self.users], atomic=atomic)

    def delete_user(self, caller: Caller, user_id: int) -> None:
        with self.store.lock:
            row = self.visible_user(caller, user_id)
            if row["siteadmin"]:
                raise MockError(ErrorKind.FORBIDDEN, "You can not delete the admin user", code="useradminodelete")
            if row["id"] == caller.userid:
                raise MockError(ErrorKind.FORBIDDEN, "You can not delete yourself", code="usernotdeletederror")
            self.users.delete(user_id)
            for leaver in self.leavers:
                leaver.forget_user(user_id)
            self.deleted_users.insert({**row, "deleted": True, "timemodified": self.store.now()})


def _conflict(exc: UniqueViolation, row: Row) -> MockError:
    if exc.index == "username":
        return MockError(ErrorKind.CONFLICT, f"Username already exists: {row['username']}", code="usernameexists")
    if exc.index == "email":
        return MockError(ErrorKind.CONFLICT, "This email address is already registered.", code="emailexists")
    return MockError(ErrorKind.CONFLICT, f"ID number is already used for another user ({row.get('idnumber')})",
                     code="useridnumberexists")


def _user_filter(filters: dict[str, Any]) -> Callable[[Row], bool]:
    email = filters.get("email")
    email = email.casefold() if isinstance(email, str) else None
    search = filters.get("search")
    search = search.casefold() if isinstance(search, str) else None

    def predicate(row: Row) -> bool:
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
