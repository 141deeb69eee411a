"""The TeSLA seed (fixtures/tesla.yaml, grown by fixtures/make_tesla.py): tests derive counts and
ids from it instead of spelling out what the generator wrote."""

from __future__ import annotations

from typing import Any

from mockserver.config import Settings
from mockserver.core.schema import SAFE_LOADER
from mockserver.core.yamlcache import load_yaml


def _seed() -> dict[str, Any]:
    # Read as the server reads its fixtures (yamlcache: parsed once per content, then JSON): every
    # xdist worker imports this while collecting.
    return load_yaml(Settings().fixtures / "tesla.yaml", SAFE_LOADER)


SEED = _seed()
LEARNER_IDS = {record["id"] for record in SEED["learners"]}
NEXT_USER_ID = max(record["id"] for record in SEED["users"]) + 1  # users, learners and instructors share it
VLE_INSTITUTION = {record["id"]: record["institution"] for record in SEED["vles"]}


def users_of(institution: int) -> list[dict[str, Any]]:
    """The institution's seeded users (learners and instructors included), by id."""
    return sorted((u for u in SEED["users"] if u.get("institution") == institution), key=lambda u: u["id"])


def user_ids(institution: int) -> list[int]:
    return [u["id"] for u in users_of(institution)]


def learner_ids(institution: int) -> list[int]:
    return [uid for uid in user_ids(institution) if uid in LEARNER_IDS]


def instructor_ids(institution: int) -> list[int]:
    return [u["id"] for u in users_of(institution) if u.get("instructor")]


def course_ids(institution: int) -> list[int]:
    return sorted(c["id"] for c in SEED["courses"] if VLE_INSTITUTION[c["vle"]] == institution)


def ids_where(section: str, **match: Any) -> list[int]:
    """Ids of a section's records whose fields equal `match` (a missing field counts as None)."""
    return sorted(r["id"] for r in SEED[section] if all(r.get(k) == v for k, v in match.items()))


def next_id(section: str) -> int:
    """An id no seeded record of `section` has (the next one the sequence would give)."""
    return max(r["id"] for r in SEED[section]) + 1
