"""Schemathesis support for Litmos's XML media types; import it once before a run.

* Requests: Schemathesis writes object properties in generation order, but WCF reads elements in
  contract order and skips the ones out of order, so this serializer writes them in the order of
  the schema's properties, as every real Litmos client must.
* Responses: Schemathesis has no XML deserializer, so XML answers would go unchecked (and stateful
  links could not read `$response.body#/Id` from them). This one reads an XML answer into plain
  values by the response schema, after checking what the schema cannot say: the root element
  name, `xmlns:i` on the root and no XML declaration.

Both registrations are process-wide (Schemathesis keeps serializers globally).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from lxml import etree
from schemathesis.transport.serialization import serialize_xml

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = f"{{{XSI}}}nil"
XML_TYPES = ("application/xml", "text/xml")


def _resolve(root: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _in_schema_order(root: dict[str, Any], schema: Any, value: Any) -> Any:
    schema = _resolve(root, schema)
    if isinstance(value, dict) and isinstance(schema, dict):
        properties = schema.get("properties", {})
        keys = [k for k in properties if k in value] + [k for k in value if k not in properties]
        return {k: _in_schema_order(root, properties.get(k, {}), value[k]) for k in keys}
    return value


@schemathesis.serializer(*XML_TYPES)
def ordered_xml(ctx: Any, value: Any) -> bytes:
    case = ctx.case
    body = case.operation.get_body_for_media_type(case.media_type)
    if body is not None and isinstance(value, dict):
        value = _in_schema_order(case.operation.schema.raw_schema, body.definition.get("schema", {}), value)
    return serialize_xml(case, value)["data"]


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
