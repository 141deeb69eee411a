"""Informed consents (`/api/v2/institution/{iid}/ic/`) and their documents (`.../ic/{id}/document/`).

An institution publishes consent versions (`X.Y.Z`, stored normalised: `"01.2.03"` is
`"1.2.3"`), each valid from a moment; `ic/current/` is the highest version already valid on the
mock clock. Each version holds one document per language, looked up by the language itself.
Deleting a version deletes its documents and clears it from the learners who accepted it.
These routes are public on the real server (no permission classes). A learner's IC status
(`ic_status`) is read here too: the learner views, the assessment sessions and the workers ask it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors
from ..listing import ListRules
from .institutions import view_institution
from .lookup import delete_where, institution_pk, institution_row, not_found, parse_pk, path_institution, upstream_crash
from .state import State

CONSENT_COLUMNS = ("id", "institution", "version", "valid_from", "created_at", "updated_at")
CONSENT_INPUT_ORDER = ("version", "valid_from")
DOCUMENT_COLUMNS = ("id", "consent", "language", "html", "pdf", "created_at", "updated_at")
DOCUMENT_INPUT_ORDER = ("language", "html")
VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")
INVALID_VERSION = "Invalid version. Expected X.Y.Z with X, Y and Z integer values"
VERSION_UNIQUE = "The fields institution_id, version must make a unique set."
LANGUAGE_UNIQUE = "The fields consent, language must make a unique set."
INVALID_INSTITUTION = "Invalid institution"
NO_VALID_VERSION = "Invalid version"
WRONG_DATETIME = ("Datetime has wrong format. Use one of these formats instead: "
                  "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")
# Django's parse_datetime, tried after Python's own ISO parser (as Django 4 does).
_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?"
                       r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")
_PLAIN = ListRules(filters=(), search_fields=(), ordering_fields=frozenset(), default_ordering=("id",))
CONSENT_LIST_RULES = {"list_consents": _PLAIN, "list_consent_documents": _PLAIN}


def bare(kind: ErrorKind, text: str) -> MockError:
    """The real view's `Response("text", status=...)`: a bare JSON string body."""
    return MockError(kind, text, extra={"bare": True})


def parse_datetime(value: str) -> int | None:
    """DRF's DateTimeField input as microseconds (naive is UTC); None when it refuses the text
    (or when the moment, in UTC, falls outside the years 1 to 9999 that can be written back)."""
    micros = _parse_datetime(value)
    if micros is None:
        return None
    try:
        wire.iso(micros)
    except (ValueError, OverflowError, OSError):
        return None
    return micros


def _parse_datetime(value: str) -> int | None:
    text = value.strip()
    try:
        return wire.to_micros(text)
    except (ValueError, OverflowError):
        pass
    match = _DATETIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    offset = "+00:00" if zone in (None, "Z") else (zone if len(zone) == 3 else zone[:3] + ":" + zone[-2:])
    iso = f"{int(year):04d}-{int(month):02d}-{int(day):02d}T{int(hour):02d}:{int(minute):02d}:{int(second or 0):02d}"
    try:
        return wire.to_micros(iso + (f".{fraction.ljust(6, '0')}" if fraction else "") + offset)
    except (ValueError, OverflowError):
        return None


def datetime_errors(data: dict[str, Any], errors: FieldErrors, names: tuple[str, ...]) -> FieldErrors:
    """DRF's DateTimeField words for each of `names` that is present and not null."""
    errors = dict(errors)
    for name in names:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or parse_datetime(value) is None:
            errors[name] = [WRONG_DATETIME]
        elif errors.get(name) == ["Invalid value."]:  # a format complaint the parser overrules
            del errors[name]
    return errors


def normalised(version: str) -> str | None:
    """`X.Y.Z` with each part an integer, written without leading zeros (None: not a version)."""
    if not VERSION.match(version):
        return None
    return ".".join(str(int(part)) for part in version.split("."))


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def version_errors(data: dict[str, Any], errors: FieldErrors) -> FieldErrors:
    """The serializer's `validate_version`, which runs only when the field itself is fine."""
    value = data.get("version")
    if isinstance(value, str) and not errors.get("version") and normalised(value.strip()) is None:
        errors = {**errors, "version": [INVALID_VERSION]}
    elif "version" in errors and not errors["version"]:
        errors = {**errors, "version": [INVALID_VERSION]}
    return errors


def consent_tables() -> tuple[Table, Table]:
    consents = Table("consents", unique=[Unique("institution_version", lambda r: (r["institution"], r["version"]))],
                     fields=(*CONSENT_COLUMNS,))
    documents = Table("consent_documents", unique=[Unique("consent_language", lambda r: (r["consent"], r["language"]))],
                      fields=(*DOCUMENT_COLUMNS,))
    return consents, documents


