"""Bulk import handlers: user imports, their jobs and rows, course imports. No rules in here."""

from __future__ import annotations

import flask

from .context import backend, caller, json_body, owned_route
from .payloads import body, respond


def create_bulk_import(sendmessage: bool | None = None, skipfirstlogin: bool | None = None) -> flask.Response:
    job = backend().user_imports.import_users(body("UserImportList", list), caller(), send_emails=bool(sendmessage),
                                              skip_first_login=bool(skipfirstlogin), json_dates=json_body())
    return respond("UserBulkImport", job)


def list_bulk_imports(start: int = 0, limit: int = 100) -> flask.Response:
    return respond("UserBulkImportList", backend().bulk_imports.list_user_imports(start=start, limit=limit))


def get_bulk_import(bulkImportId: str) -> flask.Response:  # noqa: N803
    owned_route()  # GET /bulkimports/courses is the course import's path (POST only), not a job called `courses`
    return respond("UserBulkImport", backend().bulk_imports.get_user_import(bulkImportId))


def list_bulk_import_user_errors(bulkImportId: str, start: int = 0, limit: int = 100,  # noqa: N803
                                 IsAPI: bool | None = None) -> flask.Response:  # noqa: N803
    rows = backend().bulk_imports.user_errors(bulkImportId, start=start, limit=limit)
    return respond("UserImportErrorList", rows)


def create_course_bulk_import(sendmessage: bool | None = None) -> flask.Response:
    job = backend().course_imports.import_courses(body("CourseImportList", list), caller(), json_dates=json_body())
    return respond("CourseBulkImport", job)
