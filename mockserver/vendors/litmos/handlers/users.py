"""Users handlers: operationId -> model call -> XML or JSON. No rules in here."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response
from ..dates import require_since, user_style
from .context import backend, login_base, owned_route, vendor
from .payloads import body, respond


def list_users(start: int = 0, limit: int = 100, sort: str = "FirstName", dir: str = "ASC",  # noqa: A002
               search: str | None = None, showInactive: bool = True) -> flask.Response:  # noqa: N803
    users = backend().users.list_users(start=start, limit=limit, sort=sort, descending=dir == "DESC",
                                       search=search, show_inactive=showInactive)
    return respond("UserList", users)


def get_user(userId: str) -> flask.Response:  # noqa: N803
    owned_route()
    return respond("User", backend().users.get_user(userId, login_base()))


def create_user(skipfirstlogin: bool | None = None) -> flask.Response:
    data = body("UserCreate")
    quirks = vendor().settings.quirks
    user = backend().users.create_user(data, login_base(), skip_first_login=bool(skipfirstlogin),
                                       echo_skip_first_login=not quirks)
    return respond("User", user, 201)


def update_user(userId: str) -> flask.Response:  # noqa: N803
    owned_route()
    backend().users.update_user(userId, body("UserUpdate"))
    return empty_response(200)


def delete_user(userId: str) -> flask.Response:  # noqa: N803
    owned_route()
    backend().users.delete_user(userId)
    return empty_response(200)


def list_users_paginated(start: int = 0, limit: int = 100, sort: str = "FirstName", dir: str = "ASC",  # noqa: A002
                         search: str | None = None, showInactive: bool = True) -> flask.Response:  # noqa: N803
    page = backend().users.paginated_users(start=start, limit=limit, sort=sort, descending=dir == "DESC",
                                           search=search, show_inactive=showInactive)
    return respond("UserCollection", page)


def list_users_details(start: int = 0, limit: int = 100, sort: str = "FirstName", dir: str = "ASC",  # noqa: A002
                       search: str | None = None, since: str | None = None) -> flask.Response:
    moment = require_since(since)
    users = backend().users.detailed_users(start=start, limit=limit, sort=sort, descending=dir == "DESC",
                                           search=search, created_since=user_style(moment) if moment else None,
                                           login_base=login_base())
    return respond("UserDetailList", users)
