"""Per-API settings for the Schemathesis run: credentials and realistic references.

Credentials are the documented demo ones. Hooks only steer generated *references* to records
that exist in the seed (a schema cannot know which tenant ids exist); every other value is
Schemathesis's own.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mockserver.config import package_data_dir

from .targets import Target

SPECS = package_data_dir("specs")

# Imported for its effect only: the module registers Schemathesis's XML (de)serializers for Litmos
# when it loads (so the CLI can load it too, as SCHEMATHESIS_HOOKS).
importlib.import_module(f"{__package__}.litmos_xml")

# Seeded ids a generated reference is steered to (fixtures/titus.yaml).
SEEDED_TITUS_REFERENCES: dict[str, tuple[int, ...]] = {
    "tenantid": (1, 2),
    "categoryid": tuple(range(1, 9)),
    "courseid": tuple(range(2, 22)),
    "userid": tuple(range(5, 151)),
    "appraiserid": tuple(range(5, 151)),
    "roleid": (3, 4, 5),  # the roles a course enrolment can give
    "groupid": tuple(range(1, 21)),
    "cmid": tuple(range(1, 61)),
    "cohortid": (1, 2, 3, 4),
    "frameworkid": tuple(range(1, 7)),
    "parentid": tuple(range(1, 31)),
    "positionid": tuple(range(1, 16)),
    "organisationid": tuple(range(1, 31)),
    "departmentid": tuple(range(1, 31)),
    "managerjaid": tuple(range(1, 101)),
    "tempmanagerjaid": tuple(range(1, 101)),
    "programid": tuple(range(1, 7)),
}
# Custom field short names a `customfields` item is steered to, by the kind of record (seeded definitions).
SEEDED_TITUS_CUSTOM_FIELDS = {"user": ("costcentre", "startdate", "contracttype", "payrollid", "firstaider"),
                              "course": ("level", "duration", "mandatory", "reviewdate")}


def _steer(record: dict[str, Any], fields: tuple[str, ...]) -> None:
    """Map a schema-valid id (1..2**31-1) onto a seeded one; invalid values stay invalid for negative tests."""
    for name, seeded in SEEDED_TITUS_REFERENCES.items():
        value = record.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2147483647:
            record[name] = seeded[value % len(seeded)]
    values = record.get("customfields")
    if isinstance(values, list):  # a custom field is named by a short name: steer a schema-valid one to a defined one
        for item in values:
            name = item.get("shortname") if isinstance(item, dict) else None
            if isinstance(name, str) and 1 <= len(name) <= 255:
                item["shortname"] = fields[len(name) % len(fields)]


def _titus_existing_references(context: Any, body: Any) -> Any:
    path = getattr(getattr(context, "operation", None), "path", "") or ""
    fields = SEEDED_TITUS_CUSTOM_FIELDS["course" if "course" in path else "user"]
    if isinstance(body, dict):
        _steer(body, fields)
        for value in body.values():  # bulk envelopes: {"courses": [item, ...]}
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        _steer(item, fields)
    return body


# Seeded TeSLA courses (fixtures/tesla.yaml): a group-course link names one by id in its body.
SEEDED_TESLA_COURSES = tuple(range(1, 41))
# The VLE API and the learner API are called as the seeded VLE 1 module and as learner 16
# (oriol.pons@nou.example, of course 1); an assessment is steered to that learner in activity 1
# (quiz "17" of VLE 1), an attachment to course 1's activities.
TESLA_ASSESSMENT = {"vle_activity_type": "quiz", "vle_activity_id": "17", "vle_learner_uid": "nou-1010"}
TESLA_ATTACHMENT_ACTIVITIES = ((1, 1), (1, 2), (1, 3))
UUID_TEXT = re.compile(r"^(urn:)?(uuid:)?[{}]*-*([0-9a-fA-F]-*){32}[{}]*$")


@dataclass
class TeslaCallers:
    """Who calls what in the TeSLA run: the institution manager, the VLE module, a learner."""

    learner_uuid: str = ""

    def login(self, target: Target) -> dict[str, str]:
        """The manager's JWT (the run's default header); fetches the learner's UUID on the way."""
        http, prefix = target.client(), target.prefix("tesla")
        learner = http.post(f"{prefix}/api/v2/auth/login", json={"email": "oriol.pons@nou.example",
                                                                  "password": "tesla-learner"})
        learner.raise_for_status()
        profile = http.get(f"{prefix}/api/v2/auth/profile",
                           headers={"Authorization": f"JWT {learner.json()['token']['access_token']}"})
        self.learner_uuid = profile.json()["institution"]["learner_id"]
        return _tesla_login(target)

    def operations(self, target: Target) -> list[dict[str, Any]]:
        """The VLE API with the module's token (and its VLE id), the learner API with a learner
        token from a LAPI launcher (and that learner in the path)."""
        http, prefix = target.client(), target.prefix("tesla")
        role = http.post(f"{prefix}/api/v2/auth/approle",
                         json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
        role.raise_for_status()
        module = f"JWT {role.json()['token']['access_token']}"
        launcher = http.post(f"{prefix}/api/v2/vle/1/launcher/", json={"vle_user_uid": "nou-1010", "target": "LAPI"},
                             headers={"Authorization": module})
        launcher.raise_for_status()
        pair = http.post(f"{prefix}/api/v2/auth/token", json={"id": launcher.json()["id"],
                                                               "token": launcher.json()["token"]})
        pair.raise_for_status()
        return [
            # OPTIONS left out: it has no body or query, so a fixed VLE id would turn its negative
            # cases (a wrong path type) into valid requests; without it they are 403 as upstream.
            {"include-path-regex": "^/api/v2/vle/", "exclude-operation-id-regex": "^options_",
             "headers": {"Authorization": module}, "parameters": {"vle_id": "1", "learner_id": self.learner_uuid}},
            {"include-path-regex": "^/lapi/", "headers": {"Authorization": f"JWT {pair.json()['access_token']}"},
             "parameters": {"learner_id": self.learner_uuid}},
        ]

    def map_body(self, context: Any, body: Any) -> Any:
        """Seeded references, and the learner API's `learner_id` steered to the path's learner
        (a schema-valid value only: invalid ones stay for the negative tests)."""
        body = _tesla_existing_references(context, body)
        path = getattr(getattr(context, "operation", None), "path", "") or ""
        if not isinstance(body, dict):
            return body
        if path.startswith("/lapi/") and isinstance(body.get("learner_id"), str) and UUID_TEXT.match(body["learner_id"]):
            body["learner_id"] = self.learner_uuid
        if path.endswith("/assessment/") and all(_char_input(body.get(name)) for name in TESLA_ASSESSMENT):
            body.update(TESLA_ASSESSMENT)
        return body

    def map_path_parameters(self, context: Any, parameters: Any) -> Any:
        """An attachment's course and activity steered to course 1's activities (valid ids only)."""
        path = getattr(getattr(context, "operation", None), "path", "") or ""
        if "/attachment/" in path and isinstance(parameters, dict):
            course, activity = parameters.get("course_id"), parameters.get("activity_id")
            if isinstance(course, int) and isinstance(activity, int) and not isinstance(course, bool):
                parameters["course_id"], parameters["activity_id"] = \
                    TESLA_ATTACHMENT_ACTIVITIES[abs(activity) % len(TESLA_ATTACHMENT_ACTIVITIES)]
        return parameters


def _char_input(value: Any) -> bool:
    """A value DRF's CharField takes: non-blank text or a number."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and bool(value.strip()) and "\x00" not in value)


# Seeded TeSLA instruments: a VLE activity instrument names one by id in its body.
SEEDED_TESLA_INSTRUMENTS = (1, 2, 3, 4, 5)


def _tesla_existing_references(context: Any, body: Any) -> Any:
    """Steer a generated course id in a group-course link to a seeded course, and a VLE activity
    instrument's `instrument` to a seeded instrument (any other id is 404 or 400 there)."""
    path = getattr(getattr(context, "operation", None), "path", "") or ""
    steered = {"/group/{group_id}/course/": ("id", SEEDED_TESLA_COURSES),
               "/activity/{activity_id}/instrument/": ("instrument", SEEDED_TESLA_INSTRUMENTS),
               "/activity/{activity_id}/instrument/{id}/": ("instrument", SEEDED_TESLA_INSTRUMENTS)}
    for suffix, (name, seeded) in steered.items():
        if path.endswith(suffix) and path.startswith(("/api/v2/vle/", "/api/v2/institution/{institution_id}/group/")) \
                and isinstance(body, dict):
            value = body.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2**63 - 1:  # schema-valid only
                body[name] = seeded[value % len(seeded)]
    return body


# Titus rules no schema can express, marked `x-positive-data-400` in the spec: a course's end
# date before its start date is 400 enddatebeforestartdate, an enrolment's end not after its start is 400,
# a group member who is not enrolled in the group's course is 400 usernotenrolled, and so is an
# activity completion for a user not enrolled (or on an activity without completion tracking); a
# custom field value that does not fit its field (menu option, checkbox, date), a department or
# position parent outside its framework, a job assignment's manager chain that loops or a temporary
# manager without expiry date, a program's availability or an enrolment's due date out of order.
TITUS_EXCEPTIONS: dict[str, Any] = {
    "operations": [
        {
            "include-operation-id-regex": "^(create_course|update_course|create_courses|create_course_enrolment|create_course_enrolments|create_group_membership|create_group_memberships|"
                                           "create_activity_completion|create_activity_completions|create_user|update_user|update_users|"
                                           "create_(department|position)s?|(create|update)_job_assignment|create_job_assignments|"
                                           "(create|update)_program|create_program_enrolment)$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}},
        }
    ],
}


def _tesla_login(target: Target) -> dict[str, str]:
    """A JWT for the seeded user holding every institution-1 admin flag (15 minutes of mock time)."""
    answer = target.client().post(
        f"{target.prefix('tesla')}/api/v2/auth/login",
        json={"email": "manager@tesla.example", "password": "tesla-admin"},
    )
    answer.raise_for_status()
    return {"Authorization": f"JWT {answer.json()['token']['access_token']}"}


def _tesla_module_token(target: Target) -> str:
    """VLE 1's module token (the demo AppRole): the only caller the VLE API lets in."""
    answer = target.client().post(f"{target.prefix('tesla')}/api/v2/auth/approle",
                                  json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    answer.raise_for_status()
    return f"JWT {answer.json()['token']['access_token']}"


def tesla_config(target: Target) -> dict[str, Any]:
    """TESLA_EXCEPTIONS plus, for the VLE API's operations (security `vleModule`), VLE 1's module token
    and its id in the path: another VLE's id is 403 before anything else, as on the real server."""
    vle_api = {"include-path-regex": "^/api/v2/vle/", "headers": {"Authorization": _tesla_module_token(target)},
               "parameters": {"vle_id": "1"}}
    return {**TESLA_EXCEPTIONS, "operations": [*TESLA_EXCEPTIONS["operations"], vle_api]}


# TeSLA's real answers that Schemathesis's defaults call failures; both are marked in the spec.
TESLA_EXCEPTIONS: dict[str, Any] = {
    # `x-missing-header-status: 403`: the real server answers a missing Authorization with 403,
    # and Schemathesis hard-codes 401 for that one header.
    "checks": {"missing_required_header": {"enabled": False}},
    # `x-positive-data-400`: a taken username/email/uid, mismatched passwords, an email
    # outside the institution's domain or a second API-created instructor is DRF's 400, which no
    # schema can express; so are a taken VLE name, an unknown or already used activity instrument,
    # and the course tree's creates, which the real server cannot store (courses, activities and
    # enrolments come from the VLE API: a 500 there, a documented 400 here).
    "operations": [
        # DRF's OPTIONS answers its metadata even for a deleted object (SimpleMetadata swallows the
        # 404 of get_object and leaves the PUT actions out): a 200 after a DELETE is the vendor's.
        {"include-operation-id-regex": "^options_", "checks": {"use_after_free": {"enabled": False}}},
        {
            "include-operation-id-regex": "^((create|update|partial_update)_(user|instructor|vle|course|course_instructor|"
                                           "course_learner|activity_instrument)|create_activity|list_report_requests)$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}},
        },
        # The learner side: a taken learner email/uid, an IC version or document language the
        # institution already has, a SEND instrument the server did not start with, an unknown or
        # already held SEND category, a datetime DRF's parser refuses, a UI route that is no global
        # option's, a group parent or filter value that names no group, a profile update (the real
        # server always fails it), an unknown course to link (each op's x-positive-data-400).
        # The VLE API: a `vle_course_id` or activity (type, id) the VLE already uses, an unknown or already
        # used activity instrument, options text that is not JSON, a new person without names or with another
        # institution's email, a full person update without names, filter values naming no record.
        {
            "include-operation-id-regex": "^vle_((create|update|partial_update)_(course|activity|activity_instrument|"
                                           "course_learner|course_instructor)|enrol_course_(learner|instructor)|"
                                           "list_(courses|activities|activity_instruments|learner_requests))$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}},
        },
        {
            "include-operation-id-regex": "^((create|update|partial_update)_(learner|consent|consent_document|"
                                           "send_category|learner_send|ui_option|group)|list_send_categories|"
                                           "list_groups|update_user_profile|link_group_course)$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}},
        },
        # The VLE API's session actions and attachments, the learner API (each op's
        # x-positive-data-400): a closed session, a body without a session that lacks a lookup
        # field or an object `options`, a LAPI launcher for someone who is no learner, an
        # attachment segment that is no UUID, a datetime DRF's parser refuses, a storage name with a
        # `..` component; and 406 for a learner whose consent or enrolment is missing.
        {
            "include-operation-id-regex": "^(create_assessment|create_launcher|list_activity_attachment_instruments|"
                                           "create_activity_attachment|create_enrolment_sample|"
                                           "create_verification_sample|create_alert)$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "406", "409", "429", "5xx"]}},
        },
    ],
    # The manager's own institution: other ids are 403 before any lookup, as on the real server.
    "parameters": {"institution_id": "1"},
}


# Litmos's real answers that no schema can express, marked `x-positive-data-406` and
# `x-positive-data-400` in the spec: the ILT date-range lists need `since` and `to` together, in
# order and at most 7 days apart (406); a bulk import id that names no user import is SAP's 400.
LITMOS_EXCEPTIONS: dict[str, Any] = {
    "operations": [
        {
            "include-operation-id-regex": "^list_(future|past)_sessions$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "406", "409", "429", "5xx"]}},
        },
        {
            # A course the user holds through a learning path cannot be removed alone: 406 (the spec
            # says so); whether a generated pair is such a course depends on the seed, not the schema.
            "include-operation-id-regex": "^remove_user_course$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "406", "409", "429", "5xx"]}},
        },
        {
            "include-operation-id-regex": "^(get_bulk_import|list_bulk_import_user_errors)$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}},
        },
    ],
}


def positive_data_400(spec: Path) -> list[str]:
    """The operationIds the spec marks `x-positive-data-400`: rules no schema can express, where a
    schema-valid request may get a 400."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return sorted(operation["operationId"] for item in document["paths"].values() for operation in item.values()
                  if isinstance(operation, dict) and "x-positive-data-400" in operation)


# The admin API's rules that no schema can express: the operations its spec marks.
ADMIN_EXCEPTIONS: dict[str, Any] = {
    "operations": [
        {
            "include-operation-id-regex": "^({})$".format("|".join(positive_data_400(SPECS / "admin" / "openapi.yaml"))),
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}},
        }
    ],
}


@dataclass
class VendorRun:
    headers: Callable[[Target], dict[str, str]] = lambda target: {}
    # Per-operation settings made at run time (other callers' credentials), after `headers`.
    operations: Callable[[Target], list[dict[str, Any]]] = lambda target: []
    hooks: dict[str, Callable[..., Any]] = field(default_factory=dict)
    max_examples: int = 50
    stateful: bool = True  # the spec has links, so the stateful phase must run (and pass)
    config: dict[str, Any] = field(default_factory=dict)  # extra Schemathesis settings
    # Settings that need the server (a login made at run time); merged over `config`.
    live_config: Callable[[Target], dict[str, Any]] = lambda target: {}


TESLA_CALLERS = TeslaCallers()


def _tesla_map_body(context: Any, body: Any) -> Any:  # hooks must be plain functions (Schemathesis tags them)
    return TESLA_CALLERS.map_body(context, body)


def _tesla_map_path_parameters(context: Any, parameters: Any) -> Any:
    return TESLA_CALLERS.map_path_parameters(context, parameters)


VENDOR_RUNS: dict[str, VendorRun] = {
    "titus": VendorRun(
        headers=lambda target: {"Authorization": "Bearer titus-admin-token"},
        hooks={"map_body": _titus_existing_references},
        config=TITUS_EXCEPTIONS,
    ),
    # 30 examples per operation keep the Litmos run (30-odd operations, two media types) under two minutes.
    "litmos": VendorRun(headers=lambda target: {"apikey": "litmos-demo-key"}, max_examples=30,
                        config=LITMOS_EXCEPTIONS),
    "tesla": VendorRun(headers=TESLA_CALLERS.login, operations=TESLA_CALLERS.operations, config=TESLA_EXCEPTIONS,
                       hooks={"map_body": _tesla_map_body, "map_path_parameters": _tesla_map_path_parameters}),
    "admin": VendorRun(headers=lambda target: target.admin_headers(), max_examples=25, config=ADMIN_EXCEPTIONS),
}
