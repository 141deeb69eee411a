"""Job assignments: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ...base import mount_base_url
from ..models.common import require
from ..models.org import CAPABILITY
from .common import USER_KEYS, backend, bulk_response, check, each_one_of_each, kept_aside, one_of_each, parsed, principal

READONLY = ("id", "userid", "managerid", "tempmanagerid", "sortorder", "timecreated", "timemodified")


def get_job_assignment(id: int) -> flask.Response:
    return json_response(backend().get_job(principal(), id))


def create_job_assignment() -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    one_of_each(data, (USER_KEYS,))
    check(data, "JobAssignmentCreate")
    job = backend().create_job(who, data)
    return json_response(job, 201, headers={"Location": f"{mount_base_url()}/job_assignment/{job['id']}"})


def create_job_assignments(atomic: bool = False) -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    each_one_of_each(data, "job_assignments", (USER_KEYS,))
    check(data, "JobAssignmentBulk")
    return bulk_response(backend().create_jobs(who, data["job_assignments"], atomic=atomic))


def update_job_assignment(id: int) -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    aside = kept_aside(data, READONLY)  # equal values pass, others are `readonlyfield` (model)
    check(data, "JobAssignmentUpdate")
    return json_response(backend().update_job(who, id, {**data, **aside}))


def delete_job_assignment(id: int) -> flask.Response:
    backend().delete_job(principal(), id)
    return empty_response(204)


def delete_job_assignments(id: list[int], userid: int | None = None) -> flask.Response:
    return bulk_response(backend().delete_jobs(principal(), id, userid))
