"""Who a request speaks for: the token's principal, and the refusal that names a capability."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import forbidden


@dataclass(frozen=True)
class Principal:
    """Who a token speaks for, and what its profile allows."""

    token: str
    userid: int
    profile: str  # admin | readonly | tenant
    tenantid: int | None = None

    def can_write(self) -> bool:
        return self.profile in ("admin", "tenant")

    def sees_tenant(self, tenantid: int | None) -> bool:
        return self.profile != "tenant" or tenantid == self.tenantid


def require(principal: Principal, capability: str) -> None:
    """Writes need a writing profile; the readonly token is refused naming the capability."""
    if not principal.can_write():
        raise forbidden(capability)
