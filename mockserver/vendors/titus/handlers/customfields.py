"""User profile field and course custom field definitions: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from .context import backend


def list_user_profile_fields(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc",
                             shortname: str | None = None, datatype: str | None = None) -> flask.Response:
    return json_response(backend().custom_fields.list_profile_fields(
        page=page, perpage=perpage, sort=sort, order=order, filters={"shortname": shortname, "datatype": datatype}))


def list_course_custom_fields(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc",
                              shortname: str | None = None, type: str | None = None) -> flask.Response:
    return json_response(backend().custom_fields.list_course_fields(
        page=page, perpage=perpage, sort=sort, order=order, filters={"shortname": shortname, "type": type}))
