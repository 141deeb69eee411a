"""TeslaBackend composes one object per resource module (no mixins), over one shared `State`."""

from __future__ import annotations

import dataclasses
import inspect

from mockserver.config import Settings
from mockserver.core.clock import Clock
from mockserver.core.schema import SpecDocument
from mockserver.vendors.base import Backend
from mockserver.vendors.tesla.wire import FieldOrders
from mockserver.vendors.tesla.models import backend as backend_module
from mockserver.vendors.tesla.models.backend import TeslaBackend
from mockserver.vendors.tesla.models.state import State, Tables

FIXTURES = {"institutions": [{"id": 1, "acronym": "I", "name": "Institution", "created_at": "2026-01-01T00:00:00Z"}],
            "users": []}


FIELDS = FieldOrders(SpecDocument(Settings().specs / "tesla" / "openapi.yaml"))


def build() -> TeslaBackend:
    return TeslaBackend(FIXTURES, Clock(), 7, FIELDS)


def test_no_class_of_the_backend_inherits_rules() -> None:
    assert TeslaBackend.__bases__ == (Backend,)
    composed = [cls for _, cls in inspect.getmembers(backend_module, inspect.isclass)
                if cls.__module__.startswith("mockserver.vendors.tesla.models.") and cls is not TeslaBackend
                and not dataclasses.is_dataclass(cls)]
    assert composed and all(cls.__bases__ == (object,) for cls in composed), composed


def test_resources_are_attributes_sharing_one_state() -> None:
    backend = build()
    assert isinstance(backend.state, State)
    assert backend.state.lock is backend.lock and backend.state.clock is backend.clock
    for name in ("institutions", "users", "logins", "vles", "courses", "course_people", "activities", "reports",
                 "consents", "special_needs", "enrolments", "learners", "instructors", "ui_options", "sessions",
                 "user_actions", "groups", "vle_courses", "vle_instruments", "vle_enrolment", "vle_results",
                 "assessments", "samples", "attachments", "workers"):
        assert getattr(backend, name)._state is backend.state, name


def test_every_table_is_registered_in_the_state_s_order() -> None:
    backend = build()
    names = [field.name for field in dataclasses.fields(Tables)]
    assert list(backend.tables) == names  # the order of an export
    assert all(backend.tables[name] is getattr(backend.state.tables, name) for name in names)
    assert list(backend.export_state()["tables"]) == names
