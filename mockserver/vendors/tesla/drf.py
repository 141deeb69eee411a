"""Django REST framework's wire conventions: body parsing, field-error texts, datetimes, URLs.

The real server is a DRF application; clients see DRF's exact words. Bodies are checked against
the spec's component schemas (cached validators) and each jsonschema failure is translated
into the message the corresponding DRF field would give, in serializer field order.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from jsonschema import Draft4Validator, ValidationError

from ...core.errors import ErrorKind, MockError
from ...core.schema import error_field, iter_errors

REQUIRED = "This field is required."
NULL = "This field may not be null."
BLANK = "This field may not be blank."
UNIQUE = "This field must be unique."
NULL_CHARACTERS = "Null characters are not allowed."
INVALID_EMAIL = "Enter a valid email address."
TYPE_MESSAGES = {
    "string": "Not a valid string.",
    "boolean": "Must be a valid boolean.",
    "integer": "A valid integer is required.",
    "number": "A valid number is required.",
    "object": 'Expected a dictionary of items but got type "{type}".',
    "array": 'Expected a list of items but got type "{type}".',
}
NON_FIELD_ERRORS = "non_field_errors"
EMAIL_FIELDS = frozenset({"email"})
FieldErrors = dict[str, list[str]]


# -- datetimes -------------------------------------------------------------------------------------

def to_micros(value: str) -> int:
    """Microseconds since the epoch from an ISO-8601 datetime (naive means UTC, as in DRF)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return round(parsed.timestamp() * 1_000_000)


def micros_now(now: float) -> int:
    return round(now * 1_000_000)


def iso(micros: int | None) -> str | None:
    """DRF's output: ISO-8601 UTC with `Z`, microseconds only when there are some."""
    if micros is None:
        return None
    seconds, rest = divmod(micros, 1_000_000)
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc).replace(microsecond=rest)
    return moment.isoformat().replace("+00:00", "Z")


def escape_uri_path(path: str) -> str:
    """A path percent-escaped the way Django writes it back into URLs (links, redirects)."""
    return quote(path, safe="/:@&+$,-_.!~*'()")


# -- bodies ----------------------------------------------------------------------------------------

