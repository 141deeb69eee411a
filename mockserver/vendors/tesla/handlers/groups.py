"""TeSLA CE HTTP mapping for course groups and their linked courses (public routes)."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..listing import last
from ..models.groups import GROUP_INPUT_ORDER, matches_filters
from .request import field_errors, list_page, public_route, request_body, vendor_backend

__all__ = [
    "list_groups", "create_group", "get_group", "update_group", "partial_update_group", "delete_group",
    "list_group_courses", "link_group_course", "get_group_course", "unlink_group_course",
]


def list_groups(institution_id: str) -> flask.Response:
    public_route()
    groups = vendor_backend().groups
    return list_page("list_groups", groups.rows(institution_id, last(flask.request.args, "parent")), groups.view)


def create_group(institution_id: str) -> flask.Response:
    public_route()
    groups, data = vendor_backend().groups, request_body()
    row = groups.create(institution_id, data, field_errors(data, "GroupCreate", GROUP_INPUT_ORDER))
    return json_response(groups.view(row), 201)


def get_group(institution_id: str, id: str) -> flask.Response:  # noqa: A002 - the spec's name
    public_route()
    groups = vendor_backend().groups
    return json_response(groups.view(groups.get(institution_id, id)))


def _write_group(institution_id: str, group_id: str, schema: str, partial: bool) -> flask.Response:
    public_route()
    groups = vendor_backend().groups
    groups.get(institution_id, group_id)
    data = request_body()
    row = groups.update(institution_id, group_id, data, field_errors(data, schema, GROUP_INPUT_ORDER), partial)
    return json_response(groups.view(row))


def update_group(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_group(institution_id, id, "GroupCreate", partial=False)


def partial_update_group(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_group(institution_id, id, "GroupWrite", partial=True)


def delete_group(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    public_route()
    vendor_backend().groups.delete(institution_id, id)
    return empty_response(204)


def list_group_courses(institution_id: str, group_id: str) -> flask.Response:
    public_route()
    groups = vendor_backend().groups
    rows = [row for row in groups.courses(institution_id, group_id)
            if matches_filters(groups.view_course(row), flask.request.args)]
    return list_page("list_group_courses", rows, groups.view_course)


def link_group_course(institution_id: str, group_id: str) -> flask.Response:
    public_route()
    groups, data = vendor_backend().groups, request_body()
    row = groups.link_course(institution_id, group_id, data, field_errors(data, "GroupCourseLink", ("id",)))
    return json_response(groups.view_course(row), 201)


def get_group_course(institution_id: str, group_id: str, course_id: str) -> flask.Response:
    public_route()
    groups = vendor_backend().groups
    return json_response(groups.view_course(groups.course(institution_id, group_id, course_id)))


def unlink_group_course(institution_id: str, group_id: str, course_id: str) -> flask.Response:
    public_route()
    vendor_backend().groups.unlink_course(institution_id, group_id, course_id)
    return empty_response(204)
