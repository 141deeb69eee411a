"""The VLE API's two session actions: `/api/v2/vle/{vle_id}/assessment/` and `launcher/`.

`assessment/` opens an assessment session for a learner in an activity, or with `session_id`
returns or closes one. Opening checks the learner's informed consent (406 status 2 or 3) and,
for an enabled activity, its enrolments (406 status 4), then enrols the learner in the course,
mints a dashboard launcher and a learner token pair scoped to the session, and writes the
session's `data.json` and `connector.js` to storage, where the learner's browser fetches them.

`launcher/` mints a one-shot launcher for any institution user (DASHBOARD) or learner (LAPI).
Both answer the real server's bare-string 404s; a closed session is a 400 with a bare list.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table
from .. import wire
from ..wire import NON_FIELD_ERRORS, FieldErrors
from ..tokens import access_claims, token_pair
from .activities import Activities
from .consent import Consents, bare
from .enrolments import Enrolments
from .lookup import existing, upstream_crash
from .sessions import LEARNER_PAIR, USER_PAIR, USER_REFRESH_MINUTES, Sessions
from .state import State
from .storage import SESSION_CONNECTOR, SESSION_DATA, Storage

SESSION_COLUMNS = ("id", "activity", "learner", "started_at", "checked_at", "closed_at", "auto_closed", "launcher",
                  "max_ttl", "files", "data")
ASSESSMENT_INPUT_ORDER = ("vle_activity_type", "vle_activity_id", "vle_learner_uid", "locale", "max_ttl", "session_id",
                          "redirect_reject_url", "reject_message", "options", "close")
LAUNCHER_INPUT_ORDER = ("vle_user_uid", "target", "target_url", "ttl", "session_id")
ASSESSMENT_TEXT = ("vle_activity_type", "vle_activity_id", "vle_learner_uid", "locale", "redirect_reject_url",
                   "reject_message")
LAUNCHER_TEXT = ("vle_user_uid", "target_url")
REQUIRED_WITHOUT_SESSION = ("vle_activity_type", "vle_activity_id", "vle_learner_uid")
MISSING_IC = {"status": 2, "message": "Missing Informed Consent"}
INVALID_IC = {"status": 3, "message": "Invalid Informed Consent"}
MISSING_ENROLMENT = "Missing Enrolment"
DEFAULT_OPTIONS = {"floating_menu_initial_pos": "top-right"}
ACCESSIBILITY = {"high_contrast": False, "big_fonts": False, "text_to_speech": False}  # never set upstream
SESSION_TOKEN_MINUTES = 15
DEFAULT_MAX_TTL = 120
DEFAULT_LAUNCHER_TTL = 120
NOT_A_LEARNER = "Provided user is not a learner"
# The web plugin's assets upstream (Django static files); nothing is served there by the mock.
WEB_PLUGIN = "/static/web-plugin/"
LOGO = "/static/img/android-chrome-192x192.png"
OMITTED = object()


def session_table() -> Table:
    return Table("assessment_sessions", fields=SESSION_COLUMNS)


def _bare_list(text: str) -> MockError:
    """DRF's answer to `raise ValidationError("text")` in a view: 400 with `["text"]`."""
    return MockError(ErrorKind.BAD_REQUEST, text, extra={"body": [text]})


def _not_acceptable(body: dict[str, Any]) -> MockError:
    return MockError(ErrorKind.NOT_ACCEPTABLE, body["message"], extra={"body": body})


def _isoformat(micros: int | None) -> str | None:
    """Python's `datetime.isoformat()` of an aware UTC datetime (`+00:00`, not DRF's `Z`)."""
    text = wire.iso(micros)
    return None if text is None else text[:-1] + "+00:00"


def sensors_of(acronym: str, options: dict[str, Any]) -> list[str]:
    """`ActivityInstrument.get_sensors` for an active instrument."""
    if acronym in ("fr", "vr"):
        found = ["camera" if acronym == "fr" else "microphone"] if options.get("online") else []
        return found + (["activity"] if options.get("offline") else [])
    return {"ks": ["keyboard"], "fa": ["activity"], "plag": ["activity"]}.get(acronym, [])


