"""Users: operationId -> model call -> JSON."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..wire import bulk_response, created
from .context import backend, caller
from .request_body import check, kept_aside, parsed, write_body

UPDATE_SPECIAL_FIELDS = ("email", "id", "firstaccess", "lastaccess", "timecreated", "timemodified")
BULK_SPECIAL_FIELDS = tuple(name for name in UPDATE_SPECIAL_FIELDS if name != "id")  # a bulk item's id names it


def get_user(id: int) -> flask.Response:
    return json_response(backend().users.get_user(caller(), id))


def list_users(
    page: int = 1,
    perpage: int = 100,
    sort: str = "id",
    order: str = "asc",
    modifiedsince: int | None = None,
    username: str | None = None,
    email: str | None = None,
    idnumber: str | None = None,
    auth: str | None = None,
    suspended: bool | None = None,
    tenantid: int | None = None,
    search: str | None = None,
) -> flask.Response:
    filters = {
        "modifiedsince": modifiedsince, "username": username, "email": email, "idnumber": idnumber,
        "auth": auth, "suspended": suspended, "tenantid": tenantid, "search": search,
    }
    result = backend().users.list_users(caller(), page=page, perpage=perpage, sort=sort,
                                        order=order, filters=filters)
    return json_response(result)


def create_user() -> flask.Response:
    who, data = write_body("UserCreate")
    return created(backend().users.create_user(who, data), "user")


def update_user(id: int) -> flask.Response:
    # `email` and read-only fields are left out of the update schema on purpose: the model
    # answers them with their own error codes (useuseremail, readonlyfield).
    who, data = write_body("UserUpdate", readonly=UPDATE_SPECIAL_FIELDS)
    return json_response(backend().users.update_user(who, id, data))


def update_users(atomic: bool = False) -> flask.Response:
    """PUT /users: partial updates, each item naming its user by `id`."""
    who = caller()
    data = parsed()
    items = data.get("users") if isinstance(data, dict) else None
    # As for PUT /user/{id}: `email` and read-only fields get the model's own codes, per item.
    aside = [kept_aside(item, BULK_SPECIAL_FIELDS) if isinstance(item, dict) else {}
             for item in (items if isinstance(items, list) else [])]
    check(data, "UserBulkUpdate")
    merged = [{**item, **extra} for item, extra in zip(data["users"], aside)]
    return bulk_response(backend().users.update_users(who, merged, atomic=atomic))


def delete_user(id: int) -> flask.Response:
    backend().users.delete_user(caller(), id)
    return empty_response(204)
