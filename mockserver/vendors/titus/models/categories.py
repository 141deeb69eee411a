"""Course categories: read-only in v1 (docs/titus.md, "Endpoints"); a new tenant brings its own.

A category may belong to a tenant, and a course lives in its category's tenant: that is how a
tenant token's reach over courses (and what lives in them) is decided.
"""

from __future__ import annotations

from typing import Any

from ....core.store import Row, Table, Unique, exact_key
from ..errors import not_found
from ..field_order import FieldOrder, FieldOrders
from .caller import Caller
from .paging import both, exact_filter, listing, sort_key
from .store import Store

DERIVED = ("coursecount",)  # Category properties computed on the way out, not stored
CATEGORY_SORTS = ("name", "idnumber", "sortorder")


def category_table(order: FieldOrder) -> Table:
    return Table("categories", unique=[Unique("idnumber", exact_key("idnumber"))],
                 orders={name: sort_key(name) for name in CATEGORY_SORTS}, fields=order.columns(DERIVED))


class Categories:
    def __init__(self, store: Store, orders: FieldOrders) -> None:
        self.store = store
        self.order = orders.of("Category")
        self.categories = store.tables.categories
        self.courses = store.tables.courses

    def seed(self, records: list[Row]) -> None:
        for order, record in enumerate(records, start=1):
            parent = self.categories.get(record.get("parent", 0)) if record.get("parent") else None
            row = {"idnumber": "", "description": "", "visible": True, "parent": 0, "tenantid": None, **record}
            row["depth"] = parent["depth"] + 1 if parent else 1
            row["path"] = f"{parent['path'] if parent else ''}/{row['id']}"
            row["sortorder"] = order * 10000
            self.categories.insert(row)

    def view_category(self, row: Row) -> dict[str, Any]:
        return self.order.view(row, coursecount=sum(1 for course in self.courses.rows()
                                                    if course["categoryid"] == row["id"]))

    def get_category(self, caller: Caller, category_id: int) -> dict[str, Any]:
        with self.store.lock:
            row = self.categories.get(category_id)
            if row is None:
                raise not_found("course_categories")
            caller.check_sees(row["tenantid"])
            return self.view_category(row)

    def list_categories(self, caller: Caller, *, page: int, perpage: int, sort: str, order: str,
                        filters: dict[str, Any]) -> dict[str, Any]:
        scope = None if not caller.bound_to_tenant else (lambda row: row["tenantid"] == caller.tenantid)
        predicate = both(exact_filter(filters, ("parent", "idnumber", "visible")), scope)
        with self.store.lock:
            return listing(self.categories, "categories", self.view_category, predicate,
                           page=page, perpage=perpage, sort=sort, order=order)

    def add_tenant_category(self, name: str, tenantid: int) -> Row:
        """A new tenant's own top-level category (Totara creates one with every tenant)."""
        category = self.categories.insert({
            "name": name, "idnumber": "", "parent": 0, "description": "", "visible": True,
            "tenantid": tenantid, "depth": 1, "path": "", "sortorder": (self.categories.next_id) * 10000,
        })
        return self.categories.update(category["id"], {"path": f"/{category['id']}"})

    def get(self, category_id: int) -> Row | None:
        return self.categories.get(category_id)

    def tenant_of_course(self, course: Row) -> int | None:
        """The tenant a course belongs to: its category's (None when the category is the site's or gone)."""
        category = self.categories.get(course["categoryid"])
        return category["tenantid"] if category else None
