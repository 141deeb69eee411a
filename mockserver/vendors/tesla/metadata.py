"""Django REST framework's answer to OPTIONS (`SimpleMetadata`) for TeSLA routes, from the spec.

DRF answers a non-preflight OPTIONS after authentication and the permission check, with
`{name, description, renders, parses, actions?}` and an `Allow` header. What DRF takes from the
view class comes from the path item's `x-drf-view` extension:

    x-drf-view: {name: "Vle Course List", description: "API endpoint that allows ...", actions: false}

`name` is DRF's view name (the viewset class name without `ViewSet`, split at capitals and
title-cased, plus " List" or " Instance"; an extra action's own name, e.g. "Current"),
`description` the class docstring, `actions: false` for a view without a serializer (no
`actions` at all). Without `x-drf-view` the name follows that rule from the path's literal
segments (`/api/v2/vle/{vle_id}/course/` -> "Vle Course List") and the description is empty.

`actions` holds `POST` on a route with a POST and `PUT` on a route with a PUT, each only when the
caller's permission covers that method (and, for PUT, when the record can be read), as DRF does.
The fields are the operation's: every property of its success response (order and `readOnly`),
then request-only ones; `required`, `max_length` and limits come from its request body. A
property may refine what DRF would say with `x-drf-field: {type, label, help_text, choices}`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

import flask
import orjson

from ...core.errors import ErrorKind, MockError
from ...core.schema import SpecDocument
from ..base import WireResponse, backend_in, mount_of, request_scope, vendor_of
from . import auth

RENDERS = ["application/json", "text/html", "application/json"]  # JSON, browsable API, DataTables
PARSES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")  # DRF's http_method_names order
OPERATION_PREFIX = "options_"  # the spec's OPTIONS operations: options_<the route's first operationId>
JSON = "application/json"
_PARAM = re.compile(r"^\{[^/{}]+\}$")
_VERSION = re.compile(r"^v\d+$")
_ROOTS = frozenset({"api", "lapi"})


# -- the route ------------------------------------------------------------------------------------

def _spec(scope: dict[str, Any]) -> SpecDocument:
    return vendor_of(scope).spec


def route_of(scope: dict[str, Any]) -> tuple[str, str] | None:
    """(spec path template, request path relative to the mount) of the request, or None."""
    mount = mount_of(scope)
    if mount is None:
        return None
    path = mount.relative(scope["path"])
    for method in ("OPTIONS", *METHOD_ORDER):
        found = mount.routes.match(method, path)
        if found is not None:
            # Django's routers take no dot in an id (`[^/.]+`): such a path is no route there
            pairs = zip(found.template.split("/"), path.split("/"))
            return None if any(_PARAM.match(t) and "." in p for t, p in pairs) else (found.template, path)
    return None


def methods_of(item: dict[str, Any]) -> list[str]:
    return [method for method in METHOD_ORDER if method.lower() in item]


def allow_header(methods: Iterable[str]) -> str:
    """DRF's `Allow`: the view's methods in its order, HEAD wherever GET is, then OPTIONS."""
    present = set(methods)
    found = [method for method in METHOD_ORDER if method in present]
    if "GET" in present:
        found.append("HEAD")
    return ", ".join([*found, "OPTIONS"])


def allow_for(scope: dict[str, Any]) -> str | None:
    """The `Allow` header of the request's route, or None when the path is no route of the spec."""
    found = route_of(scope)
    if found is None:
        return None
    return allow_header(methods_of(_spec(scope).paths()[found[0]]))


def allow_headers(scope: dict[str, Any]) -> dict[str, str]:
    """`{"Allow": ...}` for DRF's own answers on a route (a refused OPTIONS, a 405); {} off the spec."""
    allow = allow_for(scope)
    return {"Allow": allow} if allow else {}


def view_name(template: str, item: dict[str, Any]) -> str:
    declared = (item.get("x-drf-view") or {}).get("name")
    if declared:
        return str(declared)
    segments = [s for s in template.strip("/").split("/") if s]
    while segments and (segments[0] in _ROOTS or _VERSION.match(segments[0])):
        segments = segments[1:]
    words = " ".join(s.replace("_", " ").replace("-", " ") for s in segments if not _PARAM.match(s)).title()
    suffix = "Instance" if segments and _PARAM.match(segments[-1]) else "List"
    return f"{words} {suffix}".strip()


