"""Groups and group memberships: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response, created
from .context import backend, caller
from .request_body import COURSE_KEYS, USER_KEYS, write_body



def get_group(id: int) -> flask.Response:
    return json_response(backend().groups.get_group(caller(), id))


def list_groups(page: int = 1, perpage: int = 100, sort: str = "id", order: str = "asc", courseid: int | None = None,
                idnumber: str | None = None, name: str | None = None) -> flask.Response:
    return json_response(backend().groups.list_groups(caller(), page=page,
                                                      perpage=perpage, sort=sort, order=order,
                                                      filters={"courseid": courseid, "idnumber": idnumber,
                                                               "name": name}))


def create_group() -> flask.Response:
    who, data = write_body("GroupCreate", (COURSE_KEYS,))
    return created(backend().groups.create_group(who, data), "group")


def create_groups(atomic: bool = False) -> flask.Response:
    who, data = write_body("GroupBulk", (COURSE_KEYS,), bulk="groups")
    return bulk_response(backend().groups.create_groups(who, data["groups"], atomic=atomic))


def delete_group(id: int) -> flask.Response:
    backend().groups.delete_group(caller(), id)
    return empty_response(204)


def create_group_membership() -> flask.Response:
    who, data = write_body("GroupMembershipWrite", (USER_KEYS,))
    return json_response(backend().groups.add_member(who, data), 201)


def create_group_memberships(atomic: bool = False) -> flask.Response:
    who, data = write_body("GroupMembershipBulk", (USER_KEYS,), bulk="group_memberships")
    return bulk_response(backend().groups.add_members(who, data["group_memberships"], atomic=atomic),
                         key="groupid,userid")


def delete_group_membership(groupid: int, userid: int) -> flask.Response:
    backend().groups.remove_member(caller(), groupid, userid)
    return empty_response(204)
