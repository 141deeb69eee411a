"""Users: the username/email/culture rules and the user calls (docs/litmos.md, "Choices made").

The users table is read by most other parts (a course result names its user, a team its
members); deleting a user reaches every part that holds rows naming it (`ForgetsUsers`).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from ....core.errors import ErrorKind, MockError
from ....core.fixtures import FixtureError
from ....core.store import Row, Table, Unique, casefold_key, exact_key
from ..dates import user_timestamp
from .search import USER_FIELDS, matches
from .sso import SingleSignOn
from .state import Shared, sort_key

# What a user has when neither the seed nor a request says otherwise.
USER_DEFAULTS: dict[str, Any] = {
    "Email": "", "AccessLevel": "Learner", "DisableMessages": False, "Active": True, "Skype": "",
    "PhoneWork": "", "PhoneMobile": "", "LastLogin": "", "IsCustomUsername": False,
    "SkipFirstLogin": False, "TimeZone": "UTC", "SalesforceId": None, "Street1": "", "Street2": "",
    "City": "", "State": "", "PostalCode": "", "Country": "", "CompanyName": "", "JobTitle": "",
    **{f"CustomField{n}": "" for n in range(1, 11)},
    "Culture": "en-US", "SalesforceContactId": None, "SalesforceAccountId": None, "Points": 0,
    "Brand": "Default", "ManagerId": "0", "EnableTextNotification": False, "Website": "",
    "Twitter": "", "ExpirationDate": "",
}
# The columns of a users row (plus the password's hash, kept apart from the members shown).
STORED = ("id", "Id", "UserName", "FirstName", "LastName", "OriginalId", "CreatedDate", *USER_DEFAULTS)
# Accepted in a request body and ignored (read-only members of the spec's UserCreate and UserUpdate).
IGNORED_ON_WRITE = frozenset({"Id", "FullName", "LastLogin", "LoginKey", "OriginalId", "CreatedDate", "Points",
                              "Brand", "ManagerName", "ExpirationDate"})
WRITABLE = frozenset({"UserName", "FirstName", "LastName", "Password", *USER_DEFAULTS}) - IGNORED_ON_WRITE
SORTS = ("FirstName", "LastName", "UserName", "Active", "Email")
NO_MANAGER = "0"
CULTURES = frozenset({
    "en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-IE", "en-IN", "en-ZA", "fr-FR", "fr-CA",
    "de-DE", "es-ES", "es-MX", "it-IT", "nl-NL", "pt-BR", "pt-PT", "sv-SE", "da-DK", "nb-NO",
    "fi-FI", "pl-PL", "cs-CZ", "hu-HU", "ro-RO", "ru-RU", "tr-TR", "ja-JP", "ko-KR", "zh-CN",
    "zh-TW", "ar-SA", "he-IL", "th-TH", "id-ID", "vi-VN", "el-GR", "uk-UA",
})
# The 409/404/403 texts of docs/litmos.md, "What is served now" (POST, PUT and DELETE /users).
MSG_DUPLICATE = "UserName already exists"
MSG_SHORT = "Username must be greater than 3 characters."
MSG_SPECIAL = "Invalid special character's in the username."
MSG_EMAIL = "Invalid email address."
MSG_CULTURE = "Culture is invalid"
MSG_MANAGER = "The manager Id in the xml/json is not valid."
MSG_ID_MISMATCH = "Please check the userid in the xml/json and the userid in the URL. They must match."
MSG_NO_SUCH_ID = "No user with this id exists in your organization"
MSG_OWNER = "The Account Owner cannot be deleted, deactivated or given another access level."
OWNER = "Account_Owner"

# Usernames (and emails) use only the characters the spec's UserName pattern allows.
CUSTOM_USERNAME = re.compile(r"[A-Za-z0-9_.@+'-]+")
EMAIL = re.compile(r"[A-Za-z0-9_.+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def users_table() -> Table:
    return Table("users", unique=[Unique("Id", exact_key("Id")), Unique("UserName", casefold_key("UserName"))],
                 orders={name: sort_key(name) for name in (*SORTS, "OriginalId")}, fields=STORED)


def username_problem(username: str, is_custom: bool) -> str | None:
    """The 409 text for a username that breaks a rule, or None."""
    if len(username) < 4:
        return MSG_SHORT
    if is_custom:
        return None if CUSTOM_USERNAME.fullmatch(username) else MSG_SPECIAL
    return None if EMAIL.fullmatch(username) else MSG_EMAIL


def email_problem(email: str) -> str | None:
    return None if email == "" or EMAIL.fullmatch(email) else MSG_EMAIL


def culture_problem(culture: str) -> str | None:
    return None if culture in CULTURES else MSG_CULTURE


def user_row(users: Table, user_id: str) -> Row:
    """The user with this Id; 404 `User - {id} was not found` otherwise."""
    row = users.find("Id", user_id)
    if row is None:
        raise MockError(ErrorKind.NOT_FOUND, f"User - {user_id} was not found")
    return row


def user_record(row: Row) -> dict[str, Any]:
    """A copy of a user's stored members, never its password's hash: what a summary shows is picked
    from it by the answer's schema."""
    return {name: value for name, value in row.items() if name != "password_hash"}


