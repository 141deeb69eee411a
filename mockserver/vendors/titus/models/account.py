"""Account-level changes with their own endpoints: suspension and the email address (design §B2)."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, UniqueViolation
from .caller import Principal, require


class AccountMixin:
    users: Table

    def _user_by_reference(self, principal: Principal, reference: dict[str, Any]) -> dict[str, Any]:
        """One of userid / username / useridnumber names the user (the handler made sure of exactly one)."""
        if "userid" in reference:
            return self.visible_user(principal, reference["userid"])  # type: ignore[attr-defined]
        if "username" in reference:
            row = self.users.find("username", reference["username"].casefold())
        else:
            row = self.users.find("idnumber", reference["useridnumber"])
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "User not found", code="usernotfound")
        return self.visible_user(principal, row["id"])  # type: ignore[attr-defined]

    def suspend_user(self, principal: Principal, reference: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """201 when the user is now suspended, 200 when they already were; admins and oneself are refused."""
        require(principal, "moodle/user:update")
        with self.lock:  # type: ignore[attr-defined]
            row = self._user_by_reference(principal, reference)
            if row["siteadmin"] or row["id"] == principal.userid:
                raise MockError(ErrorKind.FORBIDDEN, "You can not suspend the admin user or yourself",
                                code="nopermissions", extra={"exception": "moodle_exception"})
            if row["suspended"]:
                return 200, {"userid": row["id"], "suspended": True}
            self.users.update(row["id"], {"suspended": True, "timemodified": self.now()})  # type: ignore[attr-defined]
            return 201, {"userid": row["id"], "suspended": True}

    def unsuspend_user(self, principal: Principal, user_id: int) -> None:
        require(principal, "moodle/user:update")
        with self.lock:  # type: ignore[attr-defined]
            row = self.visible_user(principal, user_id)  # type: ignore[attr-defined]
            if not row["suspended"]:
                raise MockError(ErrorKind.NOT_FOUND, "The user is not suspended", code="notsuspended")
            self.users.update(user_id, {"suspended": False, "timemodified": self.now()})  # type: ignore[attr-defined]

    def change_email(self, principal: Principal, user_id: int, email: str) -> dict[str, Any]:
        require(principal, "moodle/user:update")
        with self.lock:  # type: ignore[attr-defined]
            row = self.visible_user(principal, user_id)  # type: ignore[attr-defined]
            if row["email"] != email:
                try:
                    self.users.update(user_id, {"email": email, "timemodified": self.now()})  # type: ignore[attr-defined]
                except UniqueViolation:
                    raise MockError(ErrorKind.CONFLICT, "This email address is already registered.",
                                    code="emailexists") from None
            return {"id": row["id"], "email": row["email"]}



