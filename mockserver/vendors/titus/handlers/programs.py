"""Programs, program enrolments and their suspension: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ..wire import created
from .context import backend, caller
from .request_body import USER_KEYS, write_body

ENROLMENT_KEYS = (("programid", "programidnumber"), USER_KEYS)
READONLY = ("id", "archived", "timecreated", "timemodified")


def get_program(id: int) -> flask.Response:
    return json_response(backend().programs.get_program(caller(), id))


def list_programs(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc",
                  modifiedsince: int | None = None, idnumber: str | None = None, categoryid: int | None = None,
                  tenantid: int | None = None, visible: bool | None = None) -> flask.Response:
    filters = {"modifiedsince": modifiedsince, "idnumber": idnumber, "categoryid": categoryid, "tenantid": tenantid,
               "visible": visible}
    return json_response(backend().programs.list_programs(caller(), page=page, perpage=perpage, sort=sort,
                                                          order=order, filters=filters))


def create_program() -> flask.Response:
    who, data = write_body("ProgramCreate")
    return created(backend().programs.create_program(who, data), "program")


def update_program(id: int) -> flask.Response:
    who, data = write_body("ProgramUpdate", readonly=READONLY)
    return json_response(backend().programs.update_program(who, id, data))


def create_program_enrolment() -> flask.Response:
    who, data = write_body("ProgramEnrolmentWrite", ENROLMENT_KEYS)
    status, view = backend().programs.enrol_program(who, data)
    return json_response(view, status)


def create_program_suspension() -> flask.Response:
    who, data = write_body("ProgramSuspension", ENROLMENT_KEYS)
    return json_response(backend().programs.suspend_program_user(who, data))