def _conflict(message: str) -> MockError:
    return MockError(ErrorKind.CONFLICT, message)


class ForgetsUsers(Protocol):
    """A part holding rows that name users: it drops them when a user is deleted."""

    def forget_user(self, user_id: str) -> None: ...


class Users:
    """The user calls. Every call takes the lock and raises before writing, so a refused request
    changes nothing; a deletion takes the user's rows in `dependents` with it, in the same step."""

    def __init__(self, shared: Shared, table: Table, sso: SingleSignOn, dependents: Sequence[ForgetsUsers]) -> None:
        self._shared = shared
        self.table = table
        self._sso = sso
        self._dependents = tuple(dependents)

    # -- seed ----------------------------------------------------------------------------------
    def load(self, seed_users: list[dict[str, Any]]) -> None:
        """The seeded users in file order (their ids come in that order), then their managers."""
        managers: list[tuple[Row, str]] = []
        for seed_user in seed_users:
            record = copy.deepcopy(seed_user)
            manager = record.pop("ManagerUserName", None)
            row = self.new_row({**USER_DEFAULTS, **record})
            self.table.insert(row)
            if manager:
                managers.append((row, manager))
        for row, manager in managers:
            row["ManagerId"] = self.table.find("UserName", manager.casefold())["Id"]

    def new_row(self, values: dict[str, Any]) -> Row:
        """A user row with new ids (not inserted yet)."""
        token, original = self._shared.new_ids(self.table)
        values.setdefault("password_hash", None)
        return {**values, "Id": token, "OriginalId": original}

    # -- views ---------------------------------------------------------------------------------
    def full(self, row: Row, login_base: str) -> dict[str, Any]:
        """Every member, computed ones included; LoginKey is a new one-time GUID URL on each call."""
        manager = self.table.find("Id", row["ManagerId"]) if row["ManagerId"] != NO_MANAGER else None
        return {
            **user_record(row),
            "FullName": f"{row['FirstName']} {row['LastName']}",
            "LoginKey": self._sso.login_url(row["Id"], login_base),
            "Password": "",
            "ManagerName": f"{manager['FirstName']} {manager['LastName']} {manager['UserName']}" if manager else "",
        }

    # -- reads ---------------------------------------------------------------------------------
    def find(self, key: str) -> Row | None:
        """By Id, else by UserName (case-insensitive), as GET /users/{id or username} does."""
        return self.table.find("Id", key) or self.table.find("UserName", key.casefold())

    def get_user(self, key: str, login_base: str) -> dict[str, Any]:
        with self._shared.lock:
            row = self.find(key)
            if row is None:
                raise MockError(ErrorKind.NOT_FOUND, f"User - {key} was not found")
            return self.full(row, login_base)

    def _matching(self, *, sort: str, descending: bool, search: str | None, show_inactive: bool,
                  created_since: str | None = None) -> list[Row] | None:
        """The users a list call selects, in order; None when no filter applies (page the view)."""
        if not search and show_inactive and created_since is None:
            return None
        found = matches(search, USER_FIELDS)

        def keep(row: Row) -> bool:
            if not show_inactive and not row["Active"]:
                return False
            if created_since is not None and row["CreatedDate"] < created_since:
                return False
            return found(row)

        return self.table.select(keep, order=sort, reverse=descending)

    def _user_page(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                   show_inactive: bool, created_since: str | None = None) -> tuple[list[Row], int]:
        """One page of users and how many the filter selects in all."""
        rows = self._matching(sort=sort, descending=descending, search=search, show_inactive=show_inactive,
                              created_since=created_since)
        if rows is None:
            page = self.table.page(start, limit, order=sort, reverse=descending)
            return page.items, page.total
        return rows[start:start + limit], len(rows)

    def list_users(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                   show_inactive: bool) -> list[dict[str, Any]]:
        with self._shared.lock:
            rows, _ = self._user_page(start=start, limit=limit, sort=sort, descending=descending, search=search,
                                      show_inactive=show_inactive)
            return [user_record(row) for row in rows]

    def paginated_users(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                        show_inactive: bool) -> dict[str, Any]:
        """/users/paginated: the same page as /users, with the paging numbers around it."""
        with self._shared.lock:
            rows, total = self._user_page(start=start, limit=limit, sort=sort, descending=descending,
                                          search=search, show_inactive=show_inactive)
            return {
                "Pagination": {"BatchParam": "Limit", "BatchSize": limit, "Start": start, "TotalCount": total},
                "Items": [user_record(row) for row in rows],
            }

    def detailed_users(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                       created_since: str | None, login_base: str) -> list[dict[str, Any]]:
        """/users/details: full records, optionally only users created at or after `since`."""
        with self._shared.lock:
            rows, _ = self._user_page(start=start, limit=limit, sort=sort, descending=descending, search=search,
                                      show_inactive=True, created_since=created_since)
            return [self.full(row, login_base) for row in rows]

    # -- writes --------------------------------------------------------------------------------
    def create_user(self, data: dict[str, Any], login_base: str, *, skip_first_login: bool = False,
                    echo_skip_first_login: bool = True) -> dict[str, Any]:
        with self._shared.lock:
            values = self.writable(data)
            values.setdefault("IsCustomUsername", False)
            username = values.get("UserName") or ""
            if not values.get("Email") and not values["IsCustomUsername"]:
                values["Email"] = username
            if skip_first_login:
                values["SkipFirstLogin"] = True
            candidate = {**USER_DEFAULTS, **values, "UserName": username}
            self.check(candidate, set(values) | {"UserName"}, current=None)
            row = self.new_row({**candidate, "CreatedDate": user_timestamp(self._shared.clock.now())})
            self.table.insert(row)
            view = self.full(row, login_base)
            if not echo_skip_first_login:
                view["SkipFirstLogin"] = False  # `--quirks` (docs/litmos.md): false whatever was sent
            return view

    def update_user(self, user_id: str, data: dict[str, Any]) -> None:
        with self._shared.lock:
            if data.get("Id") != user_id:
                raise MockError(ErrorKind.NOT_FOUND, MSG_ID_MISMATCH)
            row = self.table.find("Id", user_id)
            if row is None:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_SUCH_ID)
            changes = self.writable(data)
            candidate = {**row, **changes}
            if row["AccessLevel"] == OWNER and (not candidate["Active"] or candidate["AccessLevel"] != OWNER):
                raise MockError(ErrorKind.FORBIDDEN, MSG_OWNER)
            self.check(candidate, set(changes), current=row)
            self.table.update(row["id"], changes)

    def delete_user(self, user_id: str) -> None:
        """Hard delete: users it managed get no manager, and every row naming it goes (`dependents`)."""
        with self._shared.lock:
            row = self.table.find("Id", user_id)
            if row is None:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_SUCH_ID)
            if row["AccessLevel"] == OWNER:
                raise MockError(ErrorKind.FORBIDDEN, MSG_OWNER)
            for report in self.table.select(lambda r: r["ManagerId"] == user_id):
                self.table.update(report["id"], {"ManagerId": NO_MANAGER})
            self.table.delete(row["id"])
            for dependent in self._dependents:
                dependent.forget_user(user_id)

    # -- rules ---------------------------------------------------------------------------------
    @staticmethod
    def writable(data: dict[str, Any]) -> dict[str, Any]:
        """The members a body may set, with empty TimeZone, Culture and ManagerId as their defaults
        and a password kept only as its hash."""
        values = {k: v for k, v in data.items() if k in WRITABLE}
        password = values.pop("Password", None)
        if password:
            values["password_hash"] = hashlib.sha256(password.encode("utf-8")).hexdigest()
        if values.get("TimeZone") == "":
            values["TimeZone"] = USER_DEFAULTS["TimeZone"]
        if values.get("Culture") == "":
            values["Culture"] = USER_DEFAULTS["Culture"]
        if values.get("ManagerId") == "":
            values["ManagerId"] = NO_MANAGER
        return values

    def check(self, candidate: Row, changed: set[str], current: Row | None) -> None:
        """Raise the first broken rule among the changed members; nothing is written before."""
        if changed & {"UserName", "IsCustomUsername"}:
            problem = username_problem(candidate["UserName"], candidate["IsCustomUsername"])
            if problem:
                raise _conflict(problem)
        if "UserName" in changed:
            holder = self.table.find("UserName", candidate["UserName"].casefold())
            if holder is not None and holder is not current:
                raise _conflict(MSG_DUPLICATE)
        if "Email" in changed and (problem := email_problem(candidate["Email"])):
            raise _conflict(problem)
        if "Culture" in changed and (problem := culture_problem(candidate["Culture"])):
            raise _conflict(problem)
        if "ManagerId" in changed and candidate["ManagerId"] != NO_MANAGER:
            manager = self.table.find("Id", candidate["ManagerId"])
            if manager is None or manager is current:
                raise MockError(ErrorKind.NOT_FOUND, MSG_MANAGER)


def check_seed_users(path: Path, data: dict[str, Any]) -> dict[str, int]:
    """Seeded usernames unique and valid, emails and cultures valid, managers other seeded users:
    else FixtureError. Returns each username (case-folded) with its index, for the other checks."""
    seen: dict[str, int] = {}
    for index, user in enumerate(data["users"]):
        label = f"users[{index}] ({user['UserName']})"
        folded = user["UserName"].casefold()
        if folded in seen:
            raise FixtureError(path, label, "UserName", f"duplicates users[{seen[folded]}]")
        seen[folded] = index
        problem = username_problem(user["UserName"], user.get("IsCustomUsername", False))
        if problem:
            raise FixtureError(path, label, "UserName", problem)
        for field, check in (("Email", email_problem), ("Culture", culture_problem)):
            if field in user and (problem := check(user[field])):
                raise FixtureError(path, label, field, problem)
    for index, user in enumerate(data["users"]):
        manager = user.get("ManagerUserName")
        if manager is not None and (manager.casefold() not in seen or manager.casefold() == user["UserName"].casefold()):
            raise FixtureError(path, f"users[{index}] ({user['UserName']})", "ManagerUserName",
                               f"{manager!r} is not another seeded user")
    return seen
