"""Cohort memberships: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.common import require
from .common import USER_KEYS, backend, bulk_response, check, each_one_of_each, one_of_each, parsed, principal

CAPABILITY = "moodle/cohort:assign"
KEY_GROUPS = (("cohortid", "cohortidnumber"), USER_KEYS)


def create_cohort_membership() -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    one_of_each(data, KEY_GROUPS)
    check(data, "CohortMembershipWrite")
    status, view = backend().add_cohort_member(who, data)
    return json_response(view, status)


def create_cohort_memberships(atomic: bool = False) -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    each_one_of_each(data, "cohort_memberships", KEY_GROUPS)
    check(data, "CohortMembershipBulk")
    return bulk_response(backend().add_cohort_members(who, data["cohort_memberships"], atomic=atomic),
                         key="cohortid,userid")


def delete_cohort_membership(cohortid: int, userid: int) -> flask.Response:
    backend().remove_cohort_member(principal(), cohortid, userid)
    return empty_response(204)


def delete_cohort_memberships(cohortid: int, userid: list[int]) -> flask.Response:
    return bulk_response(backend().remove_cohort_members(principal(), cohortid, userid), key="cohortid,userid")
