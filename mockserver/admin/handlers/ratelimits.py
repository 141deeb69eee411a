"""/__admin/ratelimits: live counters, limits and windows per vendor or key (controls.py)."""

from __future__ import annotations

import flask

from ...controls import change_ratelimit, clear_ratelimits as clear_counters, ratelimit_view
from ...core.bodies import json_response
from ..request import json_object, realm


def get_ratelimits(namespace: str | None = None) -> flask.Response:
    return json_response(ratelimit_view(realm(namespace)))


def set_ratelimit(namespace: str | None = None) -> flask.Response:
    target = realm(namespace)
    change_ratelimit(target, json_object())
    return json_response(ratelimit_view(target))


def clear_ratelimits(vendor: str | None = None, namespace: str | None = None) -> flask.Response:
    return json_response({"cleared": clear_counters(realm(namespace), vendor)})
