"""Job assignments: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response, created
from .context import backend, caller
from .request_body import USER_KEYS, write_body

# Equal values pass, others are `readonlyfield` (model).
READONLY = ("id", "userid", "managerid", "tempmanagerid", "sortorder", "timecreated", "timemodified")


def get_job_assignment(id: int) -> flask.Response:
    return json_response(backend().jobs.get_job(caller(), id))


def create_job_assignment() -> flask.Response:
    who, data = write_body("JobAssignmentCreate", (USER_KEYS,))
    return created(backend().jobs.create_job(who, data), "job_assignment")


def create_job_assignments(atomic: bool = False) -> flask.Response:
    who, data = write_body("JobAssignmentBulk", (USER_KEYS,), bulk="job_assignments")
    return bulk_response(backend().jobs.create_jobs(who, data["job_assignments"], atomic=atomic))


def update_job_assignment(id: int) -> flask.Response:
    who, data = write_body("JobAssignmentUpdate", readonly=READONLY)
    return json_response(backend().jobs.update_job(who, id, data))


def delete_job_assignment(id: int) -> flask.Response:
    backend().jobs.delete_job(caller(), id)
    return empty_response(204)


def delete_job_assignments(id: list[int], userid: int | None = None) -> flask.Response:
    return bulk_response(backend().jobs.delete_jobs(caller(), id, userid))
