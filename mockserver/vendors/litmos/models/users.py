"""Users: the contract's member order, the username/email/culture rules, and the user calls.

`UsersMixin` is one part of `LitmosBackend` (backend.py); it reads and writes `self.users` under
`self.lock` and never touches HTTP.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from ....core.clock import Clock
from ....core.errors import ErrorKind, MockError
from ....core.ids import IdSource
from ....core.store import Row, Table
from .search import USER_FIELDS, matches

# Element order of a full user on the wire (litmos.md §2.1): Culture sits between
# CustomField3 and CustomField4.
USER_ORDER = (
    "Id", "UserName", "FirstName", "LastName", "FullName", "Email", "AccessLevel", "DisableMessages",
    "Active", "Skype", "PhoneWork", "PhoneMobile", "LastLogin", "LoginKey", "IsCustomUsername",
    "Password", "SkipFirstLogin", "TimeZone", "SalesforceId", "OriginalId", "Street1", "Street2",
    "City", "State", "PostalCode", "Country", "CompanyName", "JobTitle", "CustomField1",
    "CustomField2", "CustomField3", "Culture", "CustomField4", "CustomField5", "CustomField6",
    "CustomField7", "CustomField8", "CustomField9", "CustomField10", "SalesforceContactId",
    "SalesforceAccountId", "CreatedDate", "Points", "Brand", "ManagerId", "ManagerName",
    "EnableTextNotification", "Website", "Twitter", "ExpirationDate",
)
SUMMARY_ORDER = ("Id", "UserName", "FirstName", "LastName", "Active", "Email", "AccessLevel", "Brand")
# Computed on every read, never stored.
COMPUTED = ("FullName", "LoginKey", "Password", "ManagerName")
STORED = ("id", *(name for name in USER_ORDER if name not in COMPUTED))
# Accepted in a request body and ignored (read-only members of the contract).
IGNORED_ON_WRITE = ("Id", "FullName", "LastLogin", "LoginKey", "OriginalId", "CreatedDate", "Points",
                    "Brand", "ManagerName", "ExpirationDate")
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
SORTS = ("FirstName", "LastName", "UserName", "Active", "Email")
NO_MANAGER = "0"
CULTURES = frozenset({
    "en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-IE", "en-IN", "en-ZA", "fr-FR", "fr-CA",
    "de-DE", "es-ES", "es-MX", "it-IT", "nl-NL", "pt-BR", "pt-PT", "sv-SE", "da-DK", "nb-NO",
    "fi-FI", "pl-PL", "cs-CZ", "hu-HU", "ro-RO", "ru-RU", "tr-TR", "ja-JP", "ko-KR", "zh-CN",
    "zh-TW", "ar-SA", "he-IL", "th-TH", "id-ID", "vi-VN", "el-GR", "uk-UA",
})
# Messages: litmos.md §1.5 (SAP's documented texts) and the captured 409.
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


def timestamp(seconds: float) -> str:
    """The user date style: UTC, whole seconds, `Z` (litmos.md §1.8)."""
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def _sort_key(name: str):
    def key(row: Row) -> Any:
        value = row[name]
        return value.casefold() if isinstance(value, str) else value

    return key


def _conflict(message: str) -> MockError:
    return MockError(ErrorKind.CONFLICT, message)


class UsersMixin:
    """The users calls; `LitmosBackend` provides the tables, the lock, the clock and `_new_row`."""

    users: Table
    lock: threading.RLock
    clock: Clock
    login_keys: IdSource
    issue_login_key: Callable[[str], str]

    # -- views ---------------------------------------------------------------------------------
    def summary(self, row: Row) -> dict[str, Any]:
        return {name: row[name] for name in SUMMARY_ORDER}

    def full(self, row: Row, login_base: str) -> dict[str, Any]:
        """Every member in wire order; LoginKey is a new one-time GUID URL on each call."""
        manager = self.users.find("Id", row["ManagerId"]) if row["ManagerId"] != NO_MANAGER else None
        computed = {
            "FullName": f"{row['FirstName']} {row['LastName']}",
            "LoginKey": f"{login_base}login.aspx?loginkey={self.issue_login_key(row['Id'])}",
            "Password": "",
            "ManagerName": f"{manager['FirstName']} {manager['LastName']} {manager['UserName']}" if manager else "",
        }
        return {name: computed[name] if name in computed else row[name] for name in USER_ORDER}

    # -- reads ---------------------------------------------------------------------------------
    def find_user(self, key: str) -> Row | None:
        """By Id, else by UserName (case-insensitive), as GET /users/{id or username} does."""
        return self.users.find("Id", key) or self.users.find("UserName", key.casefold())

    def get_user(self, key: str, login_base: str) -> dict[str, Any]:
        with self.lock:
            row = self.find_user(key)
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

        return self.users.select(keep, order=sort, reverse=descending)

    def _user_page(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                   show_inactive: bool, created_since: str | None = None) -> tuple[list[Row], int]:
        """One page of users and how many the filter selects in all."""
        rows = self._matching(sort=sort, descending=descending, search=search, show_inactive=show_inactive,
                              created_since=created_since)
        if rows is None:
            page = self.users.page(start, limit, order=sort, reverse=descending)
            return page.items, page.total
        return rows[start:start + limit], len(rows)

    def list_users(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                   show_inactive: bool) -> list[dict[str, Any]]:
        with self.lock:
            rows, _ = self._user_page(start=start, limit=limit, sort=sort, descending=descending, search=search,
                                      show_inactive=show_inactive)
            return [self.summary(row) for row in rows]

    def paginated_users(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                        show_inactive: bool) -> dict[str, Any]:
        """/users/paginated: the same page as /users, with the paging numbers around it."""
        with self.lock:
            rows, total = self._user_page(start=start, limit=limit, sort=sort, descending=descending,
                                          search=search, show_inactive=show_inactive)
            return {
                "Pagination": {"BatchParam": "Limit", "BatchSize": limit, "Start": start, "TotalCount": total},
                "Items": [self.summary(row) for row in rows],
            }

    def detailed_users(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                       created_since: str | None, login_base: str) -> list[dict[str, Any]]:
        """/users/details: full records, optionally only users created at or after `since`."""
        with self.lock:
            rows, _ = self._user_page(start=start, limit=limit, sort=sort, descending=descending, search=search,
                                      show_inactive=True, created_since=created_since)
            return [self.full(row, login_base) for row in rows]

    # -- writes --------------------------------------------------------------------------------
    def create_user(self, data: dict[str, Any], login_base: str, *, skip_first_login: bool = False,
                    echo_skip_first_login: bool = True) -> dict[str, Any]:
        with self.lock:
            values = self._writable(data)
            values.setdefault("IsCustomUsername", False)
            username = values.get("UserName") or ""
            if not values.get("Email") and not values["IsCustomUsername"]:
                values["Email"] = username
            if skip_first_login:
                values["SkipFirstLogin"] = True
            candidate = {**USER_DEFAULTS, **values, "UserName": username}
            self._check(candidate, set(values) | {"UserName"}, current=None)
            row = self._new_row({**candidate, "CreatedDate": timestamp(self.clock.now())})
            self.users.insert(row)
            view = self.full(row, login_base)
            if not echo_skip_first_login:
                view["SkipFirstLogin"] = False  # the captured server answered false whatever was sent
            return view

    def update_user(self, user_id: str, data: dict[str, Any]) -> None:
        with self.lock:
            if data.get("Id") != user_id:
                raise MockError(ErrorKind.NOT_FOUND, MSG_ID_MISMATCH)
            row = self.users.find("Id", user_id)
            if row is None:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_SUCH_ID)
            changes = self._writable(data)
            candidate = {**row, **changes}
            if row["AccessLevel"] == OWNER and (not candidate["Active"] or candidate["AccessLevel"] != OWNER):
                raise MockError(ErrorKind.FORBIDDEN, MSG_OWNER)
            self._check(candidate, set(changes), current=row)
            self.users.update(row["id"], changes)

    def delete_user(self, user_id: str) -> None:
        with self.lock:
            row = self.users.find("Id", user_id)
            if row is None:
                raise MockError(ErrorKind.NOT_FOUND, MSG_NO_SUCH_ID)
            if row["AccessLevel"] == OWNER:
                raise MockError(ErrorKind.FORBIDDEN, MSG_OWNER)
            for report in self.users.select(lambda r: r["ManagerId"] == user_id):
                self.users.update(report["id"], {"ManagerId": NO_MANAGER})
            self.users.delete(row["id"])

    # -- rules ---------------------------------------------------------------------------------
    @staticmethod
    def _writable(data: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in data.items() if k not in IGNORED_ON_WRITE and k in USER_ORDER}
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

    def _check(self, candidate: Row, changed: set[str], current: Row | None) -> None:
        """Raise the first broken rule among the changed members; nothing is written before."""
        if changed & {"UserName", "IsCustomUsername"}:
            problem = username_problem(candidate["UserName"], candidate["IsCustomUsername"])
            if problem:
                raise _conflict(problem)
        if "UserName" in changed:
            holder = self.users.find("UserName", candidate["UserName"].casefold())
            if holder is not None and holder is not current:
                raise _conflict(MSG_DUPLICATE)
        if "Email" in changed and (problem := email_problem(candidate["Email"])):
            raise _conflict(problem)
        if "Culture" in changed and (problem := culture_problem(candidate["Culture"])):
            raise _conflict(problem)
        if "ManagerId" in changed and candidate["ManagerId"] != NO_MANAGER:
            manager = self.users.find("Id", candidate["ManagerId"])
            if manager is None or manager is current:
                raise MockError(ErrorKind.NOT_FOUND, MSG_MANAGER)
