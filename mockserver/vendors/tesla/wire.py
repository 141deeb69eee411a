"""TeSLA's wire format, Django REST framework's: body parsing, field-error texts, datetimes, URLs,
and the order of the fields in an answer.

The real server is a DRF application; clients see DRF's exact words. Bodies are checked against
the spec's component schemas (cached validators) and each jsonschema failure is translated
into the message the corresponding DRF field would give, in serializer field order. DRF writes a
serializer's fields in their declared order; the spec declares each response schema's properties
in that order, so the views take it from there (`FieldOrders`) instead of keeping a second copy.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from jsonschema import Draft4Validator, ValidationError

from ...core.errors import ErrorKind, MockError
from ...core.schema import SpecDocument, error_field, iter_errors
from ...core.sharing import SharedByForks

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


def invalid(fields: dict[str, Any]) -> MockError:
    """DRF's 400 with field errors (nested where a serializer nests another)."""
    return MockError(ErrorKind.BAD_REQUEST, "invalid input", fields=fields)


def trimmed(data: dict[str, Any], text_fields: Iterable[str]) -> dict[str, Any]:
    """Text values as DRF stores them: surrounding whitespace removed."""
    result = dict(data)
    for name in text_fields:
        if isinstance(result.get(name), str):
            result[name] = result[name].strip()
    return result


# -- nested serializers and list fields (the VLE API's actions and the learner API) ---------------

UUID_INVALID = "Must be a valid UUID."
LIST_EMPTY = "This list may not be empty."
NOT_A_DICTIONARY = "Invalid data. Expected a dictionary, but got {type}."
NOT_A_STRING = TYPE_MESSAGES["string"]
_NUMBER_TYPES = (int, float)


def _text_or_number_messages(error: ValidationError) -> tuple[bool, list[str]]:
    """A CharField that also takes numbers (DRF turns them into text): only text can be blank."""
    value = error.instance
    if value is None:
        return True, [NULL]
    if isinstance(value, str):
        for inner in error.context:
            if inner.validator == "maxLength":
                return False, [f"Ensure this field has no more than {inner.validator_value} characters."]
        messages = _text_messages(value, False)
        return messages == [BLANK], messages
    return True, [NOT_A_STRING]


def _leaf_messages(errors: list[ValidationError], name: str, override: str | None, nested: bool,
                   text: bool) -> list[str] | dict[str, list[str]]:
    """The messages DRF gives one value: the first failure that stops the field, else every validator's.

    `override` is the one message of a field whose parser refuses anything else (a UUIDField's;
    a URLField's, after a CharField's blank check when `text`)."""
    messages: list[str] = []
    for error in errors:
        value = error.instance
        if value is None and error.validator in ("type", "anyOf", "oneOf", "enum", "not"):
            return [NULL]
        if error.validator == "maximum":
            return [f"Ensure this value is less than or equal to {error.validator_value}."]
        if error.validator == "minimum":
            return [f"Ensure this value is greater than or equal to {error.validator_value}."]
        if text and isinstance(value, str) and not value.strip():
            return [BLANK]
        if override is not None:
            return [override]
        if nested and error.validator == "type":
            return {NON_FIELD_ERRORS: [NOT_A_DICTIONARY.format(type=type(value).__name__)]}
        if error.validator == "minItems" and isinstance(value, list):
            return [LIST_EMPTY]
        if error.validator == "anyOf":
            stops, found = _text_or_number_messages(error)
        else:
            stops, found = _messages_for(error, name)
        if stops:
            return found
        messages.extend(m for m in found if m not in messages)
    return sorted(messages, key=_validator_rank)


def _surrogates(value: Any) -> list[str]:
    message = _surrogate_message(value)
    return [message] if message else []


def nested_field_errors(validator: Draft4Validator, data: dict[str, Any], order: Iterable[str], *,
                        children: dict[str, tuple[str, ...]] | None = None,
                        overrides: dict[str, str] | None = None,
                        texts: Iterable[str] = ()) -> dict[str, Any]:
    """DRF's errors for a serializer with nested serializers and list fields.

    A field's own failure is a list of messages; failures inside a nested serializer are keyed by
    its fields (`{"metadata": {"mimetype": [...]}}`) and inside a list by the item's index
    (`{"instruments": {"0": [...]}}`), as DRF 3.14 writes them. `children` names the nested
    serializers (with their field order), `overrides` the one message a field gives for any
    invalid value (dotted names; `name.*` for list items), `texts` the CharFields (same names)
    whose blank value is its own error and whose lone surrogates DRF refuses.
    """
    children, overrides, texts = children or {}, overrides or {}, frozenset(texts)
    found: dict[str, Any] = {}
    grouped: dict[str, list[ValidationError]] = {}
    for error in iter_errors(validator, data):
        path = [str(part) for part in error.absolute_path]
        if not path:
            if error.validator == "required":
                found[error_field(error)] = [REQUIRED]
            continue
        grouped.setdefault(path[0], []).append(error)
    for name, errors in grouped.items():
        own = [e for e in errors if len(e.absolute_path) == 1 and e.validator != "required"]
        if own:
            found[name] = _leaf_messages(own, name, overrides.get(name), name in children, name in texts)
            continue
        inner: dict[str, list[ValidationError]] = {}
        missing: list[str] = []
        for error in errors:
            if len(error.absolute_path) == 1:
                missing.append(error_field(error).split(".")[-1])
            else:
                inner.setdefault(str(error.absolute_path[1]), []).append(error)
        items: dict[str, Any] = {child: [REQUIRED] for child in missing}
        for child, child_errors in inner.items():
            dotted = f"{name}.{child}" if name in children else f"{name}.*"
            items[child] = _leaf_messages(child_errors, child, overrides.get(dotted), False, dotted in texts)
        found[name] = items
    for dotted in texts:
        _add_surrogate_errors(found, data, dotted)
    return _in_serializer_order(found, order, children)


