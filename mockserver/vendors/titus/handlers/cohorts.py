"""Cohort memberships: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response
from .context import backend, caller
from .request_body import USER_KEYS, write_body

KEY_GROUPS = (("cohortid", "cohortidnumber"), USER_KEYS)


def create_cohort_membership() -> flask.Response:
    who, data = write_body("CohortMembershipWrite", KEY_GROUPS)
    status, view = backend().cohorts.add_cohort_member(who, data)
    return json_response(view, status)


def create_cohort_memberships(atomic: bool = False) -> flask.Response:
    who, data = write_body("CohortMembershipBulk", KEY_GROUPS, bulk="cohort_memberships")
    return bulk_response(backend().cohorts.add_cohort_members(who, data["cohort_memberships"], atomic=atomic),
                         key="cohortid,userid")


def delete_cohort_membership(cohortid: int, userid: int) -> flask.Response:
    backend().cohorts.remove_cohort_member(caller(), cohortid, userid)
    return empty_response(204)


def delete_cohort_memberships(cohortid: int, userid: list[int]) -> flask.Response:
    return bulk_response(backend().cohorts.remove_cohort_members(caller(), cohortid, userid),
                         key="cohortid,userid")
