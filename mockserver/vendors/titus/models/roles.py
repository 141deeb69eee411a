"""Reference data the API only reads: roles (seeded like Moodle's standard archetypes)."""

from __future__ import annotations

from typing import Any

from ....core.store import Table, Unique, exact_key
from ..errors import not_found
from .caller import Principal
from .paging import exact_filter, listing, sort_key

ROLE_FIELDS = ("id", "shortname", "name", "description", "archetype", "sortorder")
# Roles an enrolment may give in a course (Moodle's manual enrolment default assignable set).
COURSE_ASSIGNABLE_ARCHETYPES = ("editingteacher", "teacher", "student")


def reference_tables() -> tuple[Table, ...]:
    roles = Table("roles", unique=[Unique("shortname", exact_key("shortname"))],
                  orders={"shortname": sort_key("shortname"), "sortorder": sort_key("sortorder")}, fields=ROLE_FIELDS)
    return (roles,)


class ReferenceMixin:
    roles: Table

    def seed_roles(self, records: list[dict[str, Any]]) -> None:
        for order, record in enumerate(records, start=1):
            self.roles.insert({"description": "", "archetype": "", "sortorder": order, **record})

    @staticmethod
    def view_role(row: dict[str, Any]) -> dict[str, Any]:
        return {name: row[name] for name in ROLE_FIELDS}

    def get_role(self, principal: Principal, role_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            row = self.roles.get(role_id)
            if row is None:
                raise not_found("role")
            return self.view_role(row)

    def list_roles(self, principal: Principal, *, page: int, perpage: int, sort: str, order: str,
                   filters: dict[str, Any]) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            return listing(self.roles, "roles", self.view_role, exact_filter(filters, ("shortname", "archetype")),
                           page=page, perpage=perpage, sort=sort, order=order)

    def student_role(self) -> dict[str, Any] | None:
        return self.roles.find("shortname", "student")