# -- fields (DRF's SimpleMetadata.get_field_info, read off the spec) ------------------------------

def _flat(schema: Any) -> dict[str, Any]:
    """A resolved schema with its allOf parts merged (properties in order, required united)."""
    if not isinstance(schema, dict):
        return {}
    if "allOf" not in schema:
        return schema
    merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for part in schema["allOf"]:
        flat = _flat(part)
        for key, value in flat.items():
            if key not in ("properties", "required"):
                merged.setdefault(key, value)
        properties.update(flat.get("properties") or {})
        required += [name for name in flat.get("required") or [] if name not in required]
    merged["properties"], merged["required"] = properties, required
    return merged


def _drf_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if "enum" in schema:
        return "choice"
    if kind == "string":
        return {"date-time": "datetime", "date": "date", "email": "email", "uri": "url", "url": "url",
                "binary": "file upload"}.get(schema.get("format", ""), "string")
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "float"
    if kind == "boolean":
        return "boolean"
    if kind == "array":
        return "field" if _flat(schema.get("items")).get("properties") else "list"
    if kind == "object" and _flat(schema).get("properties"):
        return "nested object"
    return "field"  # JSON fields, method fields, related keys, anything oneOf/anyOf


def _label(name: str) -> str:
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _field(name: str | None, shown: dict[str, Any], written: dict[str, Any] | None, required: bool,
           read_only: bool) -> dict[str, Any]:
    """One field's metadata, in DRF's key order; `written` is its request-body schema, if any."""
    source = _flat(written) if written else _flat(shown)
    extra = {**(shown.get("x-drf-field") or {}), **((written or {}).get("x-drf-field") or {})}
    info: dict[str, Any] = {"type": extra.get("type") or _drf_type(source), "required": required and not read_only,
                            "read_only": read_only}
    label = extra.get("label") or (_label(name) if name else None)
    if label:
        info["label"] = label
    if extra.get("help_text"):
        info["help_text"] = extra["help_text"]
    if not read_only:  # DRF drops the limits of read-only fields
        for key, attr in (("minLength", "min_length"), ("maxLength", "max_length"),
                          ("minimum", "min_value"), ("maximum", "max_value")):
            value = source.get(key, _flat(shown).get(key))
            if value is not None:
                info[attr] = value
    if source.get("type") == "array":
        items = _flat(source.get("items"))
        info["child"] = _field(None, items, None, True, read_only)
    elif info["type"] == "nested object" or (source.get("type") == "object" and source.get("properties")):
        info["children"] = _fields(source, None)
    if not read_only and (extra.get("choices") or "enum" in source):
        info["choices"] = extra.get("choices") or [{"value": value, "display_name": str(value)}
                                                   for value in source["enum"]]
    return info


def _fields(shown: dict[str, Any], written: dict[str, Any] | None) -> dict[str, Any]:
    """The serializer's fields: `shown` (a response schema) gives order and readOnly, `written` the rest."""
    shown, written_flat = _flat(shown), _flat(written) if written is not None else None
    shown_props: dict[str, Any] = shown.get("properties") or {}
    if written_flat is None:  # a nested representation: its own flags only
        required = set(shown.get("required") or [])
        return {name: _field(name, prop, None, name in required, bool(prop.get("readOnly")))
                for name, prop in shown_props.items()}
    written_props: dict[str, Any] = written_flat.get("properties") or {}
    required = set(written_flat.get("required") or [])
    names = [*shown_props, *(name for name in written_props if name not in shown_props)]
    result = {}
    for name in names:
        prop, wrote = shown_props.get(name) or written_props[name], written_props.get(name)
        read_only = wrote is None or bool(prop.get("readOnly"))
        result[name] = _field(name, prop, wrote, name in required, read_only)
    return result


def _json_schema(holder: dict[str, Any] | None) -> dict[str, Any] | None:
    content = (holder or {}).get("content") or {}
    media = content.get(JSON) or next(iter(content.values()), None)
    return (media or {}).get("schema")