def _add_surrogate_errors(found: dict[str, Any], data: dict[str, Any], dotted: str) -> None:
    name, _, child = dotted.partition(".")
    value = data.get(name)
    if not child:
        if name not in found and _surrogates(value):
            found[name] = _surrogates(value)
        return
    pairs = (list(enumerate(value)) if child == "*" and isinstance(value, list)
             else [(child, value.get(child))] if isinstance(value, dict) else [])
    for key, item in pairs:
        current = found.get(name)
        if isinstance(current, list) or (isinstance(current, dict) and str(key) in current):
            continue
        if _surrogates(item):
            found.setdefault(name, {})[str(key)] = _surrogates(item)


def _in_serializer_order(found: dict[str, Any], order: Iterable[str],
                         children: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Fields in serializer order; a nested serializer's in its own, a list's items by index."""
    rank = {name: index for index, name in enumerate(order)}
    ordered = dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
    for name, value in ordered.items():
        if isinstance(value, dict) and name in children:
            child_rank = {child: index for index, child in enumerate(children[name])}
            ordered[name] = dict(sorted(value.items(), key=lambda item: (child_rank.get(item[0], len(child_rank)),
                                                                         item[0])))
        elif isinstance(value, dict):
            ordered[name] = dict(sorted(value.items(), key=lambda item: int(item[0]) if item[0].isdigit() else -1))
    return ordered


def as_text(value: Any) -> Any:
    """A CharField's value as DRF stores it: numbers become their text, text is trimmed."""
    if isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else value


# -- form bodies -----------------------------------------------------------------------------------

_DECIMAL_TAIL = re.compile(r"\.0*\s*$")


def form_values(pairs: Iterable[tuple[str, str]], schema: dict[str, Any]) -> dict[str, Any]:
    """A form body (urlencoded or multipart) as DRF's fields read it from a QueryDict.

    The last value of a key counts; an empty value is null for a nullable field and absent for
    another optional one (`Field.get_value` on HTML input); integer fields parse their text as
    `IntegerField` does (a trailing `.0` and surrounding blanks are accepted).
    """
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    values: dict[str, Any] = {}
    for name, value in pairs:
        values[name] = value
    result: dict[str, Any] = {}
    for name, value in values.items():
        spec = properties.get(name, {})
        branches = [spec, *spec.get("allOf", ()), *spec.get("anyOf", ())]
        if value == "" and any(branch.get("nullable") for branch in branches):
            result[name] = None
        elif value == "" and name not in required:
            continue
        elif any(branch.get("type") == "integer" for branch in branches):
            result[name] = _form_integer(value)
        else:
            result[name] = value
    return result


def _form_integer(text: str) -> Any:
    try:
        return int(_DECIMAL_TAIL.sub("", text))
    except ValueError:
        return text


def integer(value: int | str) -> int:
    """An IntegerField's value from a JSON integer or its text (checked by the schema first)."""
    return value if isinstance(value, int) else int(_DECIMAL_TAIL.sub("", value))


# -- the order of an answer's fields ---------------------------------------------------------------

def _answered(schema: Any) -> list[str]:
    """A schema's properties in order: `allOf` parts first, then its own; write-only ones dropped."""
    if not isinstance(schema, dict):
        return []
    found: list[str] = []
    for part in schema.get("allOf") or []:
        found.extend(name for name in _answered(part) if name not in found)
    for name, prop in (schema.get("properties") or {}).items():
        if name not in found and not (isinstance(prop, dict) and prop.get("writeOnly")):
            found.append(name)
    return found


class FieldOrders(SharedByForks):
    """Each component schema's answered fields, in order; read once when the vendor starts."""

    def __init__(self, spec: SpecDocument) -> None:
        schemas = spec.resolved["components"]["schemas"]
        self._orders = {name: tuple(_answered(schema)) for name, schema in schemas.items()}

    def __getitem__(self, schema: str) -> tuple[str, ...]:
        return self._orders[schema]
