"""Roles: reference data the API only reads (seeded like Moodle's standard archetypes)."""

from __future__ import annotations

from typing import Any

from ....core.store import Row, Table, Unique, exact_key
from ..errors import not_found
from ..field_order import FieldOrder, FieldOrders
from .paging import exact_filter, listing, sort_key
from .store import Store

# Roles an enrolment may give in a course (Moodle's manual enrolment default assignable set).
COURSE_ASSIGNABLE_ARCHETYPES = ("editingteacher", "teacher", "student")


def role_table(order: FieldOrder) -> Table:
    return Table("roles", unique=[Unique("shortname", exact_key("shortname"))],
                 orders={"shortname": sort_key("shortname"), "sortorder": sort_key("sortorder")},
                 fields=order.columns())


class Roles:
    def __init__(self, store: Store, orders: FieldOrders) -> None:
        self.store = store
        self.order = orders.of("Role")
        self.roles = store.tables.roles

    def seed(self, records: list[Row]) -> None:
        for order, record in enumerate(records, start=1):
            self.roles.insert({"description": "", "archetype": "", "sortorder": order, **record})

    def view_role(self, row: Row) -> dict[str, Any]:
        return self.order.view(row)

    def get_role(self, role_id: int) -> dict[str, Any]:
        with self.store.lock:
            row = self.roles.get(role_id)
            if row is None:
                raise not_found("role")
            return self.view_role(row)

    def list_roles(self, *, page: int, perpage: int, sort: str, order: str, filters: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            return listing(self.roles, "roles", self.view_role, exact_filter(filters, ("shortname", "archetype")),
                           page=page, perpage=perpage, sort=sort, order=order)

    def student_role_id(self) -> int:
        """The role an enrolment gets when it names none (id 5, Moodle's, if the seed has no student)."""
        student = self.roles.find("shortname", "student")
        return student["id"] if student else 5

    def assignable_in_course(self, role_id: int) -> Row | None:
        """The role, if an enrolment may give it in a course (else None: 403 `wsusercannotassign`)."""
        role = self.roles.get(role_id)
        return role if role is not None and role["archetype"] in COURSE_ASSIGNABLE_ARCHETYPES else None
