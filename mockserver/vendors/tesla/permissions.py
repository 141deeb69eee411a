"""Who may call what: TeSLA CE's DRF permission classes, under the names its source gives them.

Each operation of `specs/tesla/openapi.yaml` lists the classes guarding its view in
`x-permission`; DRF OR-s them (`A | B`), and so does `Policy.allows`. The classes read only the
caller, the method and the path, as the real ones do: membership is literal (a member passes only
under `/api/v2/institution/<its institution id>/`, so `/institution/01/` is not its own), and a
course class reads the course id that follows `/course/` in the path (`CourseRoles`). The check
runs before any lookup, so a refused caller gets 403 even for a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...core.errors import ErrorKind, MockError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_PERMISSION = "You do not have permission to perform this action."


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
# INSTRUCTOR / LEARNER: the caller's roles in the course whose id segment is given (the course
# rules answer it: `Courses.roles`); asked only when a course class is among the route's classes.
CourseRoles = Callable[[Principal, str], frozenset[str]]


@dataclass(frozen=True)
class Request:
    """What a permission class reads: the caller, the method and the path relative to the mount."""

    principal: Principal
    method: str
    path: str
    course_roles: CourseRoles

    @property
    def safe(self) -> bool:
        return self.method in SAFE_METHODS

    @property
    def member(self) -> bool:
        """`InstitutionMemberPermission`: a member, under its own institution's prefix."""
        principal = self.principal
        return principal.kind == "member" and self.path.startswith(f"/api/v2/institution/{principal.institution_id}/")

    def in_course(self, role: str) -> bool:
        """The course classes: the caller holds `role` in the course named after `/course/` in the path."""
        prefix = f"/api/v2/institution/{self.principal.institution_id}/course/"
        if not self.member or not self.path.startswith(prefix):
            return False
        return role in self.course_roles(self.principal, self.path[len(prefix):].split("/")[0])


def _read_only(check: Callable[[Request], bool]) -> Callable[[Request], bool]:
    """The `...ReadOnlyPermission` twin of a class: the same check, for GET, HEAD and OPTIONS only."""
    return lambda request: request.safe and check(request)


def _global_admin(request: Request) -> bool:
    return request.principal.is_global_admin


def _flag(name: str) -> Callable[[Request], bool]:
    """An institution admin flag of a member under its own institution."""
    return lambda request: request.member and bool(getattr(request.principal, name))


def _own_learner_path(request: Request) -> bool:
    """A learner under `/learner/<its own id>/` (the mock asks the caller to hold the learner role)."""
    principal = request.principal
    return request.member and principal.learner and f"/learner/{principal.user_id}/" in request.path


def _vle_module(request: Request) -> bool:
    principal = request.principal
    return principal.kind == "module" and principal.vle_id is not None \
        and request.path.startswith(f"/api/v2/vle/{principal.vle_id}/")


_ADMIN, _DATA, _LEGAL, _SEND = _flag("inst_admin"), _flag("data_admin"), _flag("legal_admin"), _flag("send_admin")


def _member(request: Request) -> bool:
    return request.member


def _course_instructor(request: Request) -> bool:
    return request.in_course("INSTRUCTOR")


def _course_learner(request: Request) -> bool:
    return request.in_course("LEARNER")


# TeSLA's classes (`tesla_ce/apps/api/permissions.py`), plus DRF's default for views without any.
CLASSES: dict[str, Callable[[Request], bool]] = {
    "AllowAny": lambda request: True,
    "GlobalAdminPermission": _global_admin,
    "GlobalAdminReadOnlyPermission": _read_only(_global_admin),
    "InstitutionMemberPermission": _member,
    "InstitutionMemberReadOnlyPermission": _read_only(_member),
    "InstitutionAdminPermission": _ADMIN,
    "InstitutionAdminNotDeletePermission": lambda request: request.method != "DELETE" and _ADMIN(request),
    "InstitutionAdminReadOnlyPermission": _read_only(_ADMIN),
    "InstitutionDataAdminPermission": _DATA,
    "InstitutionDataAdminReadOnlyPermission": _read_only(_DATA),
    "InstitutionLegalAdminPermission": _LEGAL,
    "InstitutionLegalAdminReadOnlyPermission": _read_only(_LEGAL),
    "InstitutionSENDAdminPermission": _SEND,
    "InstitutionSENDAdminReadOnlyPermission": _read_only(_SEND),
    "InstitutionLearnerPermission": _own_learner_path,
    "InstitutionLearnerReadOnlyPermission": _read_only(_own_learner_path),
    "InstitutionCourseInstructorPermission": _course_instructor,
    "InstitutionCourseInstructorReadOnlyPermission": _read_only(_course_instructor),
    "InstitutionCourseLearnerPermission": _course_learner,
    "InstitutionCourseLearnerReadOnlyPermission": _read_only(_course_learner),
    "VLEPermission": _vle_module,
    "VLEReadOnlyPermission": _read_only(_vle_module),
}


@dataclass(frozen=True)
class Policy:
    """One view's permission classes (`x-permission`), and the detail a member of the path's
    institution gets when they all refuse it (`x-permission-denied`: the view's own
    `PermissionDenied`); other callers get DRF's NO_PERMISSION.

    No classes at all is a view outside DRF's authentication (the token endpoints, file serving).
    """

    classes: tuple[str, ...]
    member_denied: str | None = None

    @classmethod
    def of(cls, classes: Sequence[str], member_denied: str | None = None) -> Policy:
        unknown = [name for name in classes if name not in CLASSES]
        if unknown:
            raise ValueError(f"unknown permission classes {unknown}; known: {sorted(CLASSES)}")
        return cls(tuple(classes), member_denied)

    @property
    def authenticates(self) -> bool:
        """Whether DRF authenticates the caller here (a bad token is 401 even where anyone may call)."""
        return bool(self.classes)

    def allows(self, request: Request) -> bool:
        return any(CLASSES[name](request) for name in self.classes)

    def check(self, request: Request) -> None:
        if not self.allows(request):
            if self.member_denied is not None and request.member:
                raise MockError(ErrorKind.FORBIDDEN, self.member_denied)
            raise MockError(ErrorKind.FORBIDDEN, NO_PERMISSION)
