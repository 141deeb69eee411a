"""Course groups (`/api/v2/institution/{iid}/group/`) and the courses linked to them
(`.../group/{gid}/course/`): an institution's course tree.

A group may hang from a parent group of the same institution; deleting a group deletes its
descendants. Courses are linked and unlinked, never created or deleted here; a link to a course
that has since been deleted is not shown. These routes are public on the real server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ....core.errors import ErrorKind, MockError
from ....core.store import Row, Table
from .. import wire
from ..wire import FieldErrors
from ..listing import Filter, ListRules
from .institutions import view_institution
from .lookup import institution_pk, institution_row, not_found, parse_pk, upstream_crash
from .people import in_order
from .state import State

GROUP_INPUT_ORDER = ("parent", "name", "description")
GROUP_COURSE_FILTERS = ("vle_id", "vle_course_id", "description", "code", "start", "end")
COURSE_NOT_FOUND = "Course not found"
GROUP_NOT_FOUND = "Course Group not found"


@dataclass(frozen=True)
class CheckedText(Filter):
    """A text filter that only refuses NUL here; the match itself is `matches_filters`."""

    def predicate(self, args: Any) -> Callable[[Row], bool] | None:
        return None


GROUP_LIST_RULES = {
    "list_groups": ListRules(filters=(Filter("name", "icontains"), Filter("description", "icontains")),
                             search_fields=(), ordering_fields=frozenset(), default_ordering=("id",)),
    # The exact filters compare the written course (`matches_filters`); NUL is still refused.
    "list_group_courses": ListRules(filters=tuple(CheckedText(name, "exact") for name in GROUP_COURSE_FILTERS),
                                    search_fields=(), ordering_fields=frozenset(), default_ordering=("id",)),
}


def invalid_pk(value: Any) -> str:
    return f'Invalid pk "{value}" - object does not exist.'


def group_table() -> Table:
    return Table("course_groups", fields=("id", "institution", "parent", "name", "description", "courses",
                                          "created_at", "updated_at"))


def seed_group(record: dict[str, Any]) -> Row:
    row: Row = {"parent": None, "description": None, "courses": [], **record}
    row["courses"] = sorted(row["courses"])
    row["created_at"] = wire.to_micros(record["created_at"])
    row["updated_at"] = wire.to_micros(record.get("updated_at", record["created_at"]))
    return row


class Groups:
    """The group routes' rules."""

    def __init__(self, state: State) -> None:
        self._state = state
        self._table = state.tables.course_groups
        self._courses = state.tables.courses

    # -- groups --------------------------------------------------------------------------------
    def rows(self, segment: str, parent: str | None) -> list[Row]:
        """`?parent=-1` is the roots; otherwise any group id of any institution (else 400)."""
        iid = institution_pk(segment)
        with self._state.lock:
            wanted: int | None = None
            if parent:
                wanted = parse_pk(parent)
                if wanted is None or (wanted != -1 and wanted not in self._table):
                    raise wire.invalid({"parent": [f"Select a valid choice. {parent} is not one of the available choices."]})
            rows = [row for row in self._table.rows() if row["institution"] == iid]
            if wanted is not None:
                rows = [row for row in rows if row["parent"] == (None if wanted == -1 else wanted)]
            return rows

    def get(self, segment: str, id_segment: str) -> Row:
        return institution_row(self._table, segment, id_segment)

    def create(self, segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        iid = institution_pk(segment)
        with self._state.lock:
            parent = self._validate(iid, data, errors, None)
            if iid not in self._state.tables.institutions:
                if self._state.quirks:
                    raise upstream_crash("a group of an unknown institution (foreign key)")
                raise not_found()
            now = self._state.now()
            return self._table.insert({"id": None, "institution": iid, "parent": parent,
                                              "name": data["name"].strip(), "description": data.get("description"),
                                              "courses": [], "created_at": now, "updated_at": now})

    def update(self, segment: str, id_segment: str, data: dict[str, Any], errors: FieldErrors,
               partial: bool) -> Row:
        with self._state.lock:
            row = self.get(segment, id_segment)
            parent = self._validate(row["institution"], data, errors, row)
            changes: Row = {"updated_at": self._state.now()}
            if "parent" in data or not partial:
                changes["parent"] = parent
            if "name" in data:
                changes["name"] = data["name"].strip()
            if "description" in data or not partial:
                changes["description"] = data.get("description")
            return self._table.update(row["id"], changes)

    def delete(self, segment: str, id_segment: str) -> None:
        """The group and every group below it (cycles, which the real server allows, end the walk)."""
        with self._state.lock:
            doomed = {self.get(segment, id_segment)["id"]}
            frontier = set(doomed)
            while frontier:
                frontier = {row["id"] for row in self._table.rows()
                            if row["parent"] in frontier and row["id"] not in doomed}
                doomed |= frontier
            for group_id in doomed:
                self._table.delete(group_id)

    def _validate(self, iid: int, data: dict[str, Any], errors: FieldErrors, current: Row | None) -> int | None:
        """`parent`: a group of the same institution, not the group itself ("" means none)."""
        errors = dict(errors)
        parent = data.get("parent")
        if parent == "":
            errors.pop("parent", None)
            parent = None
        elif "parent" in errors and parent is not None:  # DRF's PrimaryKeyRelatedField on a value of another type
            errors["parent"] = [f"Incorrect type. Expected pk value, received {type(parent).__name__}."]
        if parent is not None and "parent" not in errors:
            holder = self._table.get(parent)
            if holder is None or holder["institution"] != iid or (current is not None and parent == current["id"]):
                errors["parent"] = [invalid_pk(parent)]
        if errors:
            raise wire.invalid(in_order(errors, GROUP_INPUT_ORDER))
        return parent

    # -- linked courses ------------------------------------------------------------------------
    def courses(self, segment: str, group_segment: str) -> list[Row]:
        with self._state.lock:
            group = self.get(segment, group_segment)
            return [course for course_id in group["courses"] if (course := self._courses.get(course_id)) is not None]

    def course(self, segment: str, group_segment: str, course_segment: str) -> Row:
        group = self.get(segment, group_segment)
        course_id = parse_pk(course_segment)
        course = self._courses.get(course_id) if course_id in group["courses"] else None
        if course is None:
            raise not_found()
        return course

    def link_course(self, segment: str, group_segment: str, data: dict[str, Any], errors: FieldErrors) -> Row:
        """Linking again is fine (201 again); the course's institution is not checked, as upstream."""
        with self._state.lock:
            group = self._table.get(parse_pk(group_segment))
            if group is None or group["institution"] != institution_pk(segment):
                raise MockError(ErrorKind.NOT_FOUND, GROUP_NOT_FOUND)
            if errors:
                raise wire.invalid(errors)
            course = self._courses.get(data["id"])
            if course is None:
                raise MockError(ErrorKind.NOT_FOUND, COURSE_NOT_FOUND)
            if course["id"] not in group["courses"]:
                self._table.update(group["id"], {"courses": sorted([*group["courses"], course["id"]])})
            return course

    def unlink_course(self, segment: str, group_segment: str, course_segment: str) -> None:
        with self._state.lock:
            group = self.get(segment, group_segment)
            course = self.course(segment, group_segment, course_segment)
            self._table.update(group["id"], {"courses": [c for c in group["courses"] if c != course["id"]]})

    # -- views ---------------------------------------------------------------------------------
    def view(self, row: Row) -> dict[str, Any]:
        institution = self._state.tables.institutions.get(row["institution"])
        fields = self._state.fields
        return {"id": row["id"], "institution": view_institution(fields, institution) if institution else None,
                "parent": row["parent"], "name": row["name"], "description": row["description"],
                "created_at": wire.iso(row["created_at"]), "updated_at": wire.iso(row["updated_at"])}

    @staticmethod
    def view_course(row: Row) -> dict[str, Any]:
        view = {"id": row["id"], "vle_id": row["vle"], "vle_course_id": row["vle_course_id"], "code": row["code"],
                "description": row["description"]}
        view.update({name: wire.iso(row[name]) for name in ("start", "end", "created_at", "updated_at")})
        return view


def matches_filters(view: dict[str, Any], args: Any) -> bool:
    """The group-course filters: exact text against the course as written (empty values ignored)."""
    for name in GROUP_COURSE_FILTERS:
        values = args.getlist(name)
        if values and values[-1] and (view[name] is None or str(view[name]) != values[-1]):
            return False
    return True
