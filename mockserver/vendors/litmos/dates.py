"""Litmos's date styles and the `since` query parameter (docs/litmos.md, "Wire format" and "Choices made")."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ...core.errors import ErrorKind, MockError

MSG_SINCE = ("Please provide a valid 'since=' query string parameter. Valid formats are 'yyyy-MM-dd HH:mm:ss' "
             "or 'yyyy-MM-dd HH:mm' or 'yyyy-MM-dd'")
MSG_RANGE = "Please provide a valid since and to query string parameters"
SINCE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
USER_STYLE = "%Y-%m-%dT%H:%M:%SZ"


def parse_since(value: str) -> datetime | None:
    """`since` as a UTC datetime, or None when it is in none of the three formats of `MSG_SINCE`."""
    text = value
    for pattern in SINCE_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if len(text) == len(parsed.strftime(pattern)):  # strptime accepts `2024-1-5`; WCF does not
            return parsed.replace(tzinfo=timezone.utc)
    return None


def require_since(value: str | None) -> datetime | None:
    """None when absent; the parsed value; or 406 with Litmos's text when it does not parse."""
    if value is None:
        return None
    parsed = parse_since(value)
    if parsed is None:
        raise MockError(ErrorKind.NOT_ACCEPTABLE, MSG_SINCE, extra={"litmos": True})
    return parsed


def user_style(moment: datetime) -> str:
    """The user profile style (`LastLogin`, `CreatedDate`): UTC, whole seconds, `Z`."""
    return moment.astimezone(timezone.utc).strftime(USER_STYLE)


def user_timestamp(seconds: float) -> str:
    """A moment in epoch seconds (the clock's) in the user profile style, the fraction dropped."""
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc).strftime(USER_STYLE)


class WcfDate:
    """A DateTime member other than the user profile dates (docs/litmos.md, "Wire format": Dates).

    XML writes it as `YYYY-MM-DDTHH:MM:SS[.fff]` (no zone, trailing zeros of the fraction
    dropped); JSON as WCF's `/Date(ms+0000)/` (the mock's server time is UTC).
    """

    __slots__ = ("ms",)

    def __init__(self, ms: int) -> None:
        self.ms = ms

    @classmethod
    def from_seconds(cls, seconds: float) -> "WcfDate":
        return cls(int(round(seconds * 1000)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WcfDate) and other.ms == self.ms

    def __hash__(self) -> int:
        return hash(self.ms)

    def __str__(self) -> str:
        moment = datetime.fromtimestamp(self.ms // 1000, tz=timezone.utc)
        fraction = f"{self.ms % 1000:03d}".rstrip("0")
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "")

    def json(self) -> str:
        return f"/Date({self.ms}+0000)/"


def wcf_date(ms: int | None) -> WcfDate | None:
    """A stored date (epoch ms, or None) as the WCF DateTime it is shown as."""
    return None if ms is None else WcfDate(ms)


def parse_user_style(text: str) -> float:
    """Seconds since the epoch of a `YYYY-MM-DDTHH:MM:SSZ` string (fixtures use this style)."""
    return datetime.strptime(text, USER_STYLE).replace(tzinfo=timezone.utc).timestamp()


_WCF_REQUEST = re.compile(r"/Date\((-?[0-9]{1,13})(?:[+-][0-9]{4})?\)/")
_ISO_REQUEST = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T([0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]{1,7})?Z?)?")


def request_ms(value: str, json_body: bool) -> int | None:
    """A request DateTime as epoch ms: JSON only as `/Date(ms[±hhmm])/` (the ms are UTC), XML only
    as `YYYY-MM-DD[THH:MM:SS[.f]][Z]` read as UTC (docs/litmos.md). None when it does not parse."""
    if json_body:
        match = _WCF_REQUEST.fullmatch(value)
        return int(match.group(1)) if match else None
    match = _ISO_REQUEST.fullmatch(value)
    if not match:
        return None
    try:
        moment = datetime.strptime(f"{match.group(1)}T{match.group(2) or '00:00:00'}", "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    fraction = (match.group(3) or ".0")[1:]
    return int(moment.replace(tzinfo=timezone.utc).timestamp()) * 1000 + int(fraction[:3].ljust(3, "0"))


def seed_timestamp(value: object) -> str | None:
    """An answered DateTime member (XML `YYYY-MM-DDTHH:MM:SS[.f]`, JSON `/Date(ms+0000)/`) in the
    fixtures' style, whole seconds with `Z`; None when it is neither (`mockserver seed`)."""
    if not isinstance(value, str):
        return None
    ms = request_ms(value, json_body=value.startswith("/Date("))
    return None if ms is None else user_timestamp(ms / 1000)
