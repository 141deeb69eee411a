"""Body references by id or alternate key (docs/titus.md, "Endpoints": alternate keys), resolved
the same way for every resource."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row
from .caller import Caller
from .store import Store


class References:
    def __init__(self, store: Store) -> None:
        self.users = store.tables.users
        self.courses = store.tables.courses
        self.roles = store.tables.roles

    def user_by_key(self, caller: Caller, data: dict[str, Any]) -> Row:
        """The user named by `userid`, `username` or `useridnumber` (the handler made sure of exactly one).

        Unknown -> 404 `usernotfound`; a user of another tenant -> 403 naming the caller's capability.
        """
        if "userid" in data:
            row = self.users.get(data["userid"])
        elif "username" in data:
            row = self.users.find("username", str(data["username"]).casefold())
        else:
            row = self.users.find("idnumber", data["useridnumber"])
        if row is None:
            wanted = data.get("userid", data.get("username", data.get("useridnumber")))
            raise MockError(ErrorKind.NOT_FOUND, f"User {wanted} not found", code="usernotfound")
        caller.check_sees(row["tenantid"])
        return row

    def with_ids(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        """A body whose alternate keys are replaced by the ids they name.

        `username`/`useridnumber` -> `userid` (404 `usernotfound`), `courseidnumber`/`courseshortname`
        -> `courseid` (404 `coursenotfound`), `roleshortname` -> `roleid` (an unknown role is the
        same 403 `wsusercannotassign` as an unknown role id). Ids given as ids are left to the caller's checks.
        """
        data = dict(data)
        if "username" in data or "useridnumber" in data:
            data["userid"] = self.user_by_key(caller, data)["id"]
            data.pop("username", None)
            data.pop("useridnumber", None)
        for key, index in (("courseidnumber", "idnumber"), ("courseshortname", "shortname")):
            if key in data:
                course = self.courses.find(index, data.pop(key))
                if course is None:
                    raise MockError(ErrorKind.NOT_FOUND, "Course not found", code="coursenotfound")
                data["courseid"] = course["id"]
        if "roleshortname" in data:
            role = self.roles.find("shortname", data.pop("roleshortname"))
            if role is None:
                raise MockError(ErrorKind.FORBIDDEN, "Cannot assign this role in this course",
                                code="wsusercannotassign", extra={"exception": "moodle_exception"})
            data["roleid"] = role["id"]
        return data
