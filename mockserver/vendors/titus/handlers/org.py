"""Departments and positions: operationId -> model call -> JSON (one model, two kinds)."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from ..models.org import DEPARTMENT, POSITION, OrgKind
from ..wire import bulk_response, created
from .context import backend, caller
from .request_body import write_body

FRAMEWORK_KEYS = (("frameworkid", "frameworkidnumber"),)


def _list(kind: OrgKind, page: int, perpage: int, sort: str, order: str, frameworkid: int | None,
          parentid: int | None, idnumber: str | None, visible: bool | None) -> flask.Response:
    filters = {"frameworkid": frameworkid, "parentid": parentid, "idnumber": idnumber, "visible": visible}
    return json_response(backend().organisation.list_org(caller(), kind, page=page, perpage=perpage, sort=sort,
                                                         order=order, filters=filters))


def _create(kind: OrgKind) -> flask.Response:
    who, data = write_body("OrgItemCreate", FRAMEWORK_KEYS)
    return created(backend().organisation.create_org(who, kind, data), f"organisation_{kind.name}")


def _create_many(kind: OrgKind, atomic: bool) -> flask.Response:
    who, data = write_body("DepartmentBulk" if kind is DEPARTMENT else "PositionBulk", FRAMEWORK_KEYS,
                           bulk=kind.list_key)
    return bulk_response(backend().organisation.create_orgs(who, kind, data[kind.list_key], atomic=atomic))


def get_department(id: int) -> flask.Response:
    return json_response(backend().organisation.get_org(caller(), DEPARTMENT, id))


def list_departments(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc",
                     frameworkid: int | None = None, parentid: int | None = None, idnumber: str | None = None,
                     visible: bool | None = None) -> flask.Response:
    return _list(DEPARTMENT, page, perpage, sort, order, frameworkid, parentid, idnumber, visible)


def create_department() -> flask.Response:
    return _create(DEPARTMENT)


def create_departments(atomic: bool = False) -> flask.Response:
    return _create_many(DEPARTMENT, atomic)


def get_position(id: int) -> flask.Response:
    return json_response(backend().organisation.get_org(caller(), POSITION, id))


def list_positions(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc",
                   frameworkid: int | None = None, parentid: int | None = None, idnumber: str | None = None,
                   visible: bool | None = None) -> flask.Response:
    return _list(POSITION, page, perpage, sort, order, frameworkid, parentid, idnumber, visible)


def create_position() -> flask.Response:
    return _create(POSITION)


def create_positions(atomic: bool = False) -> flask.Response:
    return _create_many(POSITION, atomic)
