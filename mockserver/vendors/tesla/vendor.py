"""TeSLA CE as a mountable vendor: at `/tesla` beside the others, at the root when alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...core.clock import Clock
from ...core.errors import MockError
from ...core.fixtures import FixtureError
from ...config import Settings
from ...core.resolver import operation_ids
from ...core.progress import StartupProgress
from ..base import Vendor, WireResponse
from . import auth, errors, metadata
from .cors import TESLA_CORS
from .models import seed as seed_data
from .wire import FieldOrders
from .models.backend import TeslaBackend
from .routes import RouteBook


class TeslaVendor(Vendor):
    name = "tesla"
    title = "TeSLA CE"
    mount_prefix = "/tesla"
    real_prefix = ""
    spec_file = "tesla/openapi.yaml"
    handlers_module = "mockserver.vendors.tesla.handlers"
    secret_fields = frozenset({"password_hash", "secret_id", "consumer_secret", "credentials", "token", "access_token", "refresh_token"})
    state_references = {
        "users": {"institution": "institutions"},
        "vles": {"institution": "institutions"},
        "approles": {"vle_id": "vles"},
        "courses": {"vle": "vles"},
        "activities": {"course": "courses", "vle": "vles"},
        "activity_instruments": {"activity": "activities", "instrument_id": "instruments"},
        "reports": {"activity": "activities", "learner": "users"},
        "report_requests": {"activity": "activities", "learner": "users"},
        "report_audits": {"report": "reports", "instrument": "instruments"},
        "consents": {"institution": "institutions"},
        "consent_documents": {"consent": "consents"},
        "send_categories": {"institution": "institutions"},
        "send_assignments": {"learner": "users", "category": "send_categories"},
        "enrolments": {"learner": "users", "instrument_id": "instruments"},
        "ui_options": {"institution": "institutions", "user": "users"},
        "launchers": {"user": "users"},
        "course_groups": {"institution": "institutions"},
    }
    fixture_file = "tesla.yaml"
    cors_policy = TESLA_CORS
    fixture_collections = seed_data.COLLECTIONS

    def __init__(self, settings: Settings, specs_dir: Path) -> None:
        super().__init__(settings, specs_dir)
        self.routes = RouteBook(self.spec)  # each operation's permission classes, read once
        self.fields = FieldOrders(self.spec)  # each answer's field order, read once

    def load_fixtures(self, fixtures_dir: Path, progress: StartupProgress | None = None) -> dict[str, Any]:
        data = super().load_fixtures(fixtures_dir, progress)
        path = self.fixture_path(fixtures_dir)
        for label, field, value, known in seed_data.references(data):
            if value is not None and value not in known:
                raise FixtureError(path, label, field, f"refers to {value}, which the fixtures do not define")
        for index, record in enumerate(data["users"]):
            if record.get("institution") is None and not record.get("is_staff"):
                raise FixtureError(path, f"users[{index}]", "institution", "needed unless is_staff is true")
            if record.get("instructor") and record.get("institution") is None:
                raise FixtureError(path, f"users[{index}]", "instructor", "an instructor needs an institution")
        return data

    def seed_conversions(self) -> dict[str, Callable[[Any], Any]]:
        return {"json-text": _decoded_json}

    def declared_handlers(self) -> dict[str, Callable[..., Any]]:
        """The handlers package's, plus the spec's `options_*` operations: all DRF's metadata view."""
        options = {name: metadata.options_view for name in operation_ids(self.spec.paths())
                   if name.startswith(metadata.OPERATION_PREFIX)}
        return {**super().declared_handlers(), **options}

    def backend_options(self) -> tuple[Any, ...]:
        return (self.settings.quirks,)

    def build_backend(self, fixtures: dict[str, Any], clock: Clock, seed: int) -> TeslaBackend:
        return TeslaBackend(fixtures, clock, seed, self.fields, quirks=self.settings.quirks)

    def render_error(self, error: MockError, scope: dict[str, Any]) -> WireResponse:
        return errors.render(error, scope)

    def authenticate(self, request: Any) -> dict[str, Any]:
        return auth.authenticate(request, self.backend(request.scope))

    def demo_credentials(self) -> list[str]:
        return [
            "POST /api/v2/auth/login {email, password}, then Authorization: JWT <access_token>",
            "  admin@tesla.example / tesla-admin        (global admin: reads everything, writes nothing)",
            "  inst-admin@tesla.example / tesla-admin   (institution 1 admin: institution and users, no delete)",
            "  data-admin@tesla.example / tesla-admin   (institution 1 data admin: users, delete included)",
            "  member@tesla.example / tesla-member      (plain member of institution 1: sees only itself)",
            "  marta.vidal@nou.example, aina.roca@nou.example, arnau.costa@nou.example / tesla-member",
            "                                           (institution 1 instructor, legal admin, SEND admin)",
            "  oriol.pons@nou.example / tesla-learner   (learner 16: its own /learner/16/, IC accept and reject)",
            "  cit-admin@tesla.example / tesla-admin    (institution 2 admin; its other roles in docs/tesla.md)",
            "POST /api/v2/auth/approle {role_id: tesla-mock-role, secret_id: tesla-mock-secret}  (VLE module)",
            "  then /api/v2/vle/1/assessment/, launcher/, .../attachment/<uuid>/; learners: /lapi/v1/... (docs/tesla.md)",
            "POST /api/v2/auth/token {id: 1, token: 7f1e3c9a-launcher-learner-16}  (learner 16's launcher, once)",
        ]


def _decoded_json(value: Any) -> Any:
    """A JSON field some serializers answer as its text (an activity instrument's `options_schema`),
    decoded for the fixtures; None (left out) when the text is not JSON."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return None
