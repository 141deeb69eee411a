"""Tenants: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ..wire import created
from .context import backend, caller
from .request_body import write_body

READONLY = ("id", "categoryid", "cohortid", "timecreated", "timemodified")


def get_tenant(id: int) -> flask.Response:
    return json_response(backend().tenants.get_tenant(caller(), id))


def list_tenants(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc", idnumber: str | None = None,
                 suspended: bool | None = None) -> flask.Response:
    return json_response(backend().tenants.list_tenants(caller(), page=page, perpage=perpage,
                                                        sort=sort, order=order,
                                                        filters={"idnumber": idnumber, "suspended": suspended}))


def create_tenant() -> flask.Response:
    who, data = write_body("TenantCreate")
    return created(backend().tenants.create_tenant(who, data), "tenant")


def update_tenant(id: int) -> flask.Response:
    who, data = write_body("TenantUpdate", readonly=READONLY)
    return json_response(backend().tenants.update_tenant(who, id, data))
