"""Cohort (audience) memberships; cohorts themselves are seeded or made with a tenant (design §B2)."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique, UniqueViolation
from ..errors import forbidden, not_found
from .bulk import ItemResult, run_bulk
from .caller import Principal, require

MEMBER_FIELDS = ("cohortid", "userid", "timeadded")


def cohort_member_table() -> Table:
    return Table("cohort_members", unique=[Unique("key", lambda row: (row["cohortid"], row["userid"]))],
                 fields=MEMBER_FIELDS)


class CohortsMixin:
    cohorts: Table
    cohort_members: Table
    users: Table

    def seed_cohort_members(self, records: list[dict[str, Any]], seeded_at: int) -> None:
        for record in records:
            self.cohort_members.insert({"timeadded": seeded_at, **record})

    def _cohort(self, principal: Principal, reference: dict[str, Any]) -> dict[str, Any]:
        if "cohortid" in reference:
            row = self.cohorts.get(reference["cohortid"])
        else:
            row = self.cohorts.find("idnumber", reference["cohortidnumber"])
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "Cohort not found", code="cohortnotfound")
        if row.get("tenantid") is not None and not principal.sees_tenant(row["tenantid"]):
            raise forbidden("moodle/cohort:assign")
        return row

    def _member_user(self, principal: Principal, reference: dict[str, Any]) -> dict[str, Any]:
        if "userid" in reference:
            row = self.users.get(reference["userid"])
        elif "username" in reference:
            row = self.users.find("username", reference["username"].casefold())
        else:
            row = self.users.find("idnumber", reference["useridnumber"])
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "User not found", code="usernotfound")
        if not principal.sees_tenant(row["tenantid"]):
            raise forbidden("moodle/cohort:assign")
        return row

    def add_cohort_member(self, principal: Principal, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        require(principal, "moodle/cohort:assign")
        with self.lock:  # type: ignore[attr-defined]
            cohort, user = self._cohort(principal, data), self._member_user(principal, data)
            row = {"cohortid": cohort["id"], "userid": user["id"], "timeadded": self.now()}  # type: ignore[attr-defined]
            try:
                self.cohort_members.insert(row)
            except UniqueViolation:
                raise MockError(ErrorKind.CONFLICT, "The user is already a member of this cohort",
                                code="membershipexists") from None
            return 201, {name: row[name] for name in MEMBER_FIELDS}

    def add_cohort_members(self, principal: Principal, items: list[dict[str, Any]], *, atomic: bool) -> list[ItemResult]:
        require(principal, "moodle/cohort:assign")
        return run_bulk(self.lock, items, lambda item: self.add_cohort_member(principal, item),  # type: ignore[attr-defined]
                        [self.cohort_members], atomic=atomic)

    def remove_cohort_member(self, principal: Principal, cohortid: int, userid: int) -> dict[str, Any]:
        require(principal, "moodle/cohort:assign")
        with self.lock:  # type: ignore[attr-defined]
            self._cohort(principal, {"cohortid": cohortid})
            self._member_user(principal, {"userid": userid})
            row = self.cohort_members.find("key", (cohortid, userid))
            if row is None:
                raise not_found("cohort_members")
            self.cohort_members.delete(row["id"])
            return {"cohortid": cohortid, "userid": userid}

    def remove_cohort_members(self, principal: Principal, cohortid: int, userids: list[int]) -> list[ItemResult]:
        require(principal, "moodle/cohort:assign")
        return run_bulk(self.lock, [{"userid": u} for u in userids],  # type: ignore[attr-defined]
                        lambda item: (204, self.remove_cohort_member(principal, cohortid, item["userid"])),
                        [], atomic=False)