@functools.lru_cache(maxsize=512)
def serializer_info(spec: SpecDocument, template: str, method: str) -> dict[str, Any]:
    """The `actions.<METHOD>` fields of a route (static: the spec does not change while serving)."""
    operation = spec.resolved["paths"][template][method.lower()]
    written = _json_schema(operation.get("requestBody")) or {"type": "object", "properties": {}}
    responses = operation.get("responses") or {}
    success = next((responses[code] for code in ("201", "200") if code in responses), None)
    shown = _json_schema(success)
    if not isinstance(shown, dict) or not _flat(shown).get("properties"):
        shown = {"type": "object", "properties": {}}
    return _fields(shown, written)


# -- the document ---------------------------------------------------------------------------------

def document(scope: dict[str, Any], exists: Callable[[], bool] | None) -> tuple[dict[str, Any], str] | None:
    """(metadata, Allow) for the request's route as its caller sees it, or None off the spec.

    Authentication and the permission check for OPTIONS have run; `exists` says whether the
    record of a detail route can be read (None: not known, taken as yes).
    """
    found = route_of(scope)
    if found is None:
        return None
    template, path = found
    spec = _spec(scope)
    item = spec.paths()[template]
    if item.get("x-drf-view") is False:  # not a DRF view (Django's file serving): no metadata
        return None
    view = item.get("x-drf-view") or {}
    methods = methods_of(item)
    body: dict[str, Any] = {"name": view_name(template, item), "description": str(view.get("description") or ""),
                            "renders": list(RENDERS), "parses": list(PARSES)}
    actions: dict[str, Any] = {}
    if view.get("actions", True):
        backend = backend_in(scope, "tesla")
        for method in ("POST", "PUT"):
            if method not in methods or auth.precheck({**scope, "method": method}, path, backend) is not None:
                continue
            if method == "PUT" and exists is not None and not exists():
                continue
            actions[method] = serializer_info(spec, template, method)
    if actions:
        body["actions"] = actions
    return body, allow_header(methods)


def answer(scope: dict[str, Any], exists: Callable[[], bool] | None) -> WireResponse | None:
    """The metadata as a wire answer (an OPTIONS on a path whose spec lacks its `options`
    operation, through the 405), or None off the spec."""
    found = document(scope, exists)
    if found is None:
        return None
    body, allow = found
    return WireResponse(200, orjson.dumps(body), JSON, {"Allow": allow})


def options_view(**params: Any) -> flask.Response:
    """Every spec `options_*` operation: DRF's metadata of the route the request reached."""
    scope = request_scope()
    _authenticate(scope)
    found = document(scope, lambda: _readable(scope, params))
    if found is None:  # the spec routed it, so the route is there; kept for type safety
        raise MockError(ErrorKind.ROUTE_NOT_FOUND, "no route")
    body, allow = found
    return flask.Response(orjson.dumps(body), 200, {"Allow": allow}, content_type=JSON)


def _authenticate(scope: dict[str, Any]) -> None:
    """DRF authenticates every request to a view with authentication classes, OPTIONS too: a bad
    `Authorization` is 401 even on a public route, where the spec's security is optional."""
    found = route_of(scope)
    spec = _spec(scope)
    operation = spec.paths()[found[0]].get("options", {}) if found else {}
    if operation.get("security", spec.raw.get("security")) != []:
        auth.principal(auth.header(scope, b"authorization"), backend_in(scope, "tesla"))


def _readable(scope: dict[str, Any], params: dict[str, Any]) -> bool:
    """Whether the route's GET answers 200 for this caller (DRF's get_object() before PUT)."""
    found = route_of(scope)
    if found is None:
        return False
    item = _spec(scope).paths()[found[0]]
    get = item.get("get")
    if not isinstance(get, dict):
        return False
    names = [segment[1:-1] for segment in found[0].split("/") if _PARAM.match(segment)]
    handler = vendor_of(scope).handlers[get["operationId"]]
    try:
        response = handler(**{name: params[name] for name in names if name in params})
    except MockError:
        return False
    return getattr(response, "status_code", 200) == 200
