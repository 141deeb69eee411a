"""VLEs of an institution (`/api/v2/institution/{iid}/vle/`): the LMS installations that talk to
TeSLA through an AppRole.

Creating a VLE registers its module credentials (the real server asks Vault for an AppRole and
LTI keys): they are in the create response only, and `POST /api/v2/auth/approle` accepts them
at once. Deleting a VLE removes its AppRole, so its module tokens stop working
(`401 Invalid VLE.`), and everything that hangs from it (its courses, their activities, reports...).
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from typing import Any

from ....core.store import Row, Table, Unique, exact_key
from .. import wire
from ..wire import UNIQUE, FieldErrors, FieldOrders
from ..listing import ListRules
from .cascades import Cascades
from .lookup import institution_pk, institution_row, path_institution
from .people import in_order
from .state import State

VLE_COLUMNS = ("id", "type", "lti", "name", "credentials", "url", "client_id", "institution", "created_at",
               "updated_at")
VLE_TEXT = ("name", "url", "client_id")
VLE_INPUT_ORDER = ("type", "name", "url", "client_id")
VLE_TYPES = {0: "MOODLE"}
VLE_MODULE_DESCRIPTION = "TeSLA VLE"
# No filter, search or ordering backends on the VLE view.
VLE_LIST_RULES = {"list_vles": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(),
                                         default_ordering=("id",))}


def vle_table() -> Table:
    return Table("vles", unique=[Unique("name", exact_key("name"))], fields=VLE_COLUMNS)


def approle_table() -> Table:
    """Each VLE's module credentials (what Vault keeps upstream)."""
    return Table("approles", unique=[Unique("role_id", exact_key("role_id"))],
                 fields=("id", "role_id", "secret_id", "module", "description", "apps", "services", "vle_id"))


def seed_approle(record: dict[str, Any]) -> Row:
    return {"id": None, "description": VLE_MODULE_DESCRIPTION, "apps": [], "services": {}, **copy.deepcopy(record)}


def seed_vle(record: dict[str, Any]) -> Row:
    row: Row = copy.deepcopy(record)
    row.setdefault("updated_at", row["created_at"])
    for name in ("created_at", "updated_at"):
        row[name] = wire.to_micros(row[name])
    return row


def module_name(vle_id: int) -> str:
    """The Vault module a VLE is registered as (`vle_001`)."""
    return f"vle_{vle_id:03d}"


def view_module_vle(fields: FieldOrders, row: Row) -> dict[str, Any]:
    """The approle answer's `vle`: the general VLE serializer (type as its int, institution as its id)."""
    return {name: wire.iso(row[name]) if name in ("created_at", "updated_at") else copy.deepcopy(row[name])
            for name in fields["ModuleVle"]}


class Vles:
    """The VLE routes' rules."""

    def __init__(self, state: State, cascades: Cascades) -> None:
        self._state = state
        self._table = state.tables.vles
        self._cascades = cascades

    def view(self, row: Row, credentials: dict[str, Any] | None = None) -> dict[str, Any]:
        """`credentials` is null except in the create response (the real serializer's behaviour)."""
        view = {name: copy.deepcopy(row.get(name)) for name in self._state.fields["Vle"]}
        view["credentials"] = credentials
        return view

    def _secret(self, vle_id: int, purpose: str) -> str:
        """A stable secret per (seed, VLE, purpose): a frozen seed gives the same credentials."""
        digest = hashlib.sha256(f"tesla:{self._state.seed}:{vle_id}:{purpose}".encode()).digest()
        return str(uuid.UUID(bytes=digest[:16], version=4))

    def rows(self, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self._state.lock:
            return [row for row in self._table.rows() if row["institution"] == iid]

    def get(self, segment: str | int, id_segment: str | int) -> Row:
        return institution_row(self._table, segment, id_segment)

    def create(self, segment: str, data: dict[str, Any], errors: FieldErrors, api_url: str) -> tuple[Row, dict[str, Any]]:
        state = self._state
        with state.lock:
            iid = path_institution(state.tables.institutions, segment)["id"]
            data = wire.trimmed(data, VLE_TEXT)
            self._validate(data, errors, None)
            vle_id = self._table.next_id
            url = data.get("url") or None
            lti = {"consumer_key": self._secret(vle_id, "consumer_key"),
                   "consumer_secret": self._secret(vle_id, "consumer_secret")}
            if url:
                lti.update({"auth_login_url": f"{api_url}/lti/login/", "auth_token_url": f"{api_url}/lti/token/",
                            "key_set_url": f"{api_url}/lti/jwks/"})
            now = state.now()
            row = self._table.insert({"id": None, "institution": iid, "type": int(data["type"]), "name": data["name"],
                                      "url": data.get("url"), "client_id": data.get("client_id"), "lti": lti,
                                      "credentials": None, "created_at": now, "updated_at": now})
            role_id, secret_id = self._secret(row["id"], "role_id"), self._secret(row["id"], "secret_id")
            state.tables.approles.insert({"id": None, "role_id": role_id, "secret_id": secret_id,
                                          "module": module_name(row["id"]), "description": VLE_MODULE_DESCRIPTION,
                                          "apps": [], "services": {}, "vle_id": row["id"]})
            credentials = {"role_id": role_id, "secret_id": secret_id, **copy.deepcopy(lti), "api_url": api_url}
            return row, credentials

    def update(self, segment: str | int, id_segment: str | int, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.get(segment, id_segment)
            data = wire.trimmed(data, VLE_TEXT)
            self._validate(data, errors, row)
            changes = {name: data[name] for name in VLE_INPUT_ORDER if name in data}
            if "type" in changes:
                changes["type"] = int(changes["type"])
            return self._table.update(row["id"], {**changes, "updated_at": self._state.now()})

    def delete(self, segment: str | int, id_segment: str | int) -> None:
        """The VLE, its AppRole (its module tokens stop working) and its courses with all under them."""
        with self._state.lock:
            self._cascades.delete_vle(self.get(segment, id_segment)["id"])

    def _validate(self, data: dict[str, Any], errors: FieldErrors, current: Row | None) -> None:
        """Field errors with the global uniqueness of `name`, in serializer order."""
        errors = {k: list(v) for k, v in errors.items()}
        name = data.get("name")
        if isinstance(name, str) and "name" not in errors:
            holder = self._table.find("name", name)
            if holder is not None and (current is None or holder["id"] != current["id"]):
                errors["name"] = [UNIQUE]
        if errors:
            raise wire.invalid(in_order(errors, VLE_INPUT_ORDER))
