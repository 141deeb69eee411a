"""Course categories: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from .context import backend, caller


def get_category(id: int) -> flask.Response:
    return json_response(backend().categories.get_category(caller(), id))


def list_categories(
    page: int = 1,
    perpage: int = 100,
    sort: str = "id",
    order: str = "asc",
    parent: int | None = None,
    idnumber: str | None = None,
    visible: bool | None = None,
) -> flask.Response:
    filters = {"parent": parent, "idnumber": idnumber, "visible": visible}
    return json_response(backend().categories.list_categories(caller(), page=page,
                                                              perpage=perpage, sort=sort, order=order,
                                                              filters=filters))
