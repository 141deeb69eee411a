"""Organisation hierarchies (Workplace departments and positions, Totara organisations and positions).

Both kinds share one shape (docs/titus.md, "Endpoints"): items in a seeded framework, a parent in
the same framework, a materialised `path` and `depthlevel`, an idnumber unique per kind.
Frameworks have no endpoint; each belongs to the site (tenantid null) or to one tenant, which
scopes what a tenant token sees and may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, UniqueViolation, exact_key
from ..errors import bad_request, not_found
from ..field_order import FieldOrder, FieldOrders
from .bulk import ItemResult, run_bulk
from .caller import Caller
from .paging import both, exact_filter, listing, sort_key
from .store import Store

ORG_SORTS = ("fullname", "shortname", "idnumber", "path")
FRAMEWORK_COLUMNS = ("id", "type", "fullname", "shortname", "idnumber", "tenantid")  # stored only: no endpoint


@dataclass(frozen=True)
class OrgKind:
    """What differs between departments and positions: names, table, error codes."""

    name: str  # department | position
    table: str
    list_key: str
    conflict_code: str
    invalid_code: str  # a body reference to a missing item (job assignments)


DEPARTMENT = OrgKind("department", "departments", "organisation_departments", "departmentidnumberexists",
                     "invaliddepartment")
POSITION = OrgKind("position", "positions", "organisation_positions", "positionidnumberexists", "invalidposition")


def framework_table() -> Table:
    return Table("org_frameworks", unique=[Unique("idnumber", exact_key("idnumber"))], fields=FRAMEWORK_COLUMNS)


def item_table(kind: OrgKind, order: FieldOrder) -> Table:
    return Table(kind.table, unique=[Unique("idnumber", exact_key("idnumber"))],
                 orders={name: sort_key(name) for name in ORG_SORTS}, fields=order.columns())


class Organisation:
    """Departments and positions in their frameworks."""

    def __init__(self, store: Store, orders: FieldOrders) -> None:
        self.store = store
        self.order = orders.of("OrgItem")
        self.frameworks = store.tables.org_frameworks
        self.items = {DEPARTMENT.name: store.tables.departments, POSITION.name: store.tables.positions}

    def seed(self, frameworks: list[Row], departments: list[Row], positions: list[Row], seeded_at: int) -> None:
        for record in frameworks:
            self.frameworks.insert({"shortname": "", "idnumber": "", "tenantid": None, **record})
        for kind, records in ((DEPARTMENT, departments), (POSITION, positions)):
            for record in records:
                row = {"shortname": "", "idnumber": "", "description": "", "parentid": 0, "typeid": None,
                       "visible": True, **record}
                row.setdefault("timecreated", seeded_at)
                row.setdefault("timemodified", row["timecreated"])
                self._insert_item(kind, row)

    def _insert_item(self, kind: OrgKind, row: Row) -> Row:
        """Insert with its place in the tree: path '/<ancestors>/<id>' and depth from the parent."""
        items = self.items[kind.name]
        parent = items.get(row["parentid"]) if row["parentid"] else None
        try:
            inserted = items.insert({**row, "path": "", "depthlevel": parent["depthlevel"] + 1 if parent else 1})
        except UniqueViolation:
            raise MockError(ErrorKind.CONFLICT, f"The {kind.name} ID number is already used ({row['idnumber']})",
                            code=kind.conflict_code) from None
        return items.update(inserted["id"], {"path": f"{parent['path'] if parent else ''}/{inserted['id']}"})

    def view_org(self, row: Row) -> dict[str, Any]:
        return self.order.view(row)

    def framework_tenant(self, frameworkid: int) -> int | None:
        framework = self.frameworks.get(frameworkid)
        return framework["tenantid"] if framework else None

    def visible_org(self, caller: Caller, kind: OrgKind, item_id: int) -> Row:
        row = self.items[kind.name].get(item_id)
        if row is None:
            raise not_found(f"tool_organisation_{kind.name}s")
        caller.check_sees(self.framework_tenant(row["frameworkid"]))
        return row

    def get_org(self, caller: Caller, kind: OrgKind, item_id: int) -> dict[str, Any]:
        with self.store.lock:
            return self.view_org(self.visible_org(caller, kind, item_id))

    def list_org(self, caller: Caller, kind: OrgKind, *, page: int, perpage: int, sort: str, order: str,
                 filters: dict[str, Any]) -> dict[str, Any]:
        scope = None if not caller.bound_to_tenant else (
            lambda row: self.framework_tenant(row["frameworkid"]) == caller.tenantid)
        predicate = both(exact_filter(filters, ("frameworkid", "parentid", "idnumber", "visible")), scope)
        with self.store.lock:
            return listing(self.items[kind.name], kind.list_key, self.view_org, predicate, page=page,
                           perpage=perpage, sort=sort, order=order)

    def _framework(self, caller: Caller, kind: OrgKind, data: dict[str, Any]) -> Row:
        if "frameworkid" in data:
            framework = self.frameworks.get(data["frameworkid"])
        else:
            framework = self.frameworks.find("idnumber", data["frameworkidnumber"])
        if framework is None or framework["type"] != kind.name:
            wanted = data.get("frameworkid", data.get("frameworkidnumber"))
            raise bad_request("invalidframework", f"There is no {kind.name} framework {wanted}",
                              "frameworkid" if "frameworkid" in data else "frameworkidnumber")
        caller.check_sees(framework["tenantid"])
        return framework

    def create_org(self, caller: Caller, kind: OrgKind, data: dict[str, Any]) -> dict[str, Any]:
        """One new item; its parent must be an item of the same framework (400 `invalidparent`)."""
        with self.store.lock:
            data = dict(data)
            framework = self._framework(caller, kind, data)
            data.pop("frameworkidnumber", None)
            parentid = data.get("parentid", 0)
            if parentid:
                parent = self.items[kind.name].get(parentid)
                if parent is None or parent["frameworkid"] != framework["id"]:
                    raise bad_request("invalidparent", f"The parent {kind.name} {parentid} is not in framework "
                                      f"{framework['id']}", "parentid")
            now = self.store.now()
            row = {"shortname": "", "idnumber": "", "description": "", "typeid": None, "visible": True, **data,
                   "frameworkid": framework["id"], "parentid": parentid, "timecreated": now, "timemodified": now}
            return self.view_org(self._insert_item(kind, row))

    def create_orgs(self, caller: Caller, kind: OrgKind, items: list[Row], *, atomic: bool) -> list[ItemResult]:
        return run_bulk(self.store.lock, items, lambda item: (201, self.create_org(caller, kind, item)),
                        [self.items[kind.name]], atomic=atomic)

    def check_reference(self, caller: Caller, kind: OrgKind, item_id: int | None, field: str) -> None:
        """A job assignment's position or department: null, or an item the token may use (else 400/403)."""
        if item_id is None:
            return
        row = self.items[kind.name].get(item_id)
        if row is None:
            raise bad_request(kind.invalid_code, f"There is no {kind.name} with id {item_id}", field)
        caller.check_sees(self.framework_tenant(row["frameworkid"]))
