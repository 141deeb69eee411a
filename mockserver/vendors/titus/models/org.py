"""Organisation hierarchies (Workplace departments and positions, Totara organisations and positions).

Both kinds share one shape (design §B2): items in a seeded framework, a parent in the same
framework, a materialised `path` and `depthlevel`, an idnumber unique per kind. Frameworks have
no endpoint; each belongs to the site (tenantid null) or to one tenant, which scopes what a
tenant token sees and may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table, Unique, UniqueViolation, exact_key
from ..errors import bad_request, forbidden, not_found
from .bulk import ItemResult, run_bulk
from .caller import Principal, require
from .paging import both, exact_filter, listing, sort_key

CAPABILITY = "titusconnect:manage_organisation"
ORG_FIELDS = ("id", "frameworkid", "fullname", "shortname", "idnumber", "description", "parentid", "typeid",
              "visible", "path", "depthlevel", "timecreated", "timemodified")
ORG_SORTS = ("fullname", "shortname", "idnumber", "path")
FRAMEWORK_FIELDS = ("id", "type", "fullname", "shortname", "idnumber", "tenantid")


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
KINDS = {kind.name: kind for kind in (DEPARTMENT, POSITION)}


def org_tables() -> tuple[Table, Table, Table]:
    frameworks = Table("org_frameworks", unique=[Unique("idnumber", exact_key("idnumber"))], fields=FRAMEWORK_FIELDS)
    items = [Table(kind.table, unique=[Unique("idnumber", exact_key("idnumber"))],
                   orders={name: sort_key(name) for name in ORG_SORTS}, fields=ORG_FIELDS)
             for kind in (DEPARTMENT, POSITION)]
    return frameworks, items[0], items[1]


class OrgMixin:
    org_frameworks: Table
    tables: dict[str, Table]

    def seed_org(self, frameworks: list[dict[str, Any]], departments: list[dict[str, Any]],
                 positions: list[dict[str, Any]], seeded_at: int) -> None:
        for record in frameworks:
            self.org_frameworks.insert({"shortname": "", "idnumber": "", "tenantid": None, **record})
        for kind, records in ((DEPARTMENT, departments), (POSITION, positions)):
            for record in records:
                row = {"shortname": "", "idnumber": "", "description": "", "parentid": 0, "typeid": None,
                       "visible": True, **record}
                row.setdefault("timecreated", seeded_at)
                row.setdefault("timemodified", row["timecreated"])
                self._insert_item(kind, row)

    def _items(self, kind: OrgKind) -> Table:
        return self.tables[kind.table]

    def _insert_item(self, kind: OrgKind, row: dict[str, Any]) -> dict[str, Any]:
        """Insert with its place in the tree: path '/<ancestors>/<id>' and depth from the parent."""
        parent = self._items(kind).get(row["parentid"]) if row["parentid"] else None
        try:
            inserted = self._items(kind).insert({**row, "path": "",
                                                 "depthlevel": parent["depthlevel"] + 1 if parent else 1})
        except UniqueViolation:
            raise MockError(ErrorKind.CONFLICT, f"The {kind.name} ID number is already used ({row['idnumber']})",
                            code=kind.conflict_code) from None
        self._items(kind).update(inserted["id"], {"path": f"{parent['path'] if parent else ''}/{inserted['id']}"})
        return inserted

    @staticmethod
    def view_org(row: dict[str, Any]) -> dict[str, Any]:
        return {name: row[name] for name in ORG_FIELDS}

    def framework_tenant(self, frameworkid: int) -> int | None:
        framework = self.org_frameworks.get(frameworkid)
        return framework["tenantid"] if framework else None

    def visible_org(self, principal: Principal, kind: OrgKind, item_id: int,
                    capability: str = "titusconnect:view_organisation") -> dict[str, Any]:
        row = self._items(kind).get(item_id)
        if row is None:
            raise not_found(f"tool_organisation_{kind.name}s")
        if not principal.sees_tenant(self.framework_tenant(row["frameworkid"])):
            raise forbidden(capability)
        return row

    def get_org(self, principal: Principal, kind: OrgKind, item_id: int) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            return self.view_org(self.visible_org(principal, kind, item_id))

    def list_org(self, principal: Principal, kind: OrgKind, *, page: int, perpage: int, sort: str, order: str,
                 filters: dict[str, Any]) -> dict[str, Any]:
        scope = None if principal.profile != "tenant" else (
            lambda row: self.framework_tenant(row["frameworkid"]) == principal.tenantid)
        predicate = both(exact_filter(filters, ("frameworkid", "parentid", "idnumber", "visible")), scope)
        with self.lock:  # type: ignore[attr-defined]
            return listing(self._items(kind), kind.list_key, self.view_org, predicate, page=page, perpage=perpage,
                           sort=sort, order=order)

    def _framework(self, principal: Principal, kind: OrgKind, data: dict[str, Any]) -> dict[str, Any]:
        if "frameworkid" in data:
            framework = self.org_frameworks.get(data["frameworkid"])
        else:
            framework = self.org_frameworks.find("idnumber", data["frameworkidnumber"])
        if framework is None or framework["type"] != kind.name:
            wanted = data.get("frameworkid", data.get("frameworkidnumber"))
            raise bad_request("invalidframework", f"There is no {kind.name} framework {wanted}",
                              "frameworkid" if "frameworkid" in data else "frameworkidnumber")
        if not principal.sees_tenant(framework["tenantid"]):
            raise forbidden(CAPABILITY)
        return framework

    def create_org(self, principal: Principal, kind: OrgKind, data: dict[str, Any]) -> dict[str, Any]:
        """One new item; its parent must be an item of the same framework (400 `invalidparent`)."""
        require(principal, CAPABILITY)
        with self.lock:  # type: ignore[attr-defined]
            data = dict(data)
            framework = self._framework(principal, kind, data)
            data.pop("frameworkidnumber", None)
            parentid = data.get("parentid", 0)
            if parentid:
                parent = self._items(kind).get(parentid)
                if parent is None or parent["frameworkid"] != framework["id"]:
                    raise bad_request("invalidparent", f"The parent {kind.name} {parentid} is not in framework "
                                      f"{framework['id']}", "parentid")
            now = self.now()  # type: ignore[attr-defined]
            row = {"shortname": "", "idnumber": "", "description": "", "typeid": None, "visible": True, **data,
                   "frameworkid": framework["id"], "parentid": parentid, "timecreated": now, "timemodified": now}
            return self.view_org(self._insert_item(kind, row))

    def create_orgs(self, principal: Principal, kind: OrgKind, items: list[dict[str, Any]], *,
                    atomic: bool) -> list[ItemResult]:
        require(principal, CAPABILITY)
        return run_bulk(self.lock, items, lambda item: (201, self.create_org(principal, kind, item)),  # type: ignore[attr-defined]
                        [self._items(kind)], atomic=atomic)

    def org_reference(self, principal: Principal, kind: OrgKind, item_id: int | None, field: str) -> None:
        """A job assignment's position or department: null, or an item the token may use (else 400/403)."""
        if item_id is None:
            return
        row = self._items(kind).get(item_id)
        if row is None:
            raise bad_request(kind.invalid_code, f"There is no {kind.name} with id {item_id}", field)
        if not principal.sees_tenant(self.framework_tenant(row["frameworkid"])):
            raise forbidden(CAPABILITY)
