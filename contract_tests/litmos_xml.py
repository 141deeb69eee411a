"""Schemathesis support for Litmos's XML media types; import it once before a run.

* Requests: Schemathesis writes object properties in generation order and nulls as text, but WCF
  reads elements in contract order (skipping the ones out of order) and nulls as `i:nil`, so this
  serializer writes members in the order of the schema's properties with `i:nil="true"` for
  nulls, as every real Litmos client must. A value of another type than its member's (generated
  negative data: `false` for a string) carries its own type as `i:type`, as WCF's XML writes a
  typed value; otherwise the text `false` would be a perfectly good string and the negative case
  a positive one.
* Responses: Schemathesis has no XML deserializer, so XML answers would go unchecked (and stateful
  links could not read `$response.body#/Id` from them). This one reads an XML answer into plain
  values by the response schema, after checking what the schema cannot say: the root element
  name, `xmlns:i` on the root and no XML declaration.

Both registrations are process-wide (Schemathesis keeps serializers globally).
"""

from __future__ import annotations

import json
import re
from typing import Any

import schemathesis
from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = f"{{{XSI}}}nil"
XSD = "http://www.w3.org/2001/XMLSchema"
SCALARS = ("string", "boolean", "integer", "number")
XML_TYPES = ("application/xml", "text/xml")


def _resolve(root: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _tag(schema: Any, default: str) -> str:
    return (schema.get("xml", {}) if isinstance(schema, dict) else {}).get("name", default)


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape(text: str) -> str:
    """Escaped text; characters XML 1.0 cannot carry at all become U+FFFD."""
    text = _NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _escape(value if isinstance(value, str) else json.dumps(value))


def _fits(kind: str, value: Any) -> bool:
    """Whether `value` is of the JSON type of a scalar member of `kind`."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _xsd_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return "string" if isinstance(value, str) else "anyType"


def _write(root: dict[str, Any], out: list[str], tag: str, schema: Any, value: Any, attributes: str = "") -> None:
    """One element, as a WCF client writes it: members in schema order, nulls as `i:nil`.

    A value of another shape than the schema's (generated negative data) is written as its JSON
    text, which WCF cannot read as an object or a collection either.
    """
    schema = _resolve(root, schema) or {}
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if value is None:
        out.append(f'<{tag}{attributes} i:nil="true"/>')
    elif kind == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        out.append(f"<{tag}{attributes}>")
        for key, sub in properties.items():
            if key in value:
                _write(root, out, _tag(_resolve(root, sub), key), sub, value[key])
        out.append(f"</{tag}>")
    elif kind == "array" and isinstance(value, list):
        items = _resolve(root, schema.get("items", {})) or {}
        out.append(f"<{tag}{attributes}>")
        for entry in value:
            _write(root, out, _tag(items, "item"), items, entry)
        out.append(f"</{tag}>")
    elif kind in SCALARS and not _fits(kind, value):
        text = _escape(json.dumps(value)) if isinstance(value, (dict, list)) else _scalar(value)
        out.append(f'<{tag}{attributes} i:type="x:{_xsd_type(value)}" xmlns:x="{XSD}">{text}</{tag}>')
    elif isinstance(value, (dict, list)):
        out.append(f"<{tag}{attributes}>{_escape(json.dumps(value))}</{tag}>")
    else:
        out.append(f"<{tag}{attributes}>{_scalar(value)}</{tag}>")


@schemathesis.serializer(*XML_TYPES)
def ordered_xml(ctx: Any, value: Any) -> bytes:
    case = ctx.case
    if isinstance(value, bytes):
        return value
    body = case.operation.get_body_for_media_type(case.media_type)
    root = case.operation.schema.raw_schema
    schema = _resolve(root, body.definition.get("schema", {})) if body is not None else {}
    if not isinstance(value, (dict, list)) and schema.get("type") in ("object", "array"):
        # A negative case that replaced the whole document by a scalar: send the scalar itself.
        # Wrapped in the root element, a blank string would read back as an empty list (XML
        # ignores whitespace between elements) and the invalid case would become a valid one.
        return str(value).encode("utf-8")
    out: list[str] = []
    _write(root, out, _tag(schema, "root"), schema, value, f' xmlns:i="{XSI}"')
    return "".join(out).encode("utf-8")


def _response_schema(ctx: Any, status: int, media_type: str) -> dict[str, Any] | None:
    root = ctx.operation.schema.raw_schema
    operation = root["paths"][ctx.operation.path][ctx.operation.method.lower()]
    response = _resolve(root, operation["responses"].get(str(status)))
    if not isinstance(response, dict):
        return None
    content = response.get("content", {}).get(media_type)
    return _resolve(root, content.get("schema")) if content else None


def _value(root: dict[str, Any], element: Any, schema: Any) -> Any:
    schema = _resolve(root, schema) or {}
    if element.get(NIL) == "true":
        return None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        names = {(_resolve(root, s) or {}).get("xml", {}).get("name", key): key for key, s in properties.items()}
        return {names.get(child.tag, child.tag): _value(root, child, properties.get(names.get(child.tag), {}))
                for child in element}
    if kind == "array":
        return [_value(root, child, schema.get("items", {})) for child in element]
    text = element.text or ""
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    return text


@schemathesis.deserializer(*XML_TYPES)
def litmos_xml(ctx: Any, response: Any) -> Any:
    media_type = response.headers.get("content-type", [""])[0].split(";")[0].strip()
    content = response.content
    if content.lstrip().startswith(b"<?xml"):
        raise ValueError("Litmos XML carries no XML declaration")
    element = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    if element.nsmap.get("i") != XSI:
        raise ValueError('the root element must declare xmlns:i="http://www.w3.org/2001/XMLSchema-instance"')
    root = ctx.operation.schema.raw_schema
    schema = _response_schema(ctx, response.status_code, media_type) or {}
    expected = schema.get("xml", {}).get("name")
    if expected and element.tag != expected:
        raise ValueError(f"root element {element.tag!r}, expected {expected!r}")
    return _value(root, element, schema)
