"""Tenants (Workplace/Totara multi-tenancy): each gets its own top-level category and audience on create."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique, UniqueViolation, casefold_key, exact_key
from ..errors import forbidden, not_found
from .caller import Principal, require
from .paging import both, exact_filter, listing, sort_key
from .readonly import readonly_changes

TENANT_FIELDS = ("id", "name", "idnumber", "description", "suspended", "archived", "categoryid", "cohortid", "sitename",
                 "siteshortname", "timecreated", "timemodified")
TENANT_READONLY = ("id", "categoryid", "cohortid", "timecreated", "timemodified")
TENANT_DEFAULTS: dict[str, Any] = {"description": "", "suspended": False, "categoryid": None, "cohortid": None,
                                   "sitename": "", "siteshortname": ""}


def tenant_tables() -> tuple[Table, Table]:
    tenants = Table("tenants", unique=[Unique("name", casefold_key("name")), Unique("idnumber", exact_key("idnumber"))],
                    orders={"name": sort_key("name"), "idnumber": sort_key("idnumber")},
                    fields=("name", "idnumber", "suspended"))
    cohorts = Table("cohorts", unique=[Unique("idnumber", exact_key("idnumber"))], fields=("name", "idnumber"))
    return tenants, cohorts


class TenantsMixin:
    tenants: Table
    cohorts: Table
    categories: Table
    site: dict[str, Any]

    def seed_tenants(self, tenants: list[dict[str, Any]], cohorts: list[dict[str, Any]], seeded_at: int) -> None:
        for record in cohorts:
            self.cohorts.insert({"idnumber": "", "description": "", "tenantid": None, **record})
        for record in tenants:
            row = {**TENANT_DEFAULTS, **record}
            row.setdefault("timecreated", seeded_at)
            row.setdefault("timemodified", row["timecreated"])
            self.tenants.insert(row)

    @staticmethod
    def view_tenant(row: dict[str, Any]) -> dict[str, Any]:
        view = {name: row.get(name) for name in TENANT_FIELDS}
        view["archived"] = row["suspended"]  # Workplace's name for the same state
        return view

    def _tenancy_on(self) -> None:
        if not self.site.get("multitenancy", False):
            raise MockError(ErrorKind.BAD_REQUEST, "Multi-tenancy is not enabled on this site", code="tenantsnotenabled")

    def visible_tenant(self, principal: Principal, tenant_id: int) -> dict[str, Any]:
        row = self.tenants.get(tenant_id)
        if row is None:
            raise not_found("tenant")
        if not principal.sees_tenant(row["id"]):
            raise forbidden("totara/tenant:view")
        return row

    def get_tenant(self, principal: Principal, tenant_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            return self.view_tenant(self.visible_tenant(principal, tenant_id))

    def list_tenants(self, principal: Principal, *, page: int, perpage: int, sort: str, order: str,
                     filters: dict[str, Any]) -> dict[str, Any]:
        scope = None if principal.profile != "tenant" else (lambda row: row["id"] == principal.tenantid)
        predicate = both(exact_filter(filters, ("idnumber", "suspended")), scope)
        with self.lock:  # type: ignore[attr-defined]
            return listing(self.tenants, "tenants", self.view_tenant, predicate, page=page, perpage=perpage,
                           sort=sort, order=order)

    def create_tenant(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        """A new tenant brings its top-level category and its participants' audience (Totara)."""
        require(principal, "totara/tenant:config")
        if principal.profile == "tenant":
            raise forbidden("totara/tenant:config")
        with self.lock:  # type: ignore[attr-defined]
            self._tenancy_on()
            data = dict(data)
            categoryname = data.pop("categoryname", None) or data["name"]
            cohortname = data.pop("cohortname", None) or f"{data['name']} participants"
            now = self.now()  # type: ignore[attr-defined]
            row = {**TENANT_DEFAULTS, **data, "timecreated": now, "timemodified": now}
            try:
                self.tenants.check_unique(row)
            except UniqueViolation as exc:
                raise _conflict(exc, row) from None
            self.tenants.insert(row)
            category = self.categories.insert({
                "name": categoryname, "idnumber": "", "parent": 0, "description": "", "visible": True,
                "tenantid": row["id"], "depth": 1, "path": "", "sortorder": (self.categories.next_id) * 10000,
            })
            self.categories.update(category["id"], {"path": f"/{category['id']}"})
            cohort = self.cohorts.insert({"name": cohortname, "idnumber": "", "description": "", "tenantid": row["id"]})
            self.tenants.update(row["id"], {"categoryid": category["id"], "cohortid": cohort["id"]})
            return self.view_tenant(row)

    def update_tenant(self, principal: Principal, tenant_id: int, data: dict[str, Any]) -> dict[str, Any]:
        require(principal, "totara/tenant:config")
        if principal.profile == "tenant":
            raise forbidden("totara/tenant:config")
        with self.lock:  # type: ignore[attr-defined]
            self._tenancy_on()
            row = self.visible_tenant(principal, tenant_id)
            changes = dict(data)
            readonly_changes(row, changes, TENANT_READONLY)
            changes["timemodified"] = self.now()  # type: ignore[attr-defined]
            try:
                self.tenants.update(tenant_id, changes)
            except UniqueViolation as exc:
                raise _conflict(exc, {**row, **changes}) from None
            return self.view_tenant(row)

    def tenant_suspended(self, tenant_id: int | None) -> bool:
        row = self.tenants.get(tenant_id) if tenant_id is not None else None
        return bool(row and row["suspended"])


def _conflict(exc: UniqueViolation, row: dict[str, Any]) -> MockError:
    if exc.index == "name":
        return MockError(ErrorKind.CONFLICT, f"Tenant name is already used ({row['name']})", code="tenantnameexists")
    return MockError(ErrorKind.CONFLICT, f"Tenant ID number is already used ({row['idnumber']})",
                     code="tenantidnumberexists")
