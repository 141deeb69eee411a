"""What every Titus resource shares: the token's principal, paging, errors in Moodle's words."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Table

MAX_PERPAGE = 500

# Messages follow Moodle's language strings where Moodle has one.
CAPABILITY_NAMES = {
    "moodle/user:create": "Create users",
    "moodle/user:update": "Update user profiles",
    "moodle/user:delete": "Delete users",
    "moodle/user:viewdetails": "View user profiles",
    "moodle/course:create": "Create courses",
    "moodle/course:update": "Update course settings",
    "moodle/course:delete": "Delete courses",
    "moodle/course:view": "View courses",
    "moodle/category:viewcourselist": "View course categories",
    "enrol/manual:enrol": "Enrol users",
    "enrol/manual:unenrol": "Unenrol users from the course",
    "enrol/manual:manage": "Manage user enrolments",
    "moodle/course:enrolreview": "Review course enrolments",
    "moodle/course:managegroups": "Manage groups",
    "moodle/course:viewparticipants": "View participants",
    "moodle/course:overridecompletion": "Override activity completion status",
    "totara/tenant:config": "Configure tenants",
    "moodle/cohort:assign": "Add and remove cohort members",
    "totara/tenant:view": "View tenants",
    # Not verified against Titus (design §B7): abstract names for organisation and program rights.
    "titusconnect:manage_organisation": "Manage departments, positions and job assignments",
    "titusconnect:view_organisation": "View departments, positions and job assignments",
    "titusconnect:manage_programs": "Manage programs and program enrolments",
    "titusconnect:view_programs": "View programs",
}


@dataclass(frozen=True)
class Principal:
    """Who a token speaks for, and what its profile allows."""

    token: str
    userid: int
    profile: str  # admin | readonly | tenant
    tenantid: int | None = None

    def can_write(self) -> bool:
        return self.profile in ("admin", "tenant")

    def sees_tenant(self, tenantid: int | None) -> bool:
        return self.profile != "tenant" or tenantid == self.tenantid


def forbidden(capability: str) -> MockError:
    name = CAPABILITY_NAMES.get(capability, capability)
    return MockError(ErrorKind.FORBIDDEN, f"Sorry, but you do not currently have permissions to do that ({name}).",
                     code="nopermissions", extra={"debuginfo": capability})


def require(principal: Principal, capability: str) -> None:
    """Writes need a writing profile; the readonly token is refused naming the capability."""
    if not principal.can_write():
        raise forbidden(capability)


def not_found(table: str) -> MockError:
    return MockError(ErrorKind.NOT_FOUND, f"Can't find data record in database table {table}.", code="invalidrecord",
                     extra={"exception": "dml_missing_record_exception"})


def bad_request(code: str, message: str, field: str | None = None) -> MockError:
    extra: dict[str, Any] = {"exception": "invalid_parameter_exception"}
    if field:
        extra["errors"] = [{"field": field, "message": message}]
    return MockError(ErrorKind.BAD_REQUEST, message, code=code, extra=extra)


def readonly_changes(row: dict[str, Any], changes: dict[str, Any], fields: Iterable[str]) -> None:
    """Drop read-only fields sent with their stored value; any other value is 400 `readonlyfield`."""
    for name in fields:
        if name in changes and changes.pop(name) != row.get(name):
            raise bad_request("readonlyfield", f"The field {name} is read-only", name)


def sort_key(field: str) -> Callable[[dict[str, Any]], Any]:
    """Case-insensitive for strings, so `sort=username` reads as a person expects."""

    def key(row: dict[str, Any]) -> Any:
        value = row.get(field)
        return value.casefold() if isinstance(value, str) else value

    return key


def check_paging(page: int, perpage: int) -> None:
    if page < 1 or not 1 <= perpage <= MAX_PERPAGE:
        raise MockError(ErrorKind.BAD_REQUEST, "Invalid parameter value detected", code="invalidparameter",
                        extra={"debuginfo": f"page must be >= 1 and perpage between 1 and {MAX_PERPAGE}"})


def listing(
    table: Table,
    key: str,
    view: Callable[[dict[str, Any]], dict[str, Any]],
    predicate: Callable[[dict[str, Any]], bool] | None,
    *,
    page: int,
    perpage: int,
    sort: str = "id",
    order: str = "asc",
) -> dict[str, Any]:
    """The §B4 list envelope; without a filter a page costs O(log n + page)."""
    check_paging(page, perpage)
    reverse = order == "desc"
    offset = (page - 1) * perpage
    if predicate is not None:
        matched = table.select(predicate, order=sort, reverse=reverse)
        total, items = len(matched), matched[offset:offset + perpage]
    else:
        result = table.page(offset, perpage, order=sort, reverse=reverse)
        total, items = result.total, result.items
    return {
        "batch": {"page": page, "perpage": perpage, "totalpages": math.ceil(total / perpage), "totalitems": total},
        key: [view(row) for row in items],
    }


def exact_filter(filters: dict[str, Any], names: Iterable[str]) -> Callable[[dict[str, Any]], bool] | None:
    """A predicate over exact-match filters (None values ignored), or None when nothing filters."""
    wanted = {name: filters[name] for name in names if filters.get(name) is not None}
    since = filters.get("modifiedsince")
    if not wanted and since is None:
        return None

    def predicate(row: dict[str, Any]) -> bool:
        if since is not None and row["timemodified"] < since:
            return False
        return all(row.get(name) == value for name, value in wanted.items())

    return predicate


def both(*predicates: Callable[[dict[str, Any]], bool] | None) -> Callable[[dict[str, Any]], bool] | None:
    active = [p for p in predicates if p is not None]
    if not active:
        return None
    return lambda row: all(p(row) for p in active)
