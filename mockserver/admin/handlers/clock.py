"""/__admin/clock: the realm's virtual clock."""

from __future__ import annotations

import flask

from ...core.bodies import json_response
from ...core.clock import ClockRangeError, apply_change
from ...core.errors import ErrorKind, MockError
from ..request import json_object, realm


def get_clock(namespace: str | None = None) -> flask.Response:
    return json_response(realm(namespace).clock.view())


def set_clock(namespace: str | None = None) -> flask.Response:
    clock = realm(namespace).clock
    try:
        apply_change(clock, json_object())
    except ClockRangeError as exc:
        raise MockError(ErrorKind.CONFLICT, str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise MockError(ErrorKind.BAD_REQUEST, str(exc)) from None
    return json_response(clock.view())
