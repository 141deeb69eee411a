"""User profile fields and course custom fields: the definitions (read-only) and the values' rules.

Values travel as `customfields: [{shortname, value}]` on users and courses. A value must name a
defined field (400 `invalidcustomfield`) and fit its type: a menu/select value is one of the
options, a checkbox is "0" or "1", a date is Unix seconds (400 `invalidcustomfieldvalue`). A
`forceunique` profile field value may be held by one user only (409 `profilefieldvalueexists`).
"""

from __future__ import annotations

from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table, Unique, exact_key
from ..errors import bad_request
from ..field_order import FieldOrder, FieldOrders
from .paging import exact_filter, listing, sort_key
from .store import Store

PROFILE_FIELD_DEFAULTS: dict[str, Any] = {"categoryid": 1, "categoryname": "Other fields", "required": False,
                                          "locked": False, "visible": 2, "forceunique": False, "signup": False,
                                          "defaultdata": "", "options": []}
COURSE_FIELD_DEFAULTS: dict[str, Any] = {"categoryname": "Other fields", "required": False, "locked": False,
                                         "options": [], "defaultvalue": ""}
# Which type name means what, for both kinds of field.
CHOICE_TYPES, CHECKBOX_TYPES, DATE_TYPES = ("menu", "select"), ("checkbox",), ("datetime", "date")


def profile_field_table() -> Table:
    return Table("user_profile_fields", unique=[Unique("shortname", exact_key("shortname"))],
                 orders={"shortname": sort_key("shortname")}, fields=("shortname", "name", "datatype"))


def course_field_table() -> Table:
    return Table("course_custom_fields", unique=[Unique("shortname", exact_key("shortname"))],
                 orders={"shortname": sort_key("shortname")}, fields=("shortname", "name", "type"))


class CustomFields:
    def __init__(self, store: Store, orders: FieldOrders) -> None:
        self.store = store
        self.profile_order = orders.of("ProfileField")
        self.course_order = orders.of("CourseField")
        self.profile_fields = store.tables.profile_fields
        self.course_fields = store.tables.course_fields
        self.users = store.tables.users

    def seed(self, profile: list[Row], course: list[Row]) -> None:
        for record in profile:
            self.profile_fields.insert({**PROFILE_FIELD_DEFAULTS, **record})
        for record in course:
            self.course_fields.insert({**COURSE_FIELD_DEFAULTS, **record})

    def list_profile_fields(self, *, page: int, perpage: int, sort: str, order: str,
                            filters: dict[str, Any]) -> dict[str, Any]:
        return self._list_fields(self.profile_fields, "user_profile_fields", self.profile_order, "datatype",
                                 filters, page=page, perpage=perpage, sort=sort, order=order)

    def list_course_fields(self, *, page: int, perpage: int, sort: str, order: str,
                           filters: dict[str, Any]) -> dict[str, Any]:
        return self._list_fields(self.course_fields, "course_custom_fields", self.course_order, "type", filters,
                                 page=page, perpage=perpage, sort=sort, order=order)

    def _list_fields(self, table: Table, key: str, fields: FieldOrder, type_field: str, filters: dict[str, Any],
                     *, page: int, perpage: int, sort: str, order: str) -> dict[str, Any]:
        """Either kind of definition, filtered by `shortname` and its type name (`type_field`)."""
        with self.store.lock:
            return listing(table, key, fields.view, exact_filter(filters, ("shortname", type_field)), page=page,
                           perpage=perpage, sort=sort, order=order)

    def merge_user_fields(self, current: list[Row], sent: list[Row], user_id: int | None) -> list[Row]:
        merged = _merge(self.profile_fields, "datatype", current, sent)
        for value in merged:
            field = self.profile_fields.find("shortname", value["shortname"])
            if field is None or not field["forceunique"] or value["value"] == "":  # _merge kept only defined fields
                continue
            for other in self.users.rows():
                if other["id"] != user_id and any(v["shortname"] == value["shortname"] and v["value"] == value["value"]
                                                  for v in other["customfields"]):
                    raise MockError(ErrorKind.CONFLICT, f"The value of {field['name']} is already used by another "
                                    "user", code="profilefieldvalueexists")
        return merged

    def merge_course_fields(self, current: list[Row], sent: list[Row]) -> list[Row]:
        return _merge(self.course_fields, "type", current, sent)


def _merge(definitions: Table, type_field: str, current: list[Row], sent: list[Row]) -> list[Row]:
    """Sent values replace the stored ones of the same shortname; the others stay (partial update)."""
    values = {v["shortname"]: v["value"] for v in current}
    for index, item in enumerate(sent):
        field = definitions.find("shortname", item["shortname"])
        where = f"customfields.{index}"
        if field is None:
            raise bad_request("invalidcustomfield", f"There is no custom field with short name {item['shortname']}",
                              f"{where}.shortname")
        value, kind = item["value"], field[type_field]
        fits = (value == "" or (kind not in CHOICE_TYPES or value in field["options"])
                and (kind not in CHECKBOX_TYPES or value in ("0", "1"))
                and (kind not in DATE_TYPES or value.isdigit()))
        if not fits:
            raise bad_request("invalidcustomfieldvalue", f"The value {value!r} does not fit the {kind} field "
                              f"{item['shortname']}", f"{where}.value")
        values[item["shortname"]] = value
    return [{"shortname": name, "value": value} for name, value in values.items()]
