"""TeSLA CE state and rules: institutions, users, VLEs and app roles. No HTTP in here.

Users share one id sequence, as Django's `auth_user` does: global admins (`is_staff`, no
institution) and institution users live in one table. Validation follows DRF's order: field
errors (with uniqueness) first, then unique-together, then the serializer's own `validate`.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from ....core.clock import Clock
from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, exact_key
from ...base import Backend
from .. import drf
from .lookup import UNIQUE_TOGETHER, institution_pk, not_found, parse_pk, path_institution, upstream_crash
from ..drf import NON_FIELD_ERRORS, NULL, REQUIRED, UNIQUE, FieldErrors
from .instructors import InstructorRules
from ..listing import Filter, ListRules
from ..permissions import Principal
from .vles import VLE_FIELDS, VLE_MODULE_DESCRIPTION, VleRules, seed_vle, view_module_vle
from .course_tree import COURSE_TREE_LIST_RULES, CourseTreeRules
from .learner_tree import LEARNER_TREE_LIST_RULES, LearnerTreeRules
from .assessment import Assessments, session_table
from .attachments import Attachments
from .samples import Samples
from .storage import Storage, storage_table
from .workers import Workers, alert_table
from .vle_lists import VLE_LIST_RULES
from ..tokens import InvalidToken, TokenSigner, access_claims, crashes_upstream, is_refresh, refresh_claims

INSTITUTION_FLAGS = (
    "external_ic", "disable_vle_learner_creation", "disable_vle_instructor_creation",
    "disable_vle_user_creation", "allow_learner_report", "allow_learner_audit", "allow_valid_audit",
)
INSTITUTION_FIELDS = ("id", "acronym", "name", "external_ic", "mail_domain", *INSTITUTION_FLAGS[1:],
                      "allowed_domains", "created_at", "updated_at")
INSTITUTION_WRITABLE = ("external_ic", "mail_domain", *INSTITUTION_FLAGS[1:], "allowed_domains")
USER_FLAGS = ("login_allowed", "inst_admin", "legal_admin", "send_admin", "data_admin")
USER_FIELDS = ("id", "username", "last_login", "first_name", "last_name", "uid", "email", *USER_FLAGS,
               "locale", "created_at", "updated_at")
USER_TEXT = ("username", "first_name", "last_name", "uid", "email", "locale")
USER_WRITABLE = (*USER_TEXT, *USER_FLAGS)
# The user serializer's input fields in its order: the order of its field errors.
USER_INPUT_ORDER = ("username", "password", "password2", "first_name", "last_name", "uid", "email", *USER_FLAGS, "locale")
DATETIMES = frozenset({"created_at", "updated_at", "last_login"})

# Input the real server accepts but cannot store (NOT NULL columns): 500 there, 400 here by
# default, the 500 again with the `quirks` setting.
CREATE_CRASH_FIELDS = ("password", "first_name", "last_name", "email")
UPDATE_CRASH_FIELDS = ("first_name", "last_name", "email")

PASSWORDS_DIFFER = "Passwords does not match"
INVALID_CREDENTIALS = "Invalid credentials"
CANNOT_DELETE_SELF = "Cannot delete yourself"

GLOBAL_ADMIN_SCOPE = ["/api/v2/admin/*", "/api/v2/institution/*"]
MODULE_SCOPE = ["/api/*"]
REFRESH_MINUTES = {"admin": 60, "user": 24 * 60, "vle": 120}

# Role filter values of the user list, as predicates on a user row.
ROLES = {
    "ADMIN": lambda row: row["inst_admin"],
    "SEND": lambda row: row["send_admin"],
    "LEGAL": lambda row: row["legal_admin"],
    "DATA": lambda row: row["data_admin"],
    "INSTRUCTOR": lambda row: row["instructor"],
    "LEARNER": lambda row: row["learner"],
}
USER_TEXT_FILTERS = ("username", "first_name", "last_name", "email", "uid")
# How each list endpoint filters, searches and orders (its viewset's filter configuration).
LIST_RULES: dict[str, ListRules] = {
    "list_institutions": ListRules(
        filters=(Filter("acronym", "exact"), Filter("name", "exact")),
        search_fields=("acronym", "name"),
        ordering_fields=frozenset(INSTITUTION_FIELDS),
        default_ordering=("created_at",),
    ),
    "list_users": ListRules(
        filters=(*(Filter(name, "icontains") for name in USER_TEXT_FILTERS), Filter("roles", "choice", ROLES)),
        search_fields=USER_TEXT_FILTERS,
        ordering_fields=frozenset(USER_FIELDS),
        default_ordering=("id",),
    ),
    # No filter, search or ordering backends on the instructor and VLE views.
    "list_vles": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(), default_ordering=("id",)),
    "list_instructors": ListRules(filters=(), search_fields=(), ordering_fields=frozenset(), default_ordering=("id",)),
}
LIST_RULES.update(COURSE_TREE_LIST_RULES)
LIST_RULES.update(LEARNER_TREE_LIST_RULES)
LIST_RULES.update(VLE_LIST_RULES)


def approle_metadata(record: Row, vle: Row, institution: Row, domain: str) -> dict[str, Any]:
    """What Vault holds for a VLE module, in its order: the module entry written when the VLE was
    registered (`domain` is `<module>.<TESLA_DOMAIN>`) and the VLE's and institution's names and ids."""
    return {"module": record["module"], "description": record["description"], "config": {"TESLA_DOMAIN": domain},
            "apps": copy.deepcopy(record["apps"]), "services": copy.deepcopy(record["services"]),
            "domain": f"{record['module']}.{domain}", "vle_name": vle["name"], "vle_id": vle["id"],
            "vle_url": vle["url"], "institution_acronym": institution.get("acronym"),
            "institution_id": institution.get("id")}


def unauthorized(detail: str) -> MockError:
    return MockError(ErrorKind.UNAUTHORIZED, detail)


def invalid_credentials() -> MockError:
    return MockError(ErrorKind.UNAUTHORIZED, INVALID_CREDENTIALS, extra={"bare": True})


def password_hash(password: str) -> str:
    return "sha256$" + hashlib.sha256(password.encode("utf-8", "surrogatepass")).hexdigest()


def _institution_uid(row: Row) -> tuple[int, str] | None:
    return (row["institution"], row["uid"]) if row.get("institution") is not None and row.get("uid") else None


class TeslaBackend(CourseTreeRules, LearnerTreeRules, InstructorRules, VleRules, Backend):
    def __init__(self, fixtures: dict[str, Any], clock: Clock, seed: int, quirks: bool = False) -> None:
        super().__init__(clock, seed)
        self.quirks = quirks
        self.signer = TokenSigner(seed)
        self.institutions = self.add_table(Table(
            "institutions", unique=[Unique("acronym", exact_key("acronym"))], fields=INSTITUTION_FIELDS))
        self.users = self.add_table(Table("users", unique=[
            Unique("username", exact_key("username")),
            Unique("email", exact_key("email")),
            Unique("institution_uid", _institution_uid),
        ], fields=(*USER_FIELDS, "is_staff", "institution", "password_hash", "instructor", "learner")))
        self.vles = self.add_table(Table(
            "vles", unique=[Unique("name", exact_key("name"))],
            fields=(*VLE_FIELDS, "institution", "created_at", "updated_at")))
        self.approles = self.add_table(Table(
            "approles", unique=[Unique("role_id", exact_key("role_id"))],
            fields=("id", "role_id", "secret_id", "module", "description", "apps", "services", "vle_id")))
        self.add_course_tree_tables()
        self.add_learner_tree_tables()
        # Composed rules of the VLE API's session actions, the learner API and the workers.
        self.storage = Storage(self.add_table(storage_table()), seed)
        self.assessments = Assessments(self, self.add_table(session_table()), self.storage)
        self.samples = Samples(self, self.storage)
        self.attachments = Attachments(self, self.samples)
        self.workers = Workers(self, self.storage, self.add_table(alert_table()))
        self._load(fixtures)

    # -- seed ----------------------------------------------------------------------------------
    def _load(self, fixtures: dict[str, Any]) -> None:
        for record in fixtures.get("institutions", []):
            row: Row = {flag: False for flag in INSTITUTION_FLAGS}
            row.update({"mail_domain": None, "allowed_domains": None, **copy.deepcopy(record)})
            row["created_at"] = drf.to_micros(record["created_at"])
            row["updated_at"] = drf.to_micros(record.get("updated_at", record["created_at"]))
            self.institutions.insert(row)
        for record in fixtures.get("users", []):
            self.users.insert(self._seed_user(record))
        for record in fixtures.get("vles", []):
            self.vles.insert(seed_vle(record))
        for record in fixtures.get("approles", []):
            self.approles.insert({"id": None, "description": VLE_MODULE_DESCRIPTION, "apps": [], "services": {},
                                  **copy.deepcopy(record)})
        self.load_course_tree(fixtures)
        self.load_learner_tree(fixtures, password_hash)

    @staticmethod
    def _seed_user(record: dict[str, Any]) -> Row:
        row: Row = {flag: False for flag in USER_FLAGS}
        row.update({"is_staff": False, "institution": None, "uid": None, "locale": None, "last_login": None,
                    "instructor": False, "learner": False})
        row.update(copy.deepcopy({k: v for k, v in record.items() if k != "password"}))
        row["password_hash"] = password_hash(record["password"]) if record.get("password") else None
        for name in DATETIMES:
            if isinstance(row.get(name), str):
                row[name] = drf.to_micros(row[name])
        row.setdefault("updated_at", row["created_at"])
        return row

    def _now(self) -> int:
        return drf.micros_now(self.clock.now())

    # -- tokens and principals -----------------------------------------------------------------
    def token_pair(self, claims: dict[str, Any], refresh_minutes: int) -> dict[str, str]:
        return {"access_token": self.signer.issue(claims),
                "refresh_token": self.signer.issue(refresh_claims(claims, refresh_minutes))}

    def login(self, email: str, password: str) -> dict[str, Any]:
        with self.lock:
            row = self.users.find("email", email)
            if row is None or row["password_hash"] is None or row["password_hash"] != password_hash(password):
                raise invalid_credentials()
            if not row["is_staff"] and not (row["institution"] is not None and (row["login_allowed"] or row["inst_admin"])):
                raise invalid_credentials()
            iat = int(self.clock.now())
            if row["is_staff"]:
                claims = access_claims(group="users", sub=row["username"], type_="admin", pk=row["id"],
                                       scope=GLOBAL_ADMIN_SCOPE, iat=iat)
            else:
                claims = access_claims(group="users", sub=row["uid"], type_="user", pk=row["id"],
                                       scope=[f"/api/v2/institution/{row['institution']}/*"], iat=iat)
            self.users.update(row["id"], {"last_login": self._now()})
            return {"token": self.token_pair(claims, REFRESH_MINUTES[claims["type"]])}

    def approle(self, role_id: str, secret_id: str, domain: str) -> dict[str, Any]:
        """The module's Vault metadata, its VLE and a token pair; `domain` is the TESLA_DOMAIN the
        answer names (the host the request came to: the mock has no configured domain)."""
        with self.lock:
            record = self.approles.find("role_id", role_id)
            vle = self.vles.get(record["vle_id"]) if record else None
            if record is None or record["secret_id"] != secret_id or vle is None:
                raise invalid_credentials()
            claims = access_claims(group="module_api", sub="api", type_="vle", pk=vle["id"], scope=MODULE_SCOPE,
                                   iat=int(self.clock.now()))
            institution = self.institutions.get(vle["institution"]) or {}
            return {**approle_metadata(record, vle, institution, domain), "type": "vle", "pk": vle["id"],
                    "vle": view_module_vle(vle), "token": self.token_pair(claims, REFRESH_MINUTES["vle"])}

    def refresh(self, access_token: str, refresh_token: str) -> dict[str, Any]:
        """A new access token when both tokens are ours and speak for the same principal."""
        forbidden = MockError(ErrorKind.FORBIDDEN, "You do not have permission to perform this action.")
        try:
            refresh = self.signer.verify(refresh_token, self.clock.now())
            access = self.signer.verify(access_token, None)  # an expired access token is the point
        except InvalidToken:
            raise forbidden from None
        same = all(access[k] == refresh[k] for k in ("group", "type", "pk"))
        if not is_refresh(refresh) or is_refresh(access) or not same:
            raise forbidden
        claims = access_claims(group=access["group"], sub=access["sub"], type_=access["type"], pk=access["pk"],
                               scope=access["scope"], iat=int(self.clock.now()))
        claims["exp"] = claims["iat"] + refresh["ttl"] * 60
        claims["filters"] = access["filters"]
        return {"token": {"access_token": self.signer.issue(claims), "refresh_token": refresh_token}}

    def principal_for(self, token: str) -> Principal:
        try:
            claims = self.signer.verify(token, self.clock.now())
        except InvalidToken:
            if self.quirks and crashes_upstream(token):
                raise upstream_crash("a token the real validator cannot parse") from None
            raise unauthorized("Invalid token: Invalid JWT token") from None
        group, kind, pk = claims["group"], claims["type"], claims["pk"]
        with self.lock:
            if group == "users":
                row = self.users.get(pk) if kind == "admin" else self._user_by_uid(claims["sub"], pk)
                if row is None:
                    raise unauthorized("Invalid user.")
                return self._principal(row)
            if group == "learners":
                row = self.learner_by_uuid(claims["sub"])
                if row is None:
                    raise unauthorized("Invalid learner.")
                return self._principal(row)
            if group.startswith("module_"):
                if kind == "vle" and self.vles.get(pk) is not None:
                    return Principal("module", vle_id=pk)
                raise unauthorized({"vle": "Invalid VLE.", "provider": "Invalid provider."}.get(kind, "Invalid module type."))
            raise unauthorized("Invalid payload group.")

    def _user_by_uid(self, uid: str, pk: Any) -> Row | None:
        """By `uid` among all institutions' users, then by id (the real lookup is global)."""
        matches = [row for iid in self.institutions.rows()
                   if (row := self.users.find("institution_uid", (iid["id"], uid))) is not None]
        if len(matches) > 1:
            if self.quirks:
                raise upstream_crash(f"uid {uid!r} is used in several institutions")
            matches = [row for row in matches if row["id"] == pk]
        if matches:
            return matches[0]
        row = self.users.get(pk)
        return row if row is not None and row["institution"] is not None else None

    @staticmethod
    def _principal(row: Row) -> Principal:
        if row["is_staff"]:
            return Principal("admin", user_id=row["id"])
        if row["institution"] is None:
            return Principal("user", user_id=row["id"])
        return Principal("member", user_id=row["id"], institution_id=row["institution"],
                         learner=bool(row.get("learner")),
                         **{flag: row[flag] for flag in USER_FLAGS if flag != "login_allowed"})

    def delete_assessment_data(self, field: str, value: int) -> None:
        """An activity's or a learner's assessment sessions (with their files) and alerts (cascades)."""
        self.assessments.delete_where(field, value)
        self.workers.delete_where(field, value)

    # -- views ---------------------------------------------------------------------------------
    @staticmethod
    def view_institution(row: Row) -> dict[str, Any]:
        return {name: drf.iso(row[name]) if name in DATETIMES else row[name] for name in INSTITUTION_FIELDS}

    @staticmethod
    def view_user(row: Row) -> dict[str, Any]:
        return {name: drf.iso(row[name]) if name in DATETIMES else row[name] for name in USER_FIELDS}

    # -- institutions --------------------------------------------------------------------------
    def list_institutions(self) -> list[Row]:
        with self.lock:
            return list(self.institutions.rows())

    def institution(self, segment: str) -> Row:
        return path_institution(self.institutions, segment)

    def update_institution(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            row = self.institution(segment)
            if errors:
                raise drf.invalid(errors)
            data = drf.trimmed(data, ("mail_domain", "allowed_domains"))
            changes = {name: data[name] for name in INSTITUTION_WRITABLE if name in data}
            return self.institutions.update(row["id"], {**changes, "updated_at": self._now()})

    # -- institution users ---------------------------------------------------------------------
    @staticmethod
    def _visible(principal: Principal, iid: int, row: Row | None) -> bool:
        return (row is not None and row["institution"] == iid
                and (principal.sees_all_users or row["id"] == principal.user_id))

    def list_users(self, principal: Principal, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self.lock:
            return [row for row in self.users.rows() if self._visible(principal, iid, row)]

    def user(self, principal: Principal, segment: str, id_segment: str) -> Row:
        iid = institution_pk(segment)
        row = self.users.get(parse_pk(id_segment))
        if not self._visible(principal, iid, row):
            raise not_found()
        return row  # type: ignore[return-value]

    def create_user(self, principal: Principal, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self.lock:
            iid = path_institution(self.institutions, segment)["id"]
            errors = self._crash_errors_kept_for_save(errors, CREATE_CRASH_FIELDS, (REQUIRED, NULL))
            data = drf.trimmed(data, USER_TEXT)
            self._validate_user(data, errors, iid, None)
            if self.quirks and any(data.get(name) is None for name in CREATE_CRASH_FIELDS):
                raise upstream_crash("user created without password, first_name, last_name or email")
            now = self._now()
            row: Row = {"id": None, **{flag: False for flag in USER_FLAGS}, "locale": None, "last_login": None}
            row.update({name: data[name] for name in USER_WRITABLE if name in data})
            row.update({"is_staff": False, "institution": iid, "instructor": False, "learner": False,
                        "created_at": now, "updated_at": now})
            row["password_hash"] = password_hash(data["password"]) if row["login_allowed"] else None
            return self.users.insert(row)

    def update_user(self, principal: Principal, segment: str, id_segment: str, data: dict[str, Any],
                    errors: FieldErrors) -> Row:
        with self.lock:
            row = self.user(principal, segment, id_segment)
            errors = self._crash_errors_kept_for_save(errors, UPDATE_CRASH_FIELDS, (NULL,))
            data = drf.trimmed(data, USER_TEXT)
            self._validate_user(data, errors, row["institution"], row)
            if self.quirks and any(name in data and data[name] is None for name in UPDATE_CRASH_FIELDS):
                raise upstream_crash("first_name, last_name or email set to null")
            changes = {name: data[name] for name in USER_WRITABLE if name in data}
            login_allowed = changes.get("login_allowed", row["login_allowed"])
            if not login_allowed and ("login_allowed" in changes or "password" in data):
                changes["password_hash"] = None  # ignored and made unusable
            elif data.get("password") is not None:
                changes["password_hash"] = password_hash(data["password"])
            return self.users.update(row["id"], {**changes, "updated_at": self._now()})

    def delete_user(self, principal: Principal, segment: str, id_segment: str) -> None:
        with self.lock:
            row = self.user(principal, segment, id_segment)
            if row["id"] == principal.user_id:
                raise MockError(ErrorKind.FORBIDDEN, CANNOT_DELETE_SELF)
            self.delete_person(row["id"])  # the learner rules: with its SEND data and enrolments

    def _crash_errors_kept_for_save(self, errors: FieldErrors, names: tuple[str, ...],
                                    messages: tuple[str, ...]) -> FieldErrors:
        """With quirks, a missing or null NOT NULL value passes validation and fails at save."""
        return drf.errors_passed_to_save(errors, names, messages) if self.quirks else errors

    def _validate_user(self, data: dict[str, Any], errors: FieldErrors, iid: int, current: Row | None) -> None:
        """Uniqueness per field, then (institution, uid), then the password rule; 400 on the first stage that fails."""
        ignore = current["id"] if current else None
        errors = {k: list(v) for k, v in errors.items()}
        for name in ("username", "email"):
            value = data.get(name)
            holder = self.users.find(name, value) if isinstance(value, str) and name not in errors else None
            if holder is not None and holder["id"] != ignore:
                errors[name] = [UNIQUE]
        if errors:
            raise drf.invalid(_in_field_order(errors))
        uid = data.get("uid", current["uid"] if current else None)
        holder = self.users.find("institution_uid", (iid, uid)) if uid else None
        if holder is not None and holder["id"] != ignore:
            raise drf.invalid({NON_FIELD_ERRORS: [UNIQUE_TOGETHER]})
        if data.get("login_allowed") is True and data.get("password") != data.get("password2"):
            raise drf.invalid({NON_FIELD_ERRORS: [PASSWORDS_DIFFER]})



def _in_field_order(errors: FieldErrors) -> FieldErrors:
    rank = {name: index for index, name in enumerate(USER_INPUT_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))
