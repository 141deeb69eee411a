"""Programs, program enrolments and their suspension: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ...base import mount_base_url
from ..models.common import require
from ..models.programs import CAPABILITY
from .common import USER_KEYS, backend, check, kept_aside, one_of_each, parsed, principal

ENROLMENT_KEYS = (("programid", "programidnumber"), USER_KEYS)
READONLY = ("id", "archived", "timecreated", "timemodified")


def get_program(id: int) -> flask.Response:
    return json_response(backend().get_program(principal(), id))


def list_programs(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc",
                  modifiedsince: int | None = None, idnumber: str | None = None, categoryid: int | None = None,
                  tenantid: int | None = None, visible: bool | None = None) -> flask.Response:
    filters = {"modifiedsince": modifiedsince, "idnumber": idnumber, "categoryid": categoryid, "tenantid": tenantid,
               "visible": visible}
    return json_response(backend().list_programs(principal(), page=page, perpage=perpage, sort=sort, order=order,
                                                 filters=filters))


def create_program() -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    check(data, "ProgramCreate")
    program = backend().create_program(who, data)
    return json_response(program, 201, headers={"Location": f"{mount_base_url()}/program/{program['id']}"})


def update_program(id: int) -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    aside = kept_aside(data, READONLY)
    check(data, "ProgramUpdate")
    return json_response(backend().update_program(who, id, {**data, **aside}))


def create_program_enrolment() -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    one_of_each(data, ENROLMENT_KEYS)
    check(data, "ProgramEnrolmentWrite")
    status, view = backend().enrol_program(who, data)
    return json_response(view, status)


def create_program_suspension() -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    one_of_each(data, ENROLMENT_KEYS)
    check(data, "ProgramSuspension")
    return json_response(backend().suspend_program_user(who, data))
