"""/__admin/ui/: the dashboard's page, script and style sheet (mockserver/admin/ui/), served as
they are: no build step, nothing fetched from anywhere but this server (the policy says so)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import flask

from ...core.errors import ErrorKind, MockError

UI = Path(__file__).resolve().parent.parent / "ui"
TYPES = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
         "style.css": "text/css; charset=utf-8"}
# The page may talk to this server only, and nothing may frame it.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@cache
def _content(name: str) -> bytes:
    return (UI / name).read_bytes()


def _file(name: str) -> flask.Response:
    if name not in TYPES:
        raise MockError(ErrorKind.NOT_FOUND, f"the dashboard has no file {name!r}")
    return flask.Response(_content(name), status=200, headers={
        "Content-Type": TYPES[name], "Cache-Control": "no-cache", "Content-Security-Policy": POLICY,
        "X-Content-Type-Options": "nosniff"})


def dashboard() -> flask.Response:
    return _file("index.html")


def dashboard_asset(asset: str) -> flask.Response:
    return _file(asset)
