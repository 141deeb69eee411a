"""The VLE API's instruments and an activity's instruments (`/api/v2/vle/{vle_id}/instrument/`,
`.../activity/{aid}/instrument/`, filtered by the activity alone)."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.vle_instruments import INPUT_ORDER as ACTIVITY_INSTRUMENT_INPUT_ORDER
from .request import vendor_backend
from .vle import body_errors, vle_page


def vle_list_instruments(vle_id: str) -> flask.Response:
    model = vendor_backend().vle_instruments
    return vle_page("vle_list_instruments", model.instruments(), model.view_instrument)


def vle_get_instrument(vle_id: str, id: int) -> flask.Response:  # noqa: A002 - the spec's name
    model = vendor_backend().vle_instruments
    return json_response(model.view_instrument(model.instrument(id)))


def vle_list_activity_instruments(vle_id: str, course_id: int, activity_id: int) -> flask.Response:
    model = vendor_backend().vle_instruments
    return vle_page("vle_list_activity_instruments", model.activity_instruments(activity_id),
                    model.view_activity_instrument)


def vle_create_activity_instrument(vle_id: str, course_id: int, activity_id: int) -> flask.Response:
    model = vendor_backend().vle_instruments
    data, errors = body_errors("VleActivityInstrumentInput", ACTIVITY_INSTRUMENT_INPUT_ORDER)
    return json_response(model.view_activity_instrument(model.create_activity_instrument(activity_id, data, errors)),
                         201)


def vle_get_activity_instrument(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    model = vendor_backend().vle_instruments
    return json_response(model.view_activity_instrument(model.activity_instrument(activity_id, id)))


def _write_activity_instrument(activity_id: int, row_id: int, schema: str) -> flask.Response:
    model = vendor_backend().vle_instruments
    model.activity_instrument(activity_id, row_id)
    data, errors = body_errors(schema, ACTIVITY_INSTRUMENT_INPUT_ORDER)
    return json_response(model.view_activity_instrument(model.update_activity_instrument(activity_id, row_id, data,
                                                                                         errors)))


def vle_update_activity_instrument(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(activity_id, id, "VleActivityInstrumentInput")


def vle_partial_update_activity_instrument(vle_id: str, course_id: int, activity_id: int,
                                           id: int) -> flask.Response:  # noqa: A002
    return _write_activity_instrument(activity_id, id, "VleActivityInstrumentPatchInput")


def vle_delete_activity_instrument(vle_id: str, course_id: int, activity_id: int, id: int) -> flask.Response:  # noqa: A002
    vendor_backend().vle_instruments.delete_activity_instrument(activity_id, id)
    return empty_response(204)
