"""The site itself: its version information and whether multi-tenancy is on (fixtures' `site`)."""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError


class Site:
    """Seeded once and never changed by the API."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = dict(info)

    def version_info(self) -> dict[str, Any]:
        return dict(self.info)

    def require_multitenancy(self) -> None:
        """Tenants exist only where multi-tenancy is on (Workplace / Totara); else 400 `tenantsnotenabled`."""
        if not self.info.get("multitenancy", False):
            raise MockError(ErrorKind.BAD_REQUEST, "Multi-tenancy is not enabled on this site",
                            code="tenantsnotenabled")
