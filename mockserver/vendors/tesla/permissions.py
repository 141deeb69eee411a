"""Who may call what: the DRF permission classes of the real server, checked before any lookup.

Membership is literal, as in the real server: a member passes only when the institution
segment of the path is exactly their institution's id (`/institution/01/` is not theirs), so a
foreign or nonexistent institution is 403 for everyone but a global admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.errors import ErrorKind, MockError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_PERMISSION = "You do not have permission to perform this action."

# Route groups of this slice.
INSTITUTION_LIST = "institution_list"
INSTITUTION = "institution"
USER = "user"


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


def allowed(principal: Principal, group: str, method: str, institution_segment: str | None) -> bool:
    safe = method in SAFE_METHODS
    if group == INSTITUTION_LIST:
        return principal.is_global_admin and safe
    if principal.is_global_admin:
        return safe  # read-only everywhere in these groups
    if not principal.member_of(institution_segment):
        return False
    if group == INSTITUTION:
        return safe or principal.inst_admin
    if group == USER:
        return safe or principal.data_admin or (principal.inst_admin and method != "DELETE")
    return False


def check(principal: Principal, group: str, method: str, institution_segment: str | None) -> None:
    if not allowed(principal, group, method, institution_segment):
        raise MockError(ErrorKind.FORBIDDEN, NO_PERMISSION)
