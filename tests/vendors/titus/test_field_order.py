"""A record's fields go on the wire in its schema's property order (mockserver/vendors/titus/field_order.py)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml
from titus_support import ADMIN, BASE

from mockserver.vendors.titus.field_order import FieldOrder, FieldOrders
from mockserver.core.yamlcache import load_yaml

SPEC = Path(__file__).parents[3] / "specs" / "titus" / "openapi.yaml"


@functools.cache
def spec() -> dict[str, Any]:
    return load_yaml(SPEC, yaml.CSafeLoader)


def properties(schema: str) -> list[str]:
    return list(spec()["components"]["schemas"][schema]["properties"])


def test_a_view_takes_the_schemas_order_and_derived_values_first() -> None:
    order = FieldOrder("Thing", ("id", "name", "count", "tenantid"))
    view = order.view({"tenantid": 3, "name": "a", "id": 1, "secret": "x"}, count=2)
    assert list(view.items()) == [("id", 1), ("name", "a"), ("count", 2), ("tenantid", 3)]
    with pytest.raises(KeyError):
        order.view({"id": 1, "name": "a"}, count=2)  # the model and the spec disagree about tenantid


def test_the_stored_columns_are_the_properties_less_the_derived_ones() -> None:
    order = FieldOrder("Thing", ("id", "name", "count"))
    assert order.columns(("count",)) == ("id", "name")
    assert order.columns() == ("id", "name", "count")
    with pytest.raises(KeyError, match="Thing has no properties"):
        order.columns(("missing",))


def test_each_schema_is_read_once() -> None:
    orders = FieldOrders.from_spec(spec())
    assert orders.of("Category") is orders.of("Category")
    assert orders.of("Category").names == tuple(properties("Category"))
    with pytest.raises(KeyError):
        orders.of("Nope")


@pytest.mark.parametrize("path, schema", [
    ("/user/5", "User"), ("/course/2", "Course"), ("/category/3", "Category"), ("/group/1", "Group"),
    ("/job_assignment/2", "JobAssignment"), ("/organisation_department/2", "OrgItem"), ("/program/1", "Program"),
    ("/tenant/1", "Tenant"), ("/role/5", "Role"), ("/course_completion/2/5", "CourseCompletion"),
])
def test_a_record_answers_in_its_schemas_order(titus_client, path: str, schema: str) -> None:
    answer = titus_client.get(f"{BASE}{path}", headers=ADMIN)
    assert answer.status_code == 200
    assert list(answer.json()) == properties(schema)


@pytest.mark.parametrize("path, key, schema", [
    ("/course_users?courseid=2", "course_users", "CourseUser"),
    ("/user_profile_fields", "user_profile_fields", "ProfileField"),
    ("/course_custom_fields", "course_custom_fields", "CourseField"),
])
def test_list_items_answer_in_their_schemas_order(titus_client, path: str, key: str, schema: str) -> None:
    items = titus_client.get(f"{BASE}{path}", headers=ADMIN).json()[key]
    assert items and all(list(item) == properties(schema) for item in items)
