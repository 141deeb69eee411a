"""Who may call what: the DRF permission classes of the real server, checked before any lookup.

The rules are the §2.2 matrix of the vendor reference, written as data (`MATRIX`): one `Rule`
per route group saying what each kind of caller may do. Membership is literal, as in the real
server: a member passes only when the institution segment of the path is exactly their
institution's id (`/institution/01/` is not theirs), so a foreign or nonexistent institution is
403 for everyone but a global admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.errors import ErrorKind, MockError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_PERMISSION = "You do not have permission to perform this action."

# Route groups served so far.
INSTITUTION_LIST = "institution_list"
INSTITUTION = "institution"
USER = "user"
INSTRUCTOR = "instructor"
VLE = "vle"
# TeSLA B groups: learners, informed consent, SEND, UI options, course groups.
LEARNER = "learner"
LEARNER_IC = "learner_ic"  # only the learner themself
LEARNER_ENROLMENT = "learner_enrolment"
SEND = "send"
LEARNER_SEND = "learner_send"
UI = "ui"
USER_ACTIVITIES = "user_activities"
USER_PROFILE = "user_profile"
# Routes without permission classes on the real server: anyone may call them, even anonymously.
PUBLIC_GROUPS = frozenset({"group", "group_course", "ic", "ic_document"})
# TeSLA A groups: the course tree. Course-scoped rules also grant by the caller's role in the
# path's course (`course_roles`: INSTRUCTOR/LEARNER, see CourseRules.course_roles).
COURSE = "course"
# The VLE API (`/api/v2/vle/{vle_id}/...`): VLEPermission, a VLE module whose token names that VLE.
VLE_API = "vle_api"
# The learner API (`/lapi/v1/...`): no permission classes; each view checks the caller itself.
LAPI = "lapi"
INSTRUMENT = "instrument"  # public, read-only
COURSE_INSTRUCTOR = "course_instructor"
COURSE_LEARNER = "course_learner"
ACTIVITY = "activity"  # activities and their instruments
REPORT = "report"
REPORT_REQUEST = "report_request"
REPORT_AUDIT = "report_audit"

# Access levels of the matrix.
NONE = "none"
READ = "read"  # GET, HEAD, OPTIONS
NO_DELETE = "no_delete"  # everything but DELETE
FULL = "full"


@dataclass(frozen=True)
class Principal:
    """The caller behind a request: anonymous, a global admin, an institution member, a module."""

    kind: str  # anonymous | admin | member | module
    user_id: int | None = None
    vle_id: int | None = None  # a VLE module's VLE
    institution_id: int | None = None
    inst_admin: bool = False
    legal_admin: bool = False
    send_admin: bool = False
    data_admin: bool = False
    learner: bool = False

    @property
    def is_global_admin(self) -> bool:
        return self.kind == "admin"

    def member_of(self, institution_segment: str | None) -> bool:
        return self.kind == "member" and institution_segment == str(self.institution_id)

    @property
    def sees_all_users(self) -> bool:
        """Members without an admin flag (other than SEND) see only themselves in user lists."""
        return self.is_global_admin or self.inst_admin or self.legal_admin or self.data_admin


ANONYMOUS = Principal("anonymous")


@dataclass(frozen=True)
class Rule:
    """One row of the matrix: the access of each kind of caller (permission classes are OR-ed)."""

    global_admin: str = NONE
    inst_admin: str = NONE
    legal_admin: str = NONE
    send_admin: str = NONE
    data_admin: str = NONE
    member: str = NONE  # any member of the institution in the path
    course_instructor: str = NONE  # an instructor of the course in the path
    course_learner: str = NONE  # a learner of the course in the path

    def levels(self, principal: Principal, course_roles: frozenset[str] = frozenset()) -> list[str]:
        if principal.is_global_admin:
            return [self.global_admin]
        found = [self.member]
        for flag in ("inst_admin", "legal_admin", "send_admin", "data_admin"):
            if getattr(principal, flag):
                found.append(getattr(self, flag))
        if "INSTRUCTOR" in course_roles:
            found.append(self.course_instructor)
        if "LEARNER" in course_roles:
            found.append(self.course_learner)
        return found


MATRIX: dict[str, Rule] = {
    INSTITUTION: Rule(global_admin=READ, inst_admin=FULL, member=READ),  # the route has no POST/DELETE
    USER: Rule(global_admin=READ, inst_admin=NO_DELETE, legal_admin=READ, data_admin=FULL, member=READ),
    VLE: Rule(global_admin=READ, inst_admin=FULL),
    INSTRUCTOR: Rule(global_admin=READ, inst_admin=FULL, legal_admin=READ, data_admin=READ),
    LEARNER: Rule(global_admin=READ, inst_admin=FULL, legal_admin=READ, data_admin=READ),
    LEARNER_IC: Rule(),  # nobody but the learner on its own path (`_own_learner_path`)
    # The action's own classes: members (GET) and data admins; a global admin is no member (§2.2).
    LEARNER_ENROLMENT: Rule(inst_admin=READ, legal_admin=READ, send_admin=READ, data_admin=FULL, member=READ),
    SEND: Rule(global_admin=READ, inst_admin=FULL, send_admin=FULL),
    LEARNER_SEND: Rule(global_admin=READ, inst_admin=FULL, send_admin=FULL),
    UI: Rule(global_admin=FULL, inst_admin=FULL),
    USER_ACTIVITIES: Rule(global_admin=READ, inst_admin=READ, legal_admin=READ, send_admin=READ,
                          data_admin=READ, member=READ),
    USER_PROFILE: Rule(global_admin=READ, inst_admin=FULL, legal_admin=FULL, send_admin=FULL,
                       data_admin=FULL, member=FULL),
    COURSE: Rule(global_admin=READ, inst_admin=NO_DELETE, data_admin=FULL, member=READ),
    COURSE_INSTRUCTOR: Rule(global_admin=READ, inst_admin=FULL, legal_admin=READ, data_admin=READ,
                            course_instructor=FULL, course_learner=READ),
    COURSE_LEARNER: Rule(global_admin=READ, inst_admin=FULL, data_admin=READ, course_instructor=FULL,
                         course_learner=READ),
    ACTIVITY: Rule(global_admin=READ, inst_admin=FULL, course_instructor=FULL, course_learner=READ),
    REPORT: Rule(global_admin=READ, inst_admin=READ, data_admin=READ, course_instructor=READ, course_learner=READ),
    REPORT_REQUEST: Rule(global_admin=READ, inst_admin=READ, course_instructor=READ),
    REPORT_AUDIT: Rule(global_admin=READ, inst_admin=READ, data_admin=READ, course_instructor=READ,
                       course_learner=READ),
}
LEARNER_OWN_IC = "Only learner can manage his/her IC"


def _own_learner_path(principal: Principal, group: str, method: str, learner_segment: str | None) -> bool:
    """A learner reads its own `/learner/<id>/...` routes; only it may accept or reject its IC."""
    if not principal.learner or learner_segment != str(principal.user_id):
        return False
    return group == LEARNER_IC or (group == LEARNER and method in SAFE_METHODS)


def _grants(level: str, method: str) -> bool:
    if level == FULL:
        return True
    if level == NO_DELETE:
        return method != "DELETE"
    return level == READ and method in SAFE_METHODS


def allowed(principal: Principal, group: str, method: str, institution_segment: str | None,
            learner_segment: str | None = None, course_roles: frozenset[str] = frozenset(),
            vle_segment: str | None = None) -> bool:
    if group == VLE_API:  # VLEPermission: checked before lookups, so 403 comes before 404 and 405
        return principal.kind == "module" and principal.vle_id is not None and vle_segment == str(principal.vle_id)
    if group in PUBLIC_GROUPS or group == LAPI:
        return True
    if group == INSTRUMENT:  # public and read-only (other methods are 405)
        return True
    if group == INSTITUTION_LIST:
        return principal.is_global_admin and method in SAFE_METHODS
    rule = MATRIX.get(group)
    if rule is None:
        return False
    if not principal.is_global_admin and not principal.member_of(institution_segment):
        return False
    if _own_learner_path(principal, group, method, learner_segment):
        return True
    return any(_grants(level, method) for level in rule.levels(principal, course_roles))


def check(principal: Principal, group: str, method: str, institution_segment: str | None,
          learner_segment: str | None = None, course_roles: frozenset[str] = frozenset(),
          vle_segment: str | None = None) -> None:
    if not allowed(principal, group, method, institution_segment, learner_segment, course_roles, vle_segment):
        if group == LEARNER_IC and principal.member_of(institution_segment):
            raise MockError(ErrorKind.FORBIDDEN, LEARNER_OWN_IC)
        raise MockError(ErrorKind.FORBIDDEN, NO_PERMISSION)
