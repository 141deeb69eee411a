"""Cohorts (audiences) and their memberships; cohorts themselves are seeded or come with a new tenant."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation, exact_key
from ..errors import not_found
from ..field_order import FieldOrder, FieldOrders
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .store import Store, delete_where



def cohort_table() -> Table:
    return Table("cohorts", unique=[Unique("idnumber", exact_key("idnumber"))], fields=("name", "idnumber"))


def cohort_member_table(order: FieldOrder) -> Table:
    return Table("cohort_members", unique=[Unique("key", lambda row: (row["cohortid"], row["userid"]))],
                 fields=order.columns())


class Cohorts:
    def __init__(self, store: Store, orders: FieldOrders) -> None:
        self.store = store
        self.member_order = orders.of("CohortMembership")
        self.cohorts = store.tables.cohorts
        self.members = store.tables.cohort_members
        self.users = store.tables.users

    def seed_cohorts(self, records: list[Row]) -> None:
        for record in records:
            self.cohorts.insert({"idnumber": "", "description": "", "tenantid": None, **record})

    def seed_members(self, records: list[Row], seeded_at: int) -> None:
        for record in records:
            self.members.insert({"timeadded": seeded_at, **record})

    def add_tenant_cohort(self, name: str, tenantid: int) -> Row:
        """A new tenant's participants' audience (Totara creates one with every tenant)."""
        return self.cohorts.insert({"name": name, "idnumber": "", "description": "", "tenantid": tenantid})

    def _cohort(self, caller: Caller, reference: dict[str, Any]) -> Row:
        if "cohortid" in reference:
            row = self.cohorts.get(reference["cohortid"])
        else:
            row = self.cohorts.find("idnumber", reference["cohortidnumber"])
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "Cohort not found", code="cohortnotfound")
        if row.get("tenantid") is not None:
            caller.check_sees(row["tenantid"])
        return row

    def _member_user(self, caller: Caller, reference: dict[str, Any]) -> Row:
        if "userid" in reference:
            row = self.users.get(reference["userid"])
        elif "username" in reference:
            row = self.users.find("username", reference["username"].casefold())
        else:
            row = self.users.find("idnumber", reference["useridnumber"])
        if row is None:
            raise MockError(ErrorKind.NOT_FOUND, "User not found", code="usernotfound")
        caller.check_sees(row["tenantid"])
        return row

    def add_cohort_member(self, caller: Caller, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.store.lock:
            cohort, user = self._cohort(caller, data), self._member_user(caller, data)
            row = {"cohortid": cohort["id"], "userid": user["id"], "timeadded": self.store.now()}
            try:
                self.members.insert(row)
            except UniqueViolation:
                raise MockError(ErrorKind.CONFLICT, "The user is already a member of this cohort",
                                code="membershipexists") from None
            return 201, self.member_order.view(row)

    def add_cohort_members(self, caller: Caller, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        return run_bulk(self.store.lock, items, lambda item: self.add_cohort_member(caller, item),
                        [self.members], atomic=atomic)

    def remove_cohort_member(self, caller: Caller, cohortid: int, userid: int) -> dict[str, Any]:
        with self.store.lock:
            self._cohort(caller, {"cohortid": cohortid})
            self._member_user(caller, {"userid": userid})
            row = self.members.find("key", (cohortid, userid))
            if row is None:
                raise not_found("cohort_members")
            self.members.delete(row["id"])
            return {"cohortid": cohortid, "userid": userid}

    def remove_cohort_members(self, caller: Caller, cohortid: int, userids: list[int]) -> list[ItemResult]:
        return run_bulk(self.store.lock, [{"userid": u} for u in userids],
                        lambda item: (204, self.remove_cohort_member(caller, cohortid, item["userid"])),
                        [], atomic=False)

    def forget_user(self, user_id: int) -> None:
        """A deleted user leaves every cohort."""
        delete_where(self.members, lambda row: row.get("userid") == user_id)
