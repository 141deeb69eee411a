"""`/api/v2/institution/{iid}/instrument/`: the installation's enabled instruments (public,
read-only; the institution id is ignored, as upstream)."""

from __future__ import annotations

import flask

from ....core.bodies import json_response
from .request import authenticated_if_sent, list_page, vendor_backend


def list_instruments(institution_id: str) -> flask.Response:
    authenticated_if_sent()
    activities = vendor_backend().activities
    return list_page("list_instruments", activities.instruments(), activities.view_instrument)


def get_instrument(institution_id: str, id: int) -> flask.Response:  # noqa: A002
    authenticated_if_sent()
    activities = vendor_backend().activities
    return json_response(activities.view_instrument(activities.instrument(id)))
