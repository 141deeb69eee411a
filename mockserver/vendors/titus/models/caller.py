"""Who a request speaks for (the token's principal) and which capability its operation needs."""

from __future__ import annotations

from dataclasses import dataclass

from ....core.errors import MockError
from ..errors import forbidden
from ..policy import Capability


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


@dataclass(frozen=True)
class Caller:
    """A principal calling one operation: a record out of its reach is refused naming the
    capability that operation needs (its `x-capability`), as Moodle's `required_capability_exception` does."""

    principal: Principal
    capability: Capability

    @property
    def userid(self) -> int:
        return self.principal.userid

    @property
    def tenantid(self) -> int | None:
        return self.principal.tenantid

    @property
    def bound_to_tenant(self) -> bool:
        """A tenant token: it sees and changes only its own tenant's records."""
        return self.principal.profile == "tenant"

    def sees(self, tenantid: int | None) -> bool:
        return self.principal.sees_tenant(tenantid)

    def refusal(self) -> MockError:
        return forbidden(self.capability)

    def check_sees(self, tenantid: int | None) -> None:
        """403 naming the operation's capability when the record lies in another tenant."""
        if not self.sees(tenantid):
            raise self.refusal()
