"""Litmos state and rules: users and the API keys that act as them. No HTTP in here."""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import datetime, timezone
from typing import Any

from ...core.clock import Clock
from ...core.errors import ErrorKind, MockError
from ...core.ids import IdSource
from ...core.ratelimit import Limit, RateLimiter
from ...core.store import Row, Table, Unique, casefold_key, exact_key
from ..base import Backend

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
ORIGINAL_ID_BASE = 10152000
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


class LitmosBackend(Backend):
    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int, limit: Limit) -> None:
        super().__init__(clock, seed)
        # Separate streams, so reading users (new LoginKeys) never shifts the ids of new users.
        self.ids = IdSource(seed, "litmos:ids")
        self.login_keys = IdSource(seed, "litmos:loginkeys")
        self.rate_limiter = RateLimiter(limit, clock)
        self.users = self.add_table(Table(
            "users",
            unique=[Unique("Id", exact_key("Id")), Unique("UserName", casefold_key("UserName"))],
            orders={name: _sort_key(name) for name in (*SORTS, "OriginalId")},
        ))
        self.api_keys = self.add_table(Table("api_keys", unique=[Unique("Key", exact_key("Key"))]))
        self._load(fixtures)

    # -- seed ----------------------------------------------------------------------------------
    def _load(self, fixtures: dict[str, Any]) -> None:
        managers: list[tuple[Row, str]] = []
        for seed_user in fixtures.get("users", []):
            record = copy.deepcopy(seed_user)
            manager = record.pop("ManagerUserName", None)
            row = self._new_row({**USER_DEFAULTS, **record})
            self.users.insert(row)
            if manager:
                managers.append((row, manager))
        for row, manager in managers:
            row["ManagerId"] = self.users.find("UserName", manager.casefold())["Id"]
        for key in fixtures.get("api_keys", []):
            owner = self.users.find("UserName", key["UserName"].casefold())
            self.api_keys.insert({"Key": key["Key"], "UserId": owner["Id"], "Note": key.get("Note", "")})

    def _new_row(self, values: dict[str, Any]) -> Row:
        """A row with a fresh Id token and the next OriginalId (both from the seeded stream)."""
        token = self.ids.url_token()
        while self.users.find("Id", token) is not None:
            token = self.ids.url_token()
        last = next(self.users.rows("OriginalId", reverse=True), None)
        original = max(ORIGINAL_ID_BASE, last["OriginalId"] if last else 0) + self.ids.randint(1, 97)
        values.setdefault("password_hash", None)
        return {**values, "Id": token, "OriginalId": original}

    def import_state(self, state: dict[str, Any]) -> None:
        """Refuse rows the views could not render, before anything is replaced."""
        tables = state.get("tables") if isinstance(state, dict) else None
        if isinstance(tables, dict):
            needed = {"users": STORED, "api_keys": ("Key", "UserId")}
            for name, fields in needed.items():
                table = tables.get(name, {"rows": []})
                rows = table.get("rows", []) if isinstance(table, dict) else None
                if not isinstance(rows, list) or not all(isinstance(r, dict) and all(f in r for f in fields) for r in rows):
                    raise ValueError(f"every {name} row needs {', '.join(fields)}")
        super().import_state(state)

    # -- auth ----------------------------------------------------------------------------------
    def key_owner(self, key: str) -> Row | None:
        """The active user an API key acts as, or None (unknown key, deleted or inactive user)."""
        with self.lock:
            record = self.api_keys.find("Key", key)
            if record is None:
                return None
            owner = self.users.find("Id", record["UserId"])
            return owner if owner is not None and owner["Active"] else None

    # -- views ---------------------------------------------------------------------------------
    def summary(self, row: Row) -> dict[str, Any]:
        return {name: row[name] for name in SUMMARY_ORDER}

    def full(self, row: Row, login_base: str) -> dict[str, Any]:
        """Every member in wire order; LoginKey is a new one-time GUID URL on each call."""
        manager = self.users.find("Id", row["ManagerId"]) if row["ManagerId"] != NO_MANAGER else None
        computed = {
            "FullName": f"{row['FirstName']} {row['LastName']}",
            "LoginKey": f"{login_base}login.aspx?loginkey={self.login_keys.uuid4()}",
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

    def list_users(self, *, start: int, limit: int, sort: str, descending: bool, search: str | None,
                   show_inactive: bool) -> list[dict[str, Any]]:
        with self.lock:
            if search or not show_inactive:
                needle = (search or "").casefold()

                def keep(row: Row) -> bool:
                    if not show_inactive and not row["Active"]:
                        return False
                    return not needle or any(needle in row[f].casefold()
                                             for f in ("UserName", "FirstName", "LastName", "Email"))

                rows = self.users.select(keep, order=sort, reverse=descending)[start:start + limit]
            else:
                rows = self.users.page(start, limit, order=sort, reverse=descending).items
            return [self.summary(row) for row in rows]

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
