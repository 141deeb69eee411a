"""TeSLA CE credentials: `Authorization: <any word> <JWT>`, then the route's permission check.

Both run in Connexion's security layer (before parameter validation), which is where DRF runs
its authentication and permission classes: a caller without the permission gets 403 even when
a query parameter is bad or the record does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...core.errors import ErrorKind, MockError
from . import permissions
from .models.backend import TeslaBackend
from .permissions import ANONYMOUS, Principal

NO_CREDENTIALS = "Invalid token header. No credentials provided."
SPACES = "Invalid token header. Token string should not contain spaces."


@dataclass(frozen=True)
class Route:
    """A protected route of this slice, found by its path (relative to the mount)."""

    group: str
    institution: str | None
    list_operation: str | None
    learner: str | None = None  # the `/learner/<id>/` segment, for the learner's own routes
    course: str | None = None  # the `/course/<cid>/` segment of course-scoped routes
    vle: str | None = None  # the `/vle/<vid>/` segment of VLE API routes


# Paths relative to the mount; ids as Django's router takes them (no slash, no dot).
_ROUTES = (
    (re.compile(r"^/api/v2/institution/$"), permissions.INSTITUTION_LIST, "list_institutions"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/$"), permissions.INSTITUTION, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/user/$"), permissions.USER, "list_users"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/user/[^/.]+/$"), permissions.USER, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/instructor/$"), permissions.INSTRUCTOR, "list_instructors"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/instructor/[^/.]+/$"), permissions.INSTRUCTOR, None),
    # -- TeSLA B: learners, informed consent, SEND, UI options, user actions, course groups --
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/learner/$"), permissions.LEARNER, "list_learners"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/learner/(?P<lid>[^/.]+)/$"), permissions.LEARNER, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/learner/(?P<lid>[^/.]+)/ic/$"), permissions.LEARNER_IC, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/learner/(?P<lid>[^/.]+)/enrolment/$"),
     permissions.LEARNER_ENROLMENT, "get_learner_enrolment"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/learner/(?P<lid>[^/.]+)/send/$"), permissions.LEARNER_SEND,
     "list_learner_sends"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/learner/(?P<lid>[^/.]+)/send/[^/.]+/$"),
     permissions.LEARNER_SEND, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/send/$"), permissions.SEND, "list_send_categories"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/send/[^/.]+/$"), permissions.SEND, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/ic/$"), "ic", "list_consents"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/ic/[^/.]+/$"), "ic", None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/ic/[^/.]+/document/$"), "ic_document", "list_consent_documents"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/ic/[^/.]+/document/[^/.]+/$"), "ic_document", None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/ui/$"), permissions.UI, "list_ui_options"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/ui/[^/.]+/$"), permissions.UI, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/user/[^/.]+/activities/$"), permissions.USER_ACTIVITIES,
     "list_user_activities"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/user/[^/.]+/profile/$"), permissions.USER_PROFILE, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/group/$"), "group", "list_groups"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/group/[^/.]+/$"), "group", None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/group/[^/.]+/course/$"), "group_course", "list_group_courses"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/group/[^/.]+/course/[^/.]+/$"), "group_course", None),
    # -- end TeSLA B --
    # -- TeSLA A: the course tree --
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/vle/$"), permissions.VLE, "list_vles"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/vle/[^/.]+/$"), permissions.VLE, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/$"), permissions.COURSE, "list_courses"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/[^/.]+/$"), permissions.COURSE, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/instrument/$"), permissions.INSTRUMENT, "list_instruments"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/instrument/[^/.]+/$"), permissions.INSTRUMENT, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/instructor/$"), permissions.COURSE_INSTRUCTOR, "list_course_instructors"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/instructor/[^/.]+/$"), permissions.COURSE_INSTRUCTOR, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/learner/$"), permissions.COURSE_LEARNER, "list_course_learners"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/learner/[^/.]+/$"), permissions.COURSE_LEARNER, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/$"), permissions.ACTIVITY, "list_activities"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/$"), permissions.ACTIVITY, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/instrument/$"), permissions.ACTIVITY, "list_activity_instruments"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/instrument/[^/.]+/$"), permissions.ACTIVITY, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/report/$"), permissions.REPORT, "list_reports"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/report/[^/.]+/$"), permissions.REPORT, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/report/[^/.]+/request/$"), permissions.REPORT_REQUEST, "list_report_requests"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/report/[^/.]+/request/[^/.]+/$"), permissions.REPORT_REQUEST, None),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/report/[^/.]+/audit/$"), permissions.REPORT_AUDIT, "list_report_audits"),
    (re.compile(r"^/api/v2/institution/(?P<iid>[^/.]+)/course/(?P<cid>[^/.]+)/activity/[^/.]+/report/[^/.]+/audit/[^/.]+/$"), permissions.REPORT_AUDIT, None),
    # -- end TeSLA A --
)


# The VLE API (tesla-vle.md §2.1): every route of its router, each under VLEPermission. Ids as
# Django's router takes them; the attachment's learner segment is its own regex (`[\w|-]+`).
_V = r"^/api/v2/vle/(?P<vid>[^/.]+)/"
_A = _V + r"course/[^/.]+/activity/[^/.]+/"
_VLE_ROUTES = tuple((re.compile(pattern), operation) for pattern, operation in (
    (r"^/api/v2/vle/$", None),  # always 403: no module names a VLE here
    (_V + r"$", None),
    (_V + r"assessment/$", None),
    (_V + r"launcher/$", None),
    (_V + r"instrument/$", "vle_list_instruments"),
    (_V + r"instrument/[^/.]+/$", None),
    (_V + r"course/$", "vle_list_courses"),
    (_V + r"course/[^/.]+/$", None),
    (_V + r"course/[^/.]+/activity/$", "vle_list_activities"),
    (_A + r"$", None),
    (_A + r"attachment/[\w|-]+/$", None),
    (_A + r"instrument/$", "vle_list_activity_instruments"),
    (_A + r"instrument/[^/.]+/$", None),
    (_A + r"learner/$", "vle_list_activity_learners"),
    (_A + r"learner/[^/.]+/$", None),
    (_A + r"learner/[^/.]+/request/$", "vle_list_learner_requests"),
    (_A + r"learner/[^/.]+/request/[^/.]+/$", None),
    (_A + r"report/$", "vle_list_reports"),
    (_A + r"report/[^/.]+/$", None),
    (_V + r"course/[^/.]+/learner/$", "vle_list_course_learners"),
    (_V + r"course/[^/.]+/learner/[^/.]+/$", None),
    (_V + r"course/[^/.]+/instructor/$", "vle_list_course_instructors"),
    (_V + r"course/[^/.]+/instructor/[^/.]+/$", None),
))
# The learner API: one family with no permission classes, whatever route below it a request reaches.
_LAPI = re.compile(r"^/lapi/v1/")
# Paths Django's URL patterns refuse although the spec's templates take them: the learner API's
# `<int:institution_id>/<uuid:learner_id>/` (lowercase UUIDs only) and the attachment action's
# `attachment/(?P<learner_id>[\w|-]+)` (ids in the router's `[^/.]+`). They are Django's HTML 404,
# before any authentication or permission check.
_LAPI_ROUTE = re.compile(r"^/lapi/v1/(?:enrolment|verification|alert|status|profile)/[0-9]+/"
                         r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$")
_ATTACHMENT = re.compile(r"^/api/v2/vle/[^/]*/course/[^/]*/activity/[^/]*/attachment/")
_ATTACHMENT_ROUTE = re.compile(r"^/api/v2/vle/[^/.]+/course/[^/.]+/activity/[^/.]+/attachment/[\w|-]+/$")


def resolvable(path: str) -> bool:
    """False for a path of the learner API or the attachment action that Django would not resolve."""
    if _LAPI.match(path):
        return _LAPI_ROUTE.match(path) is not None
    if _ATTACHMENT.match(path):
        return _ATTACHMENT_ROUTE.match(path) is not None
    return True


def route(path: str) -> Route | None:
    if not resolvable(path):
        return None
    for pattern, list_operation in _VLE_ROUTES:
        match = pattern.match(path)
        if match:
            return Route(permissions.VLE_API, None, list_operation, vle=match.groupdict().get("vid"))
    if _LAPI.match(path):
        return Route(permissions.LAPI, None, None)
    for pattern, group, list_operation in _ROUTES:
        match = pattern.match(path)
        if match:
            groups = match.groupdict()
            return Route(group, groups.get("iid"), list_operation, groups.get("lid"), groups.get("cid"))
    return None


def header(scope: dict[str, Any], name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value
    return None


def principal(raw: bytes | None, backend: TeslaBackend) -> Principal:
    """JWTAuthentication: no header (or only whitespace) is an anonymous caller, not a 401."""
    words = (raw or b"").split()
    if not words:
        return ANONYMOUS
    if len(words) == 1:
        raise MockError(ErrorKind.UNAUTHORIZED, NO_CREDENTIALS)
    if len(words) > 2:
        raise MockError(ErrorKind.UNAUTHORIZED, SPACES)
    return backend.principal_for(words[1].decode("latin-1"))


def _checked(scope: dict[str, Any], found: Route, backend: TeslaBackend) -> Principal:
    caller = principal(header(scope, b"authorization"), backend)
    roles = backend.course_roles(caller, found.institution, found.course) if found.course is not None else frozenset()
    permissions.check(caller, found.group, scope["method"], found.institution, found.learner, roles, found.vle)
    return caller


def authenticate(request: Any, backend: TeslaBackend) -> dict[str, Any]:
    scope = request.scope
    found = route(scope["mockserver.mount"].relative(scope["path"]))
    if found is None:  # an id with a dot: Django's router has no such path
        raise MockError(ErrorKind.ROUTE_NOT_FOUND, "no route")
    caller = _checked(scope, found, backend)
    return {"sub": caller.user_id, "principal": caller}


def precheck(scope: dict[str, Any], path: str, backend: TeslaBackend) -> MockError | None:
    """The 401/403 DRF gives before a 405 (it authenticates and checks permissions first)."""
    found = route(path)
    if found is None:
        return None
    try:
        _checked(scope, found, backend)
    except MockError as error:
        return error
    return None
