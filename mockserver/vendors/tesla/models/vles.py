"""VLEs of an institution (§4.2): the LMS installations that talk to TeSLA through an AppRole.

Creating a VLE registers its module credentials (the real server asks Vault for an AppRole and
LTI keys): they are in the create response only, and `POST /api/v2/auth/approle` accepts them
at once. Deleting a VLE removes its AppRole, so its module tokens stop working
(`401 Invalid VLE.`), and everything that hangs from it (its courses, their activities, reports...).
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from ....core.store import Row, Table
from .. import drf
from .lookup import delete_where, institution_pk, institution_row, path_institution
from ..drf import UNIQUE, FieldErrors

VLE_FIELDS = ("id", "type", "lti", "name", "credentials", "url", "client_id")
VLE_TEXT = ("name", "url", "client_id")
VLE_INPUT_ORDER = ("type", "name", "url", "client_id")
VLE_TYPES = {0: "MOODLE"}
VLE_MODULE_DESCRIPTION = "TeSLA VLE"
# The approle answer's `vle`: the general VLE serializer (type as its int, institution as its id).
MODULE_VLE_FIELDS = ("id", "lti", "name", "type", "url", "client_id", "created_at", "updated_at", "institution")


def seed_vle(record: dict[str, Any]) -> Row:
    row: Row = copy.deepcopy(record)
    row.setdefault("updated_at", row["created_at"])
    for name in ("created_at", "updated_at"):
        row[name] = drf.to_micros(row[name])
    return row


def module_name(vle_id: int) -> str:
    """The Vault module a VLE is registered as (`vle_001`)."""
    return f"vle_{vle_id:03d}"


def view_module_vle(row: Row) -> dict[str, Any]:
    return {name: drf.iso(row[name]) if name in ("created_at", "updated_at") else copy.deepcopy(row[name])
            for name in MODULE_VLE_FIELDS}


def view_vle(row: Row, credentials: dict[str, Any] | None = None) -> dict[str, Any]:
    """`credentials` is null except in the create response (the real serializer's behaviour)."""
    view = {name: copy.deepcopy(row.get(name)) for name in VLE_FIELDS}
    view["credentials"] = credentials
    return view


class VleRules:
    """The VLE routes' rules, mixed into the backend (which owns the tables, the seed and the lock)."""

    vles: Table
    approles: Table
    institutions: Table
    seed: int
    lock: Any
    _now: Callable[[], int]
    delete_vle_courses: Callable[[int], None]  # the course rules: a VLE's courses and all under them

    def _secret(self, vle_id: int, purpose: str) -> str:
        """A stable secret per (seed, VLE, purpose): a frozen seed gives the same credentials."""
        digest = hashlib.sha256(f"tesla:{self.seed}:{vle_id}:{purpose}".encode()).digest()
        return str(uuid.UUID(bytes=digest[:16], version=4))

    def list_vles(self, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self.lock:
            return [row for row in self.vles.rows() if row["institution"] == iid]

    def vle(self, segment: str, id_segment: str) -> Row:
        return institution_row(self.vles, segment, id_segment)

    def create_vle(self, segment: str, data: dict[str, Any], errors: FieldErrors, api_url: str) -> tuple[Row, dict[str, Any]]:
        with self.lock:
            iid = path_institution(self.institutions, segment)["id"]
            data = drf.trimmed(data, VLE_TEXT)
            self._validate_vle(data, errors, None)
            vle_id = self.vles.next_id
            url = data.get("url") or None
            lti = {"consumer_key": self._secret(vle_id, "consumer_key"),
                   "consumer_secret": self._secret(vle_id, "consumer_secret")}
            if url:
                lti.update({"auth_login_url": f"{api_url}/lti/login/", "auth_token_url": f"{api_url}/lti/token/",
                            "key_set_url": f"{api_url}/lti/jwks/"})
            now = self._now()
            row = self.vles.insert({"id": None, "institution": iid, "type": int(data["type"]), "name": data["name"],
                                    "url": data.get("url"), "client_id": data.get("client_id"), "lti": lti,
                                    "credentials": None, "created_at": now, "updated_at": now})
            role_id, secret_id = self._secret(row["id"], "role_id"), self._secret(row["id"], "secret_id")
            self.approles.insert({"id": None, "role_id": role_id, "secret_id": secret_id,
                                  "module": module_name(row["id"]), "description": VLE_MODULE_DESCRIPTION,
                                  "apps": [], "services": {}, "vle_id": row["id"]})
            credentials = {"role_id": role_id, "secret_id": secret_id, **copy.deepcopy(lti), "api_url": api_url}
            return row, credentials

    def update_vle(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            row = self.vle(segment, id_segment)
            data = drf.trimmed(data, VLE_TEXT)
            self._validate_vle(data, errors, row)
            changes = {name: data[name] for name in VLE_INPUT_ORDER if name in data}
            if "type" in changes:
                changes["type"] = int(changes["type"])
            return self.vles.update(row["id"], {**changes, "updated_at": self._now()})

    def delete_vle(self, segment: str, id_segment: str) -> None:
        with self.lock:
            row = self.vle(segment, id_segment)
            delete_where(self.approles, "vle_id", row["id"])
            self.delete_vle_courses(row["id"])
            self.vles.delete(row["id"])

    def _validate_vle(self, data: dict[str, Any], errors: FieldErrors, current: Row | None) -> None:
        """Field errors with the global uniqueness of `name`, in serializer order."""
        errors = {k: list(v) for k, v in errors.items()}
        name = data.get("name")
        if isinstance(name, str) and "name" not in errors:
            holder = self.vles.find("name", name)
            if holder is not None and (current is None or holder["id"] != current["id"]):
                errors["name"] = [UNIQUE]
        if errors:
            rank = {field: index for index, field in enumerate(VLE_INPUT_ORDER)}
            raise drf.invalid(dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank)))))
