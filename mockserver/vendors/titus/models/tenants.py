"""Tenants (Workplace/Totara multi-tenancy): each gets its own top-level category and audience on create."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation, casefold_key, exact_key
from ..errors import not_found
from ..field_order import FieldOrders
from .caller import Caller
from .categories import Categories
from .cohorts import Cohorts
from .paging import both, exact_filter, listing, sort_key
from .readonly import readonly_changes
from .site import Site
from .store import Store

TENANT_READONLY = ("id", "categoryid", "cohortid", "timecreated", "timemodified")
TENANT_DEFAULTS: dict[str, Any] = {"description": "", "suspended": False, "categoryid": None, "cohortid": None,
                                   "sitename": "", "siteshortname": ""}


def tenant_table() -> Table:
    return Table("tenants", unique=[Unique("name", casefold_key("name")), Unique("idnumber", exact_key("idnumber"))],
                 orders={"name": sort_key("name"), "idnumber": sort_key("idnumber")},
                 fields=("name", "idnumber", "suspended"))


class Tenants:
    def __init__(self, store: Store, orders: FieldOrders, site: Site, categories: Categories, cohorts: Cohorts) -> None:
        self.store = store
        self.order = orders.of("Tenant")
        self.tenants = store.tables.tenants
        self.site = site
        self.categories = categories
        self.cohorts = cohorts

    def seed(self, records: list[Row], seeded_at: int) -> None:
        for record in records:
            row = {**TENANT_DEFAULTS, **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.tenants.insert(row)

    def view_tenant(self, row: Row) -> dict[str, Any]:
        """A column an imported row lacks reads as null (the table requires only name, idnumber, suspended)."""
        return self.order.view(defaultdict(lambda: None, row),
                               archived=row["suspended"])  # Workplace's name for the same state

    def visible_tenant(self, caller: Caller, tenant_id: int) -> Row:
        row = self.tenants.get(tenant_id)
        if row is None:
            raise not_found("tenant")
        caller.check_sees(row["id"])
        return row

    def get_tenant(self, caller: Caller, tenant_id: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_tenant(self.visible_tenant(caller, tenant_id))

    def list_tenants(self, caller: Caller, *, page: int, perpage: int, sort: str, order: str,
                     filters: dict[str, Any]) -> dict[str, Any]:
        scope = None if not caller.bound_to_tenant else (lambda row: row["id"] == caller.tenantid)
        predicate = both(exact_filter(filters, ("idnumber", "suspended")), scope)
        with self.store.lock:
            return listing(self.tenants, "tenants", self.view_tenant, predicate, page=page, perpage=perpage,
                           sort=sort, order=order)

    def create_tenant(self, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        """A new tenant brings its top-level category and its participants' audience (Totara)."""
        if caller.bound_to_tenant:  # a tenant's own token manages no tenants
            raise caller.refusal()
        with self.store.lock:
            self.site.require_multitenancy()
            data = dict(data)
            categoryname = data.pop("categoryname", None) or data["name"]
            cohortname = data.pop("cohortname", None) or f"{data['name']} participants"
            now = self.store.now()
            row = {**TENANT_DEFAULTS, **data, "timecreated": now, "timemodified": now}
            try:
                self.tenants.check_unique(row)
            except UniqueViolation as exc:
                raise _conflict(exc, row) from None
            self.tenants.insert(row)
            category = self.categories.add_tenant_category(categoryname, row["id"])
            cohort = self.cohorts.add_tenant_cohort(cohortname, row["id"])
            row = self.tenants.update(row["id"], {"categoryid": category["id"], "cohortid": cohort["id"]})
            return self.view_tenant(row)

    def update_tenant(self, caller: Caller, tenant_id: int, data: dict[str, Any]) -> dict[str, Any]:
        if caller.bound_to_tenant:
            raise caller.refusal()
        with self.store.lock:
            self.site.require_multitenancy()
            row = self.visible_tenant(caller, tenant_id)
            changes = dict(data)
            readonly_changes(row, changes, TENANT_READONLY)
            changes["timemodified"] = self.store.now()
            try:
                row = self.tenants.update(tenant_id, changes)
            except UniqueViolation as exc:
                raise _conflict(exc, {**row, **changes}) from None
            return self.view_tenant(row)

    def suspended(self, tenant_id: int | None) -> bool:
        row = self.tenants.get(tenant_id) if tenant_id is not None else None
        return bool(row and row["suspended"])

    def check_tenant(self, tenantid: int | None) -> None:
        """A tenant a record names: none, or one that exists on a site with multi-tenancy on."""
        if tenantid is None:
            return
        self.site.require_multitenancy()
        if tenantid not in self.tenants:
            raise MockError(ErrorKind.NOT_FOUND, f"Tenant with id {tenantid} not found", code="tenantnotfound")


def _conflict(exc: UniqueViolation, row: Row) -> MockError:
    if exc.index == "name":
        return MockError(ErrorKind.CONFLICT, f"Tenant name is already used ({row['name']})", code="tenantnameexists")
    return MockError(ErrorKind.CONFLICT, f"Tenant ID number is already used ({row['idnumber']})",
                     code="tenantidnumberexists")
