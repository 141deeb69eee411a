"""The single sign-on login page (`login.aspx`): a web page, not an API call (no key, no `source`)."""

from __future__ import annotations

import html

import flask

from ...base import host_url, request_context
from .context import backend

HTML = "text/html; charset=utf-8"
EXPIRED_PAGE = (
    "<!DOCTYPE html><html><head><title>Login link expired</title></head><body>"
    "<h1>Login link expired</h1><p>This login link has already been used or has expired. "
    "Please request a new link.</p></body></html>"
)


def tenant_root() -> str:
    """The site's root, where the pages after sign-in live: the mount without its `/v1.svc`."""
    mount = request_context().mount
    prefix = mount.prefix if mount is not None else ""
    return f"{host_url()}{prefix[: -len('/v1.svc')] if prefix.endswith('/v1.svc') else prefix}"


def login_page(loginkey: str | None = None, c: str | None = None) -> flask.Response:
    """First use of a key: 302 to the dashboard (or the course `c`); otherwise the expired page."""
    signed_in = backend().sso.sign_in(loginkey, c)
    if signed_in is None:
        return flask.Response(EXPIRED_PAGE, status=200, content_type=HTML)
    course = signed_in["course"]
    target = f"{tenant_root()}/course/{course['OriginalId']}" if course else f"{tenant_root()}/home/dashboard"
    page = f'<html><head><title>Object moved</title></head><body><a href="{html.escape(target)}">here</a></body></html>'
    return flask.Response(page, status=302, content_type=HTML, headers={"Location": target})