def seed_consent(record: dict[str, Any]) -> Row:
    row: Row = copy.deepcopy(record)
    row["version"] = normalised(row["version"]) or row["version"]
    for name in ("valid_from", "created_at"):
        row[name] = wire.to_micros(row[name])
    row["updated_at"] = wire.to_micros(record.get("updated_at", record["created_at"]))
    return row


def seed_document(record: dict[str, Any]) -> Row:
    row: Row = {"html": None, "pdf": None, **copy.deepcopy(record)}
    row["created_at"] = wire.to_micros(record["created_at"])
    row["updated_at"] = wire.to_micros(record.get("updated_at", record["created_at"]))
    return row


class Consents:
    """The IC routes' rules, and a learner's IC status."""

    def __init__(self, state: State) -> None:
        self._state = state
        self._tables = state.tables

    # -- shared lookups ------------------------------------------------------------------------
    def row(self, consent_id: int | None) -> Row | None:
        return self._tables.consents.get(consent_id) if consent_id is not None else None

    def find(self, iid: int, version: str) -> Row | None:
        """The institution's IC of `version` (normalised first; None when there is none)."""
        return find_consent(self._tables.consents, iid, version)

    def current_of(self, iid: int) -> Row | None:
        now = self._state.now()
        valid = [row for row in self._tables.consents.rows() if row["institution"] == iid and row["valid_from"] <= now]
        return max(valid, key=lambda row: version_key(row["version"]), default=None)

    def status(self, consent: Row | None) -> str:
        """VALID, VALID_NEED_UPDATE (same X.Y as the current one), NOT_VALID or NOT_VALID_YET."""
        if consent is None:
            return "NOT_VALID"
        if consent["valid_from"] > self._state.now():
            return "NOT_VALID_YET"
        current = self.current_of(consent["institution"])
        if current is None:
            return "NOT_VALID"
        if current["id"] == consent["id"]:
            return "VALID"
        if version_key(current["version"])[:2] == version_key(consent["version"])[:2]:
            return "VALID_NEED_UPDATE"
        return "NOT_VALID"

    def summary(self, consent_id: int | None) -> dict[str, Any] | None:
        """A learner's `consent`: `{version, status}` or null."""
        consent = self.row(consent_id)
        return None if consent is None else {"version": consent["version"], "status": self.status(consent)}

    def ic_status(self, learner: Row) -> str:
        """A learner's `ic_status`: VALID_EXTERNAL, NOT_VALID_REJECTED, NOT_VALID_MISSING or its IC's status."""
        institution = self._tables.institutions.get(learner["institution"]) or {}
        if institution.get("external_ic"):
            return "VALID_EXTERNAL"
        if learner["consent_rejected"] is not None:
            return "NOT_VALID_REJECTED"
        consent = self.row(learner["consent"])
        if consent is None:
            return "NOT_VALID_MISSING"
        return self.status(consent)

    # -- consents ------------------------------------------------------------------------------
    def rows(self, segment: str) -> list[Row]:
        iid = institution_pk(segment)
        with self._state.lock:
            return [row for row in self._tables.consents.rows() if row["institution"] == iid]

    def get(self, segment: str, id_segment: str) -> Row:
        return institution_row(self._tables.consents, segment, id_segment)

    def current(self, segment: str) -> Row:
        """`ic/current/`: bare-string 404s, as the real view answers them."""
        with self._state.lock:
            iid = parse_pk(segment)
            if iid is None or iid not in self._tables.institutions:
                raise bare(ErrorKind.NOT_FOUND, INVALID_INSTITUTION)
            row = self.current_of(iid)
            if row is None:
                raise bare(ErrorKind.NOT_FOUND, NO_VALID_VERSION)
            return row

    def create(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        state = self._state
        with state.lock:
            iid = path_institution(self._tables.institutions, segment)["id"]
            version = self._validate(iid, data, errors, None)
            now = state.now()
            return self._tables.consents.insert({"id": None, "institution": iid, "version": version,
                                                 "valid_from": parse_datetime(data["valid_from"]),
                                                 "created_at": now, "updated_at": now})

    def update(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.get(segment, id_segment)
            version = self._validate(row["institution"], data, errors, row)
            changes: Row = {"version": version or row["version"], "updated_at": self._state.now()}
            if "valid_from" in data:
                changes["valid_from"] = parse_datetime(data["valid_from"])
            return self._tables.consents.update(row["id"], changes)

    def delete(self, segment: str, id_segment: str) -> None:
        """The version, its documents, and the learners' hold on it (their `consent` becomes null)."""
        tables = self._tables
        with self._state.lock:
            row = self.get(segment, id_segment)
            delete_where(tables.consent_documents, "consent", row["id"])
            for user in [u for u in tables.users.rows() if u.get("consent") == row["id"]]:
                tables.users.update(user["id"], {"consent": None})
            tables.consents.delete(row["id"])

    def _validate(self, iid: int, data: dict[str, Any], errors: FieldErrors, current: Row | None) -> str | None:
        errors = datetime_errors(data, version_errors(data, errors), ("valid_from",))
        if errors:
            raise wire.invalid(dict(sorted(errors.items(), key=lambda item: _rank(CONSENT_INPUT_ORDER, item[0]))))
        version = normalised(data["version"].strip()) if "version" in data else None
        holder = self._tables.consents.find("institution_version", (iid, version)) if version else None
        if holder is not None and (current is None or holder["id"] != current["id"]):
            raise wire.invalid({NON_FIELD_ERRORS: [VERSION_UNIQUE]})
        return version

    # -- documents -----------------------------------------------------------------------------
    def _consent_of(self, segment: str, consent_segment: str) -> Row | None:
        row = self._tables.consents.get(parse_pk(consent_segment))
        return row if row is not None and row["institution"] == institution_pk(segment) else None

    def documents(self, segment: str, consent_segment: str) -> list[Row]:
        with self._state.lock:
            consent = self._consent_of(segment, consent_segment)
            if consent is None:  # the real list filters on both ids: an unknown IC is an empty page
                return []
            return [row for row in self._tables.consent_documents.rows() if row["consent"] == consent["id"]]

    def document(self, segment: str, consent_segment: str, language: str) -> Row:
        consent = self._consent_of(segment, consent_segment)
        row = self._tables.consent_documents.find("consent_language", (consent["id"], language)) if consent else None
        if row is None:
            raise not_found()
        return row

    def create_document(self, segment: str, consent_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        with self._state.lock:
            consent = self._consent_of(segment, consent_segment)
            self._validate_document(consent, data, errors, None)
            if consent is None:
                if self._state.quirks:
                    raise upstream_crash("an IC document under an unknown IC (foreign key)")
                raise not_found()
            now = self._state.now()
            return self._tables.consent_documents.insert({"id": None, "consent": consent["id"],
                                                          "language": data["language"].strip(),
                                                          "html": data.get("html"), "pdf": None,
                                                          "created_at": now, "updated_at": now})

    def update_document(self, segment: str, consent_segment: str, language: str, data: dict[str, Any],
                        errors: FieldErrors) -> Row:
        with self._state.lock:
            row = self.document(segment, consent_segment, language)
            self._validate_document(self._tables.consents.get(row["consent"]), data, errors, row)
            changes: Row = {"updated_at": self._state.now()}
            if "language" in data:
                changes["language"] = data["language"].strip()
            if "html" in data:
                changes["html"] = data["html"]
            return self._tables.consent_documents.update(row["id"], changes)

    def delete_document(self, segment: str, consent_segment: str, language: str) -> None:
        with self._state.lock:
            self._tables.consent_documents.delete(self.document(segment, consent_segment, language)["id"])

    def _validate_document(self, consent: Row | None, data: dict[str, Any], errors: FieldErrors,
                           current: Row | None) -> None:
        """Field errors; then a taken language, which only the database refuses upstream (a 500)."""
        if errors:
            raise wire.invalid(dict(sorted(errors.items(), key=lambda item: _rank(DOCUMENT_INPUT_ORDER, item[0]))))
        language = data.get("language")
        if consent is None or not isinstance(language, str):
            return
        holder = self._tables.consent_documents.find("consent_language", (consent["id"], language.strip()))
        if holder is not None and (current is None or holder["id"] != current["id"]):
            if self._state.quirks:
                raise upstream_crash("a second IC document in one language (unique index)")
            raise wire.invalid({NON_FIELD_ERRORS: [LANGUAGE_UNIQUE]})

    # -- views ---------------------------------------------------------------------------------
    def view(self, row: Row) -> dict[str, Any]:
        institution = self._tables.institutions.get(row["institution"])
        fields = self._state.fields
        return {"id": row["id"], "institution": view_institution(fields, institution) if institution else None,
                "version": row["version"], "valid_from": wire.iso(row["valid_from"]),
                "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"])}

    def view_document(self, row: Row) -> dict[str, Any]:
        consent = self._tables.consents.get(row["consent"])
        return {"id": row["id"], "consent": self.view(consent) if consent else None,
                "language": row["language"], "html": row["html"], "pdf": row["pdf"],
                "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"])}


def find_consent(consents: Table, iid: int, version: str) -> Row | None:
    """The institution's IC of `version` (normalised first; None when there is none)."""
    key = normalised(version)
    return consents.find("institution_version", (iid, key)) if key else None


def _rank(order: tuple[str, ...], name: str) -> int:
    return order.index(name) if name in order else len(order)
