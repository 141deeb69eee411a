"""Instructor-led training handlers (instructors, sessions, registration, roll call). No rules in here."""

from __future__ import annotations

from typing import Any

import flask

from ....core.bodies import empty_response
from ....core.errors import ErrorKind, MockError
from ..dates import MSG_RANGE, parse_since, request_ms
from ..errors import MSG_BODY
from .context import backend, json_body
from .payloads import body, respond

def _session_body(schema: str) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The session members and its days (dates as epoch ms), from XML or JSON."""
    in_json = json_body()
    data = body(f"{schema}Json" if in_json else schema)
    days = None
    if "Days" in data:
        days = []
        for day in data["Days"]:
            start, end = request_ms(day["StartDate"], in_json), request_ms(day["EndDate"], in_json)
            if start is None or end is None:
                raise MockError(ErrorKind.BAD_REQUEST, MSG_BODY)
            days.append({k: v for k, v in {**day, "StartDate": start, "EndDate": end}.items()
                         if k not in ("StartTime", "EndTime")})
    return data, days


def _moment_ms(value: str | None) -> int | None:
    """`since` or `to` as epoch ms (None when not sent); 406 with Litmos's text when it does not parse."""
    if value is None:
        return None
    moment = parse_since(value)
    if moment is None:
        raise MockError(ErrorKind.NOT_ACCEPTABLE, MSG_RANGE, extra={"litmos": True})
    return int(moment.timestamp() * 1000)


def list_instructors(start: int = 0, limit: int = 100, search: str | None = None) -> flask.Response:
    return respond("UserList", backend().ilt.list_instructors(start=start, limit=limit, search=search))


def list_instructor_sessions(instructorId: str, start: int = 0, limit: int = 100) -> flask.Response:  # noqa: N803
    return respond("SessionList", backend().ilt.instructor_sessions(instructorId, start=start, limit=limit))


def _dated(future: bool, start: int, limit: int, search: str | None, since: str | None,
           to: str | None) -> flask.Response:
    since_ms, to_ms = _moment_ms(since), _moment_ms(to)
    rows = backend().ilt.dated_sessions(future=future, since_ms=since_ms, to_ms=to_ms, search=search, start=start,
                                    limit=limit)
    return respond("SessionCourseList", rows)


def list_future_sessions(start: int = 0, limit: int = 100, search: str | None = None, since: str | None = None,
                         to: str | None = None) -> flask.Response:
    return _dated(True, start, limit, search, since, to)


def list_past_sessions(start: int = 0, limit: int = 100, search: str | None = None, since: str | None = None,
                       to: str | None = None) -> flask.Response:
    return _dated(False, start, limit, search, since, to)


def list_module_sessions(courseId: str, moduleId: str, start: int = 0,  # noqa: N803
                         limit: int = 100) -> flask.Response:
    return respond("SessionList", backend().ilt.list_module_sessions(courseId, moduleId, start=start, limit=limit))


def create_module_session(courseId: str, moduleId: str) -> flask.Response:  # noqa: N803
    data, days = _session_body("SessionCreate")
    assert days is not None  # `Days` is required by the schema
    return respond("Session", backend().ilt.create_module_session(courseId, moduleId, data, days), 201)


def get_module_session(courseId: str, moduleId: str, sessionId: str) -> flask.Response:  # noqa: N803
    return respond("Session", backend().ilt.get_module_session(courseId, moduleId, sessionId))


def update_module_session(courseId: str, moduleId: str, sessionId: str) -> flask.Response:  # noqa: N803
    data, days = _session_body("SessionUpdate")
    backend().ilt.update_module_session(courseId, moduleId, sessionId, data, days)
    return empty_response(200)


def delete_module_session(courseId: str, moduleId: str, sessionId: str) -> flask.Response:  # noqa: N803
    backend().ilt.delete_module_session(courseId, moduleId, sessionId)
    return empty_response(200)


def register_session_user(courseId: str, moduleId: str, sessionId: str, userId: str) -> flask.Response:  # noqa: N803
    backend().ilt.register_user(courseId, moduleId, sessionId, userId)
    return empty_response(200)


def get_roll_call(courseId: str, moduleId: str, sessionId: str, start: int = 0,  # noqa: N803
                  limit: int = 100) -> flask.Response:
    return respond("EventUserList", backend().ilt.roll_call(courseId, moduleId, sessionId, start=start, limit=limit))


def post_roll_call(courseId: str, moduleId: str, sessionId: str) -> flask.Response:  # noqa: N803
    backend().ilt.record_roll_call(courseId, moduleId, sessionId, body("EventUserMarkList", list))
    return empty_response(200)