def _strict_constant(value: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")


def parse_body(raw: bytes, content_type: str | None, quirks: bool = False) -> Any:
    """The request data as DRF's JSON parser sees it ({} for an empty body).

    Nesting too deep for Python's parser is a RecursionError, which DRF does not catch (a 500
    there): a parse error here unless `quirks` asks for the crash.
    """
    if not raw:
        return {}
    if not content_type:
        raise MockError(ErrorKind.UNSUPPORTED_MEDIA_TYPE, 'Unsupported media type "" in request.')
    charset = "utf-8"
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    try:
        codecs.lookup(charset)
        return json.loads(raw.decode(charset), parse_constant=_strict_constant)
    except (ValueError, LookupError) as exc:
        raise MockError(ErrorKind.BAD_REQUEST, f"JSON parse error - {exc}") from None
    except RecursionError as exc:
        if quirks:
            raise MockError(ErrorKind.SERVER_ERROR, "upstream crash reproduced: JSON nested too deep") from None
        raise MockError(ErrorKind.BAD_REQUEST, f"JSON parse error - {exc}") from None


def not_a_dictionary(data: Any) -> MockError | None:
    """DRF's answer when the body is not an object (None when it is one)."""
    if isinstance(data, dict):
        return None
    if data is None:
        return MockError(ErrorKind.BAD_REQUEST, "No data provided", fields={NON_FIELD_ERRORS: ["No data provided"]})
    message = f"Invalid data. Expected a dictionary, but got {type(data).__name__}."
    return MockError(ErrorKind.BAD_REQUEST, message, fields={NON_FIELD_ERRORS: [message]})


def _text_messages(value: str, email: bool) -> list[str]:
    """DRF's CharField checks in its order: blank first (and alone), then the validators."""
    if not value.strip():
        return [BLANK]
    messages = [NULL_CHARACTERS] if "\x00" in value else []
    if email:
        messages.append(INVALID_EMAIL)
    return messages


def _surrogate_message(value: Any) -> str | None:
    """Lone surrogates fit no regex dialect the spec could use, so this check is the server's."""
    if not isinstance(value, str):
        return None
    surrogate = next((c for c in value if "\ud800" <= c <= "\udfff"), None)
    return None if surrogate is None else f"Surrogate characters are not allowed: U+{ord(surrogate):X}."


def _messages_for(error: ValidationError, name: str) -> tuple[bool, list[str]]:
    """(stops the field, messages) for one jsonschema error about a field's value.

    A type, null or blank failure is DRF's `to_internal_value` failing: the only message for the
    field. Length, NUL and email failures are validators: DRF runs them all.
    """
    value = error.instance
    if value is None and error.validator in ("type", "oneOf", "enum"):
        return True, [NULL]
    if error.validator in ("type", "oneOf"):
        expected = "string" if error.validator == "oneOf" else error.schema.get("type")
        template = TYPE_MESSAGES.get(expected if isinstance(expected, str) else "string", "Invalid value.")
        return True, [template.format(type=type(value).__name__)]
    if error.validator in ("pattern", "minLength") and isinstance(value, str):
        messages = _text_messages(value, name in EMAIL_FIELDS)
        return messages == [BLANK], messages
    if error.validator == "maxLength":
        return False, [f"Ensure this field has no more than {error.validator_value} characters."]
    if error.validator == "enum":
        return True, [f'"{value}" is not a valid choice.']
    return True, ["Invalid value."]


# The order in which DRF runs a CharField's validators (an EmailField's email check comes last).
_VALIDATOR_ORDER = ("Ensure this field", NULL_CHARACTERS, "Surrogate characters", INVALID_EMAIL)


def _validator_rank(message: str) -> int:
    return next((i for i, prefix in enumerate(_VALIDATOR_ORDER) if message.startswith(prefix)), len(_VALIDATOR_ORDER))


def field_errors(validator: Draft4Validator, data: dict[str, Any], order: Iterable[str]) -> FieldErrors:
    """DRF field errors for `data` against a component schema, in serializer field order."""
    found: dict[str, list[str]] = {}
    stopped: set[str] = set()
    for error in iter_errors(validator, data):
        path = list(error.absolute_path)
        if not path:
            if error.validator == "required":
                name = error_field(error)
                found[name] = [REQUIRED]
                stopped.add(name)
            continue
        name = str(path[0])
        if name in stopped:
            continue
        stops, messages = _messages_for(error, name)
        if stops:
            found[name] = messages
            stopped.add(name)
        else:
            current = found.setdefault(name, [])
            current.extend(m for m in messages if m not in current)
    rank = {name: index for index, name in enumerate(order)}
    for name in rank:
        message = _surrogate_message(data.get(name)) if name not in stopped else None
        if message:
            found.setdefault(name, []).append(message)
    ordered = sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    return {name: sorted(messages, key=_validator_rank) for name, messages in ordered}


def errors_passed_to_save(errors: FieldErrors, names: Iterable[str], messages: Iterable[str]) -> FieldErrors:
    """`errors` without those of `names` that are only one of `messages`: values the real server's
    validation lets through to a crash at save (a quirk: the caller raises the crash next)."""
    names, messages = frozenset(names), frozenset(messages)
    return {k: v for k, v in errors.items() if not (k in names and len(v) == 1 and v[0] in messages)}


def invalid(fields: FieldErrors) -> MockError:
    return MockError(ErrorKind.BAD_REQUEST, "invalid input", fields=fields)


def trimmed(data: dict[str, Any], text_fields: Iterable[str]) -> dict[str, Any]:
    """Text values as DRF stores them: surrounding whitespace removed."""
    result = dict(data)
    for name in text_fields:
        if isinstance(result.get(name), str):
            result[name] = result[name].strip()
    return result
