"""What differs between a recorded answer and a replayed one, as a vendor's client would notice.

Compared: the status; the content type (media type and charset); headers that carry meaning
(`Location`, `WWW-Authenticate`, `Retry-After`, `Allow`: present or not); the body's shape: in JSON
the keys and the kind of every value (and list lengths), in XML the child elements of every element
in order; the format of every date (digits as 9, a fraction as `.F`: `9999-99-99T99:99:99.FZ`); and
values the client sent that the vendor echoed back. Values themselves (generated ids, timestamps,
counters) are not compared, nor anything the recording holds as `***` (a credential); names in the
ignore list (JSON keys, XML elements, headers) are skipped entirely.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..core.journal import REDACTED
from ..core.state_check import kind as _kind
from .recording import parsed_body

MEANINGFUL_HEADERS = ("location", "www-authenticate", "retry-after", "allow")
_WEEKDAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
_DATE_LIKE = re.compile(r"^(\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d)?)?|/Date\(-?\d+([+-]\d{4})?\)/|"
                        r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT)")


@dataclass(frozen=True)
class Difference:
    where: str  # "status", "header content-type", "body users[0].email", ...
    recorded: Any
    replayed: Any
    kind: str  # status, content-type, header, shape, type, count, order, date-format, echo

    def describe(self) -> str:
        return f"{self.where}: {self.kind}: recorded {self.recorded!r}, replayed {self.replayed!r}"


def date_format(value: str) -> str | None:
    """The format of a date-like string (`9999-99-99T99:99:99.FZ`), or None for any other string."""
    if not _DATE_LIKE.match(value):
        return None
    shape = re.sub(r"\.\d+", ".F", re.sub(r"\d", "9", value))
    return _MONTH.sub("Mmm", _WEEKDAY.sub("Www", shape))


def _media(content_type: str | None) -> str:
    return (content_type or "").replace(" ", "").lower()


def _json_differences(recorded: Any, replayed: Any, where: str, ignore: frozenset[str],
                      echoed: dict[str, Any]) -> Iterator[Difference]:
    if recorded == REDACTED:
        return  # a credential, blanked with whatever it held when it was recorded: nothing to compare
    if _kind(recorded) != _kind(replayed):
        yield Difference(where or "body", _kind(recorded), _kind(replayed), "type")
        return
    if isinstance(recorded, dict):
        for key in recorded.keys() | replayed.keys():
            if key in ignore:
                continue
            here = f"{where}.{key}" if where else key
            if key not in replayed:
                yield Difference(here, "present", "missing", "shape")
            elif key not in recorded:
                yield Difference(here, "missing", "present", "shape")
            else:
                if key in echoed and recorded[key] == echoed[key] and replayed[key] != recorded[key]:
                    yield Difference(here, recorded[key], replayed[key], "echo")
                yield from _json_differences(recorded[key], replayed[key], here, ignore, echoed)
    elif isinstance(recorded, list):
        if len(recorded) != len(replayed):
            yield Difference(where or "body", len(recorded), len(replayed), "count")
        for index, (old, new) in enumerate(zip(recorded, replayed)):
            yield from _json_differences(old, new, f"{where}[{index}]", ignore, echoed)
    elif isinstance(recorded, str):
        old, new = date_format(recorded), date_format(replayed)
        if old != new and (old or new):
            yield Difference(where or "body", old or recorded, new or replayed, "date-format")


def _xml_differences(recorded: etree._Element, replayed: etree._Element, where: str,
                     ignore: frozenset[str]) -> Iterator[Difference]:
    def children(element: etree._Element) -> list[etree._Element]:
        return [c for c in element if isinstance(c.tag, str) and etree.QName(c).localname not in ignore]

    old, new = children(recorded), children(replayed)
    old_names, new_names = [etree.QName(c).localname for c in old], [etree.QName(c).localname for c in new]
    if old_names != new_names:
        if sorted(old_names) == sorted(new_names):
            yield Difference(where, old_names, new_names, "order")
        else:
            for name in sorted(set(old_names) - set(new_names)):
                yield Difference(f"{where}/{name}", "present", "missing", "shape")
            for name in sorted(set(new_names) - set(old_names)):
                yield Difference(f"{where}/{name}", "missing", "present", "shape")
            if len(old_names) != len(new_names) and set(old_names) == set(new_names):
                yield Difference(where, len(old_names), len(new_names), "count")
    for index, (a, b) in enumerate(zip(old, new)):
        if etree.QName(a).localname != etree.QName(b).localname:
            continue
        here = f"{where}/{etree.QName(a).localname}[{index}]"
        if len(a) or len(b):
            yield from _xml_differences(a, b, here, ignore)
        else:
            old_format, new_format = date_format(a.text or ""), date_format(b.text or "")
            if old_format != new_format and (old_format or new_format):
                yield Difference(here, old_format or a.text, new_format or b.text, "date-format")


def differences(recorded: dict[str, Any], replayed: dict[str, Any], request_body: Any = None,
                ignore: frozenset[str] = frozenset()) -> list[Difference]:
    """Every difference between two answers ({status, headers, body}) to the same request."""
    found: list[Difference] = []
    if recorded["status"] != replayed["status"]:
        found.append(Difference("status", recorded["status"], replayed["status"], "status"))
    old_headers, new_headers = recorded.get("headers", {}), replayed.get("headers", {})
    old_type, new_type = _media(old_headers.get("content-type")), _media(new_headers.get("content-type"))
    if "content-type" not in ignore and old_type != new_type:
        found.append(Difference("header content-type", old_type, new_type, "content-type"))
    for name in MEANINGFUL_HEADERS:
        if name not in ignore and (name in old_headers) != (name in new_headers):
            found.append(Difference(f"header {name}", "present" if name in old_headers else "missing",
                                    "present" if name in new_headers else "missing", "header"))
    if found and found[0].kind == "status":
        return found  # another status: another body, whose shape says nothing more
    old_kind, old_body = parsed_body(recorded.get("body", ""), old_type)
    new_kind, new_body = parsed_body(replayed.get("body", ""), new_type)
    if old_kind != new_kind:
        return found  # the content type already says so
    echoed = request_body if isinstance(request_body, dict) else {}
    if old_kind == "json":
        found.extend(_json_differences(old_body, new_body, "", ignore, echoed))
    elif old_kind == "xml":
        if etree.QName(old_body).localname != etree.QName(new_body).localname:
            found.append(Difference("body", etree.QName(old_body).localname, etree.QName(new_body).localname, "shape"))
        else:
            found.extend(_xml_differences(old_body, new_body, f"/{etree.QName(old_body).localname}", ignore))
    return found
