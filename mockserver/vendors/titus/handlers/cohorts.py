"""Cohort memberships: operationId -> model call -> JSON."""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import empty_response, json_response
from ....core.errors import ErrorKind, MockError
from ..models.common import require
from .common import backend, bulk_response, check, parsed, principal

CAPABILITY = "moodle/cohort:assign"
KEY_GROUPS = (("cohortid", "cohortidnumber"), ("userid", "username", "useridnumber"))


def _one_of_each(item: Any, index: int | None = None) -> None:
    """The design's own codes for a missing or doubled reference (the schema says it too)."""
    if not isinstance(item, dict):
        return
    extra: dict[str, Any] = {"exception": "invalid_parameter_exception"}
    if index is not None:
        extra["index"] = index
    for keys in KEY_GROUPS:
        named = [key for key in keys if key in item]
        if not named:
            raise MockError(ErrorKind.BAD_REQUEST, f"Give one of {', '.join(keys)}", code="missingreference", extra=extra)
        if len(named) > 1:
            raise MockError(ErrorKind.BAD_REQUEST, f"Give only one of {', '.join(named)}", code="ambiguousreference",
                            extra=extra)


def create_cohort_membership() -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    _one_of_each(data)
    check(data, "CohortMembershipWrite")
    status, view = backend().add_cohort_member(who, data)
    return json_response(view, status)


def create_cohort_memberships(atomic: bool = False) -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    if isinstance(data, dict) and isinstance(data.get("cohort_memberships"), list):
        for index, item in enumerate(data["cohort_memberships"]):
            _one_of_each(item, index)
    check(data, "CohortMembershipBulk")
    return bulk_response(backend().add_cohort_members(who, data["cohort_memberships"], atomic=atomic),
                         key="cohortid,userid")


def delete_cohort_membership(cohortid: int, userid: int) -> flask.Response:
    backend().remove_cohort_member(principal(), cohortid, userid)
    return empty_response(204)


def delete_cohort_memberships(cohortid: int, userid: list[int]) -> flask.Response:
    return bulk_response(backend().remove_cohort_members(principal(), cohortid, userid), key="cohortid,userid")
