"""Tenants: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ...base import mount_base_url
from ..models.common import require
from .common import backend, check, parsed, principal

CAPABILITY = "totara/tenant:config"


def get_tenant(id: int) -> flask.Response:
    return json_response(backend().get_tenant(principal(), id))


def list_tenants(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc", idnumber: str | None = None,
                 suspended: bool | None = None) -> flask.Response:
    return json_response(backend().list_tenants(principal(), page=page, perpage=perpage, sort=sort, order=order,
                                                filters={"idnumber": idnumber, "suspended": suspended}))


def create_tenant() -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    check(data, "TenantCreate")
    tenant = backend().create_tenant(who, data)
    return json_response(tenant, 201, headers={"Location": f"{mount_base_url()}/tenant/{tenant['id']}"})


def update_tenant(id: int) -> flask.Response:
    who = principal()
    require(who, CAPABILITY)
    data = parsed()
    kept_aside = {k: data.pop(k) for k in ("id", "categoryid", "cohortid", "timecreated", "timemodified")
                  if isinstance(data, dict) and k in data}
    check(data, "TenantUpdate")
    return json_response(backend().update_tenant(who, id, {**data, **kept_aside}))
