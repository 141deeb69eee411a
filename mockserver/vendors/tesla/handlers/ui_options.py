"""`/api/v2/institution/{iid}/ui/`: the dashboard's UI options."""

from __future__ import annotations

import flask

from ....core.bodies import empty_response, json_response
from ..models.ui_options import UI_INPUT_ORDER
from .request import field_errors, list_page, request_body, vendor_backend


def list_ui_options(institution_id: str) -> flask.Response:
    options = vendor_backend().ui_options
    return list_page("list_ui_options", options.rows(institution_id), options.view)


def create_ui_option(institution_id: str) -> flask.Response:
    options, data = vendor_backend().ui_options, request_body()
    row = options.create(institution_id, data, field_errors(data, "UiOptionCreate", UI_INPUT_ORDER))
    return json_response(options.view(row), 201)


def get_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002 - the spec's name
    options = vendor_backend().ui_options
    return json_response(options.view(options.get(institution_id, id)))


def _write_ui_option(institution_id: str, option_id: str, schema: str, partial: bool) -> flask.Response:
    options = vendor_backend().ui_options
    options.get(institution_id, option_id)
    data = request_body()
    row = options.update(institution_id, option_id, data, field_errors(data, schema, UI_INPUT_ORDER), partial)
    return json_response(options.view(row))


def update_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_ui_option(institution_id, id, "UiOptionUpdate", partial=False)


def partial_update_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    return _write_ui_option(institution_id, id, "UiOptionPatch", partial=True)


def delete_ui_option(institution_id: str, id: str) -> flask.Response:  # noqa: A002
    vendor_backend().ui_options.delete(institution_id, id)
    return empty_response(204)
