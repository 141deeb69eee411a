"""Account-level changes with their own endpoints: suspension and the email address."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, UniqueViolation
from .caller import Caller
from .store import Store
from .users import Users


class Account:
    def __init__(self, store: Store, users: Users) -> None:
        self.store = store
        self.table = store.tables.users
        self.users = users

    def _user_by_reference(self, caller: Caller, reference: dict[str, Any]) -> Row:
        """One of userid / username / useridnumber names the user (the handler made sure of exactly one)."""
        if "userid" in reference:
            return self.users.visible_user(caller, reference["userid"])
        if "username" in reference:
            row = self.table.find("username", reference["username"].casefold())
        else:
            row = self.table.find("idnumber", reference["useridnumber"])
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "User not found", code="usernotfound")
        return self.users.visible_user(caller, row["id"])

    def suspend_user(self, caller: Caller, reference: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """201 when the user is now suspended, 200 when they already were; admins and oneself are refused."""
        with self.store.lock:
            row = self._user_by_reference(caller, reference)
            if row["siteadmin"] or row["id"] == caller.userid:
                raise MockError(ErrorKind.FORBIDDEN, "You can not suspend the admin user or yourself",
                                code="nopermissions", extra={"exception": "moodle_exception"})
            if row["suspended"]:
                return 200, {"userid": row["id"], "suspended": True}
            self.table.update(row["id"], {"suspended": True, "timemodified": self.store.now()})
            return 201, {"userid": row["id"], "suspended": True}

    def unsuspend_user(self, caller: Caller, user_id: int) -> None:
        with self.store.lock:
            row = self.users.visible_user(caller, user_id)
            if not row["suspended"]:
                raise MockError(ErrorKind.NOT_FOUND, "The user is not suspended", code="notsuspended")
            self.table.update(user_id, {"suspended": False, "timemodified": self.store.now()})

    def change_email(self, caller: Caller, user_id: int, email: str) -> dict[str, Any]:
        with self.store.lock:
            row = self.users.visible_user(caller, user_id)
            if row["email"] != email:
                try:
                    row = self.table.update(user_id, {"email": email, "timemodified": self.store.now()})
                except UniqueViolation:
                    raise MockError(ErrorKind.CONFLICT, "This email address is already registered.",
                                    code="emailexists") from None
            return {"id": row["id"], "email": row["email"]}
