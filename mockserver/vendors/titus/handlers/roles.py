"""Roles: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from .context import backend


def get_role(id: int) -> flask.Response:
    return json_response(backend().roles.get_role(id))


def list_roles(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc", shortname: str | None = None,
               archetype: str | None = None) -> flask.Response:
    return json_response(backend().roles.list_roles(page=page, perpage=perpage, sort=sort, order=order,
                                                    filters={"shortname": shortname, "archetype": archetype}))
