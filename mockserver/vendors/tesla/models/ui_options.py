"""Dashboard UI options (`/api/v2/institution/{iid}/ui/`): which dashboard routes are switched on.

Global options (no institution, no user) define the routes and the roles that see them; an
institution may switch a route on or off for everyone or for one of its users. The real list
(and lookup) is not filtered by institution: every option is visible and writable through any
institution's `/ui/`. `routes_for` is what `GET /api/v2/auth/profile` reports.
"""

from __future__ import annotations

import copy
from typing import Any

from ....core.store import Row, Table
from .. import wire
from ..wire import NON_FIELD_ERRORS, REQUIRED, FieldErrors
from ..listing import ListRules
from .lookup import institution_pk, not_found, parse_pk, path_institution, upstream_crash
from .people import in_order
from .state import State

UI_INPUT_ORDER = ("route", "enabled", "user")
INVALID_ROUTE = "Invalid Route"
ROUTE_EXISTS = "This route already exists"
FOREIGN_USER = "User must be from the institution"
UI_LIST_RULES = {"list_ui_options": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                              default_ordering=("id",))}


def ui_table() -> Table:
    return Table("ui_options", fields=("id", "route", "enabled", "roles", "institution", "user"))


def seed_ui_option(record: dict[str, Any]) -> Row:
    return {"enabled": False, "roles": [], "institution": None, "user": None, **copy.deepcopy(record)}


class UiOptions:
    """The UI option routes' rules, and the routes a person's profile lists."""

    def __init__(self, state: State) -> None:
        self._state = state
        self._table = state.tables.ui_options

    def _global_option(self, route: Any) -> Row | None:
        return next((row for row in self._table.rows()
                     if row["route"] == route and row["institution"] is None and row["user"] is None), None)

    def rows(self, segment: str) -> list[Row]:
        institution_pk(segment)
        with self._state.lock:
            return list(self._table.rows())

    def get(self, segment: str, id_segment: str) -> Row:
        institution_pk(segment)
        row = self._table.get(parse_pk(id_segment))
        if row is None:
            raise not_found()
        return row

    def create(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        state = self._state
        with state.lock:
            iid = path_institution(state.tables.institutions, segment)["id"]
            if state.quirks and "user" not in data:  # the real validator reads `user` unconditionally
                errors = {k: v for k, v in errors.items() if k != "user"}
            self._validate(iid, data, errors, None)
            if state.quirks and "user" not in data:
                raise upstream_crash("a UI option without user (KeyError)")
            row = self._table.insert({"id": None, "route": data["route"].strip(), "enabled": data.get("enabled", False),
                                          "roles": [], "institution": iid, "user": data.get("user")})
            return row

    def update(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors,
               partial: bool) -> Row:
        with self._state.lock:
            row = self.get(segment, id_segment)
            crashes = self._state.quirks and partial and "route" not in data
            if crashes:
                errors = wire.errors_passed_to_save(errors, ("route",), (REQUIRED,))
            iid = row["institution"] if row["institution"] is not None else institution_pk(segment)
            self._validate(iid, data, errors, row)
            if crashes:
                raise upstream_crash("a UI option update without route (KeyError)")
            changes: Row = {name: data[name] for name in ("enabled", "user") if name in data}
            if "route" in data:
                changes["route"] = data["route"].strip()
            return self._table.update(row["id"], changes)

    def delete(self, segment: str, id_segment: str) -> None:
        with self._state.lock:
            self._table.delete(self.get(segment, id_segment)["id"])

    def _validate(self, iid: int, data: dict[str, Any], errors: FieldErrors, current: Row | None) -> None:
        """Field errors (a known global route, an institution user), then the route's uniqueness."""
        errors = dict(errors)
        route = data.get("route")
        if isinstance(route, str) and "route" not in errors and self._global_option(route.strip()) is None:
            errors["route"] = [INVALID_ROUTE]
        user = data.get("user")
        if isinstance(user, int) and not isinstance(user, bool) and "user" not in errors:
            person = self._state.tables.users.get(user)
            if person is None:
                errors["user"] = [f'Invalid pk "{user}" - object does not exist.']
            elif person["institution"] != iid:
                errors["user"] = [FOREIGN_USER]
        if errors:
            raise wire.invalid(in_order(errors, UI_INPUT_ORDER))
        route_key = route.strip() if isinstance(route, str) else (current or {}).get("route")
        user_key = data["user"] if "user" in data else (current or {}).get("user")
        for row in self._table.rows():
            if (row["route"], row["institution"], row["user"]) == (route_key, iid, user_key) and \
                    (current is None or row["id"] != current["id"]):
                raise wire.invalid({NON_FIELD_ERRORS: [ROUTE_EXISTS]})

    def routes_for(self, user_id: int | None, institution_id: int | None, roles: list[str]) -> list[str]:
        """The routes switched on for a person: global default, then its institution's, then its own."""
        found = []
        for option in self._table.rows():
            if option["institution"] is not None or option["user"] is not None:
                continue
            if not set(option["roles"]) & set(roles):
                continue
            enabled = option["enabled"]
            for scope in ((institution_id, None), (institution_id, user_id)):
                override = next((row for row in self._table.rows()
                                 if row["route"] == option["route"] and (row["institution"], row["user"]) == scope), None)
                if override is not None and institution_id is not None:
                    enabled = override["enabled"]
            if enabled:
                found.append(option["route"])
        return found

    def view(self, row: Row) -> dict[str, Any]:
        roles = row["roles"]
        if row["institution"] is not None:  # institution options inherit the global option's roles
            option = self._global_option(row["route"])
            roles = option["roles"] if option else []
        return {"id": row["id"], "route": row["route"], "enabled": row["enabled"], "roles": list(roles),
                "user": row["user"], "is_global": row["institution"] is None and row["user"] is None}
