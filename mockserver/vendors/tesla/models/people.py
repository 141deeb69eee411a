"""What the user, instructor and learner modules share about a person: one id space in one table.

A person is a row of the users table; `instructor` and `learner` are roles on it, so the same id is
`/user/{id}/`, `/instructor/{id}/` and `/learner/{id}/`. Learners carry a few columns more
(`learner_id`, a UUID; `consent`, `consent_accepted`, `consent_rejected`; `joined_at`).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from ....core.store import Row, Table
from .. import wire
from ..wire import NON_FIELD_ERRORS, UNIQUE, FieldErrors
from .lookup import UNIQUE_TOGETHER, parse_pk

OUTSIDE_DOMAIN = "Provided email does not belong to institution domain"


def password_hash(password: str) -> str:
    return "sha256$" + hashlib.sha256(password.encode("utf-8", "surrogatepass")).hexdigest()


def learner_uuid(seed: int, user_id: int) -> str:
    """A stable `learner_id` per (seed, person): a fixed seed gives the same UUIDs."""
    digest = hashlib.sha256(f"tesla:{seed}:learner:{user_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def learner_in(users: Table, iid: int, segment: str | int | None) -> Row | None:
    """The learner a path segment names in institution `iid`, or None."""
    row = users.get(parse_pk(segment))
    return row if row is not None and row["institution"] == iid and row.get("learner") else None


def learner_by_uuid(users: Table, learner_id: str) -> Row | None:
    """The learner a `learners` token or a learner API path names (its UUID)."""
    return next((row for row in users.rows() if row.get("learner") and row.get("learner_id") == learner_id), None)


def outside_domain(email: Any, mail_domain: str | None) -> bool:
    """The institution's `mail_domain`, when set, must be the address's domain (case-insensitive)."""
    if not mail_domain or not isinstance(email, str) or "@" not in email:
        return False
    return email.rsplit("@", 1)[1].casefold() != mail_domain.casefold()


def in_order(errors: FieldErrors, order: tuple[str, ...]) -> FieldErrors:
    """Field errors in the serializer's field order (unknown names last)."""
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def validate_person(users: Table, data: dict[str, Any], errors: FieldErrors, institution: Row | None,
                    current: Row | None, order: tuple[str, ...], email_indexes: tuple[str, ...] = ("email",)) -> None:
    """An instructor's or learner's checks: field errors (the email held by nobody else under any of
    `email_indexes`, then in the institution's domain), then (institution, uid); 400 on the first stage."""
    ignore = current["id"] if current else None
    errors = {k: list(v) for k, v in errors.items()}
    email = data.get("email")
    if isinstance(email, str) and "email" not in errors:
        holders = [users.find(index, email) for index in email_indexes]
        if any(holder is not None and holder["id"] != ignore for holder in holders):
            errors["email"] = [UNIQUE]
        elif outside_domain(email, institution["mail_domain"] if institution else None):
            errors["email"] = [OUTSIDE_DOMAIN]
    if errors:
        raise wire.invalid(in_order(errors, order))
    iid = current["institution"] if current else (institution or {}).get("id")
    uid = data.get("uid", current["uid"] if current else None)
    holder = users.find("institution_uid", (iid, uid)) if uid else None
    if holder is not None and holder["id"] != ignore:
        raise wire.invalid({NON_FIELD_ERRORS: [UNIQUE_TOGETHER]})