class Assessments:
    """Assessment sessions and the VLE's launchers; the state's lock guards every call."""

    def __init__(self, state: State, storage: Storage, activities: Activities, enrolments: Enrolments,
                 consents: Consents, sessions: Sessions) -> None:
        self._state = state
        self._tables = state.tables
        self._table = state.tables.assessment_sessions
        self._storage = storage
        self._activities = activities
        self._enrolments = enrolments
        self._consents = consents
        self._sessions = sessions

    # -- assessment/ -----------------------------------------------------------------------------
    def post_assessment(self, vle_id: int, data: dict[str, Any], errors: FieldErrors) -> Row:
        """Field errors, then the serializer's `validate`, then the session or the activity and learner."""
        tables = self._tables
        with self._state.lock:
            if errors:
                raise wire.invalid(errors)
            data = {name: wire.as_text(value) if name in ASSESSMENT_TEXT else value for name, value in data.items()}
            if data.get("session_id") is not None:
                return self._existing(data["session_id"], bool(data.get("close")))
            for name in REQUIRED_WITHOUT_SESSION:
                if data.get(name) is None:
                    raise wire.invalid({NON_FIELD_ERRORS: [f"Missing {name} value"]})
            vle = existing(tables.vles, vle_id)
            activity = self._vle_activity(vle_id, data["vle_activity_type"], data["vle_activity_id"])
            learner = tables.users.find("institution_uid", (vle["institution"], data["vle_learner_uid"]))
            if learner is None or not learner.get("learner"):
                raise bare(ErrorKind.NOT_FOUND, "Learner not found")
            self._check_consent(learner)
            enrolment: dict[str, Any] = {"missing_enrolments": False, "instruments": {}}
            if activity["enabled"]:
                enrolment = self._enrolments.missing(learner["id"], activity["id"])
                if enrolment["missing_enrolments"]:
                    raise _not_acceptable({"status": 4, "message": MISSING_ENROLMENT, "enrolments": enrolment})
            return self._open(activity, learner, data, enrolment)

    def _existing(self, session_id: int, close: bool) -> Row:
        """Any session, whatever its VLE: returned as it is, or closed with its learner's older open
        sessions of the activity (those automatically)."""
        session = self._table.get(session_id)
        if session is None:
            raise bare(ErrorKind.NOT_FOUND, "Session not found")
        if close:
            if session["closed_at"] is not None:
                raise _bare_list("Cannot close a closed session")
            now = self._state.now()
            for older in list(self._table.rows()):
                if (older["activity"], older["learner"]) == (session["activity"], session["learner"]) \
                        and older["closed_at"] is None and older["started_at"] < session["started_at"]:
                    self._table.update(older["id"], {"closed_at": now, "auto_closed": True})
            return self._table.update(session_id, {"closed_at": now, "auto_closed": False})
        if session["closed_at"] is not None:
            raise _bare_list("Closed session")
        return session

    def _vle_activity(self, vle_id: int, activity_type: str, activity_id: str) -> Row:
        tables = self._tables
        for row in tables.activities.rows():
            course = tables.courses.get(row["course"])
            if course is not None and course["vle"] == vle_id and row["vle_activity_type"] == activity_type \
                    and row["vle_activity_id"] == activity_id:
                return row
        raise bare(ErrorKind.NOT_FOUND, "Activity not found")

    def _check_consent(self, learner: Row) -> None:
        institution = self._tables.institutions.get(learner["institution"]) or {}
        if institution.get("external_ic"):
            return
        if learner["consent_accepted"] is None or learner["consent_rejected"] is not None:
            raise _not_acceptable(dict(MISSING_IC))
        if not self._consents.ic_status(learner).startswith("VALID"):
            raise _not_acceptable(dict(INVALID_IC))

    def _sensors(self, configuration: list[Row]) -> dict[str, list[int]]:
        sensors: dict[str, list[int]] = {}
        for row in configuration:
            instrument = self._tables.instruments.get(row["instrument_id"]) or {}
            acronym = instrument.get("acronym", "")
            options = row["options"]
            if not isinstance(options, dict):
                if acronym in ("fr", "vr") and self._state.quirks:
                    raise upstream_crash("the sensors of an fr/vr instrument without options (inferred)")
                options = {}
            for sensor in sensors_of(acronym, options):
                sensors.setdefault(sensor, []).append(row["instrument_id"])
        return sensors

    def _open(self, activity: Row, learner: Row, data: dict[str, Any], enrolment: dict[str, Any]) -> Row:
        """`create_assessment_session`: the session, the course enrolment, a dashboard launcher,
        then the session's files. Options that are omitted or not an object make the real server
        fail at the end (a 500 that leaves the session behind); 400 here unless `quirks`."""
        state, tables = self._state, self._tables
        configuration = self._activities.learner_instruments(activity["id"], learner["id"])
        instruments = [row["instrument_id"] for row in configuration]
        sensors = self._sensors(configuration)
        options = data.get("options", OMITTED)
        bad_options = options is not None and not isinstance(options, dict)
        if bad_options and not state.quirks:
            message = wire.REQUIRED if options is OMITTED else \
                wire.TYPE_MESSAGES["object"].format(type=type(options).__name__)
            raise wire.invalid({"options": [message]})
        now = state.now()
        session = self._table.insert({"id": None, "activity": activity["id"], "learner": learner["id"],
                                     "started_at": now, "checked_at": None, "closed_at": None, "auto_closed": None,
                                     "launcher": None, "max_ttl": data.get("max_ttl", DEFAULT_MAX_TTL),
                                     "files": None, "data": None})
        course = existing(tables.courses, activity["course"])
        if learner["id"] not in course["learners"]:
            tables.courses.update(course["id"], {"learners": sorted([*course["learners"], learner["id"]])})
        launcher = self._sessions.create_launcher(learner, USER_PAIR, USER_REFRESH_MINUTES, session["id"], now)
        if bad_options:
            raise upstream_crash("an assessment session without options (the session is left behind)")
        options = copy.deepcopy(options) or {}
        for key, value in DEFAULT_OPTIONS.items():
            options.setdefault(key, value)
        snapshot = {
            "mode": "verification",
            "learner": {"id": learner["id"], "learner_id": learner["learner_id"], "first_name": learner["first_name"],
                        "last_name": learner["last_name"], "picture": None, "institution_id": learner["institution"]},
            "session_id": session["id"],
            "activity": {
                "enabled": activity["enabled"],
                "course": {"id": course["id"], "code": course["code"], "description": course["description"],
                           "start": _isoformat(course["start"]), "end": _isoformat(course["end"])},
                "id": activity["id"], "name": activity["name"], "description": activity["description"],
                "start": _isoformat(activity["start"]), "end": _isoformat(activity["end"]),
                "allow_reject_capture": False, "redirect_reject_url": data.get("redirect_reject_url"),
                "rejected_message": data.get("reject_message"), "vle_id": course["vle"]},
            "accessibility": dict(ACCESSIBILITY),
            "instruments": instruments,
            "sensors": sensors,
            "enrolment": enrolment,
            "launcher": {"id": launcher["id"], "token": launcher["token"]},
            "locale": data.get("locale"),
            "options": options,
        }
        folder = f"{learner['institution']}/{learner['learner_id']}/sessions/{activity['id']}/{session['id']}"
        files = {"data": self._storage.put(f"{folder}/data.json", SESSION_DATA, now)["path"],
                 "connector": self._storage.put(f"{folder}/connector.js", SESSION_CONNECTOR, now)["path"]}
        return self._table.update(session["id"], {"launcher": launcher["id"], "files": files, "data": snapshot})

    # -- the session's files -------------------------------------------------------------------------
    def session_token(self, session: Row) -> dict[str, str]:
        """The learner pair of `data.json`: LAPI verification, status and alert, filtered to the
        session; issued when the session started (so minted again, byte for byte, from that time)."""
        learner = existing(self._tables.users, session["learner"])
        iid, uuid = learner["institution"], learner["learner_id"]
        claims = access_claims(group="learners", sub=uuid, type_="learner", pk=session["learner"],
                               scope=[f"/lapi/v1/{route}/{iid}/{uuid}/" for route in ("verification", "status", "alert")],
                               iat=session["started_at"] // 1_000_000)
        claims["exp"] = claims["iat"] + SESSION_TOKEN_MINUTES * 60
        claims["filters"] = {"session_id": session["id"], "mode": "verification"}
        return token_pair(self._state.signer, claims, session["max_ttl"])

    def session_data(self, session: Row, base_url: str) -> dict[str, Any]:
        """`data.json` in the real key order; the URLs point at this mock (its host and mount)."""
        snapshot = session["data"]
        ordered = {key: copy.deepcopy(snapshot[key]) for key in ("mode", "learner", "session_id", "activity",
                                                                 "accessibility", "instruments", "sensors")}
        ordered["token"] = self.session_token(session)
        ordered["enrolment"] = copy.deepcopy(snapshot["enrolment"])
        ordered.update({"logo_url": base_url + LOGO, "api_url": base_url, "dashboard_url": base_url,
                        "launcher": copy.deepcopy(snapshot["launcher"]), "base_url": base_url + WEB_PLUGIN,
                        "locale": snapshot["locale"], "options": copy.deepcopy(snapshot["options"])})
        return ordered

    def connector(self, session: Row, base_url: str) -> str:
        """The mock's own connector script (TeSLA's template was not examined): it fetches the
        session data and hands it to the page (`window.TeSLA.session`, event `tesla:session`)."""
        snapshot = session["data"]
        settings = {"data_url": f"{base_url}/media/{session['files']['data']}",
                    "modules": [f"{base_url}{WEB_PLUGIN}web-plugin.js"], "css": [f"{base_url}{WEB_PLUGIN}styles.css"],
                    "active": bool(snapshot["activity"]["enabled"] and snapshot["instruments"])}
        return CONNECTOR_TEMPLATE.replace("{session}", str(session["id"])).replace("{settings}", json.dumps(settings))

    def session_for_file(self, path: str) -> tuple[Row, str] | None:
        """The session whose `data.json` or `connector.js` is stored at `path`, and which of the two."""
        row = self._storage.get(path)
        if row is None or row["kind"] not in (SESSION_DATA, SESSION_CONNECTOR):
            return None
        for session in self._table.rows():
            files = session["files"] or {}
            if path in (files.get("data"), files.get("connector")):
                return session, "data" if row["kind"] == SESSION_DATA else "connector"
        return None

    def stored_file(self, path: str, base_url: str) -> tuple[str, Any] | None:
        """What `<mount>/media/<path>` serves: ("data", the session data) or ("connector", its script)."""
        with self._state.lock:
            found = self.session_for_file(path)
            if found is None:
                return None
            session, which = found
            if which == "data":
                return which, self.session_data(session, base_url)
            return which, self.connector(session, base_url)

    # -- launcher/ -------------------------------------------------------------------------------------
    def post_launcher(self, vle_id: int, data: dict[str, Any], errors: FieldErrors) -> Row:
        """A launcher for an institution user of the VLE's institution (`target` and `target_url`
        are not stored, as upstream: only the token pair inside differs)."""
        state, tables = self._state, self._tables
        with state.lock:
            if errors:
                raise wire.invalid(errors)
            data = {name: wire.as_text(value) if name in LAUNCHER_TEXT else value for name, value in data.items()}
            vle = existing(tables.vles, vle_id)
            user = tables.users.find("institution_uid", (vle["institution"], data["vle_user_uid"]))
            if user is None:
                raise bare(ErrorKind.NOT_FOUND, "User not found")
            session = data.get("session_id")
            if session is not None and self._table.get(session) is None:
                raise bare(ErrorKind.NOT_FOUND, "Session not found")
            pair = LEARNER_PAIR if data.get("target", "DASHBOARD") == "LAPI" else USER_PAIR
            if pair == LEARNER_PAIR and not user.get("learner"):
                if state.quirks:
                    raise upstream_crash("a LAPI launcher for a user who is not a learner")
                raise wire.invalid({"vle_user_uid": [NOT_A_LEARNER]})
            ttl = data.get("ttl", DEFAULT_LAUNCHER_TTL)
            return self._sessions.create_launcher(user, pair, ttl, session, state.now())


def view_session(row: Row, base_url: str) -> dict[str, Any]:
    """The AssessmentSession serializer: `data` holds the storage URLs of the session's files."""
    files = row["files"]
    data = None if files is None else {"id": row["id"], "connector": f"{base_url}/media/{files['connector']}",
                                       "data": f"{base_url}/media/{files['data']}", "session": row["id"]}
    return {"id": row["id"], "data": data, "started_at": wire.iso(row["started_at"]),
            "checked_at": wire.iso(row["checked_at"]), "closed_at": wire.iso(row["closed_at"]),
            "auto_closed": row["auto_closed"], "activity": row["activity"], "learner": row["learner"]}


def view_launcher(row: Row, base_url: str) -> dict[str, Any]:
    """`{token, id, url}`; the dashboard is this mock's mount (nothing is served under `/ui/`)."""
    return {"token": row["token"], "id": row["id"],
            "url": f"{base_url}/ui/auth/launcher?id={row['id']}&token={row['token']}"}


CONNECTOR_TEMPLATE = """/* lms-mockserver: connector of TeSLA CE assessment session {session}.
 * The mock's own script, not TeSLA's template: it fetches the session data (data_url) and hands it
 * to the page as window.TeSLA.session, then dispatches a "tesla:session" event. The web plugin's
 * modules and styles are listed as upstream but not served by the mock. */
(function () {
  "use strict";
  var settings = {settings};
  var tesla = window.TeSLA = window.TeSLA || {};
  tesla.connector = settings;
  if (!settings.active) {
    return;
  }
  fetch(settings.data_url).then(function (response) {
    return response.json();
  }).then(function (data) {
    tesla.session = data;
    document.dispatchEvent(new CustomEvent("tesla:session", {detail: data}));
  });
}());
"""
