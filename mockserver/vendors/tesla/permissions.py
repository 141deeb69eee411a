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
    institution_id: int | None = None
    inst_admin: bool = False
    legal_admin: bool = False
    send_admin: bool = False
    data_admin: bool = False

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

    def levels(self, principal: Principal) -> list[str]:
        if principal.is_global_admin:
            return [self.global_admin]
        found = [self.member]
        for flag in ("inst_admin", "legal_admin", "send_admin", "data_admin"):
            if getattr(principal, flag):
                found.append(getattr(self, flag))
        return found


MATRIX: dict[str, Rule] = {
    INSTITUTION: Rule(global_admin=READ, inst_admin=FULL, member=READ),  # the route has no POST/DELETE
    USER: Rule(global_admin=READ, inst_admin=NO_DELETE, legal_admin=READ, data_admin=FULL, member=READ),
    VLE: Rule(global_admin=READ, inst_admin=FULL),
    INSTRUCTOR: Rule(global_admin=READ, inst_admin=FULL, legal_admin=READ, data_admin=READ),
}


def _grants(level: str, method: str) -> bool:
    if level == FULL:
        return True
    if level == NO_DELETE:
        return method != "DELETE"
    return level == READ and method in SAFE_METHODS


def allowed(principal: Principal, group: str, method: str, institution_segment: str | None) -> bool:
    if group == INSTITUTION_LIST:
        return principal.is_global_admin and method in SAFE_METHODS
    rule = MATRIX.get(group)
    if rule is None:
        return False
    if not principal.is_global_admin and not principal.member_of(institution_segment):
        return False
    return any(_grants(level, method) for level in rule.levels(principal))


def check(principal: Principal, group: str, method: str, institution_segment: str | None) -> None:
    if not allowed(principal, group, method, institution_segment):
        raise MockError(ErrorKind.FORBIDDEN, NO_PERMISSION)
