"""XML <-> Python values for Litmos, driven by the spec's component schemas, which also fix the
members of a JSON answer and their order (`XmlCodec.ordered`).

WCF's DataContract serializer is the model: property order in the schema is element order,
`xml.name` renames an element, arrays are `xml.wrapped` lists of item elements, nulls are
`i:nil="true"`, empty strings are self-closed elements, and there is no XML declaration. An
array item with `xml.prefix` and `xml.namespace` is written as WCF writes a `List<string>`
(`<Languages xmlns:a="…/Arrays"><a:string>en-US</a:string></Languages>`).
Reading is order-sensitive like WCF: an element that comes after a later member (or that the
contract does not know) is skipped, not read.

Parsing never touches a DTD, an entity or the network: a document with a DOCTYPE is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ...core.schema import SpecDocument

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = f"{{{XSI}}}nil"
TYPE = f"{{{XSI}}}type"
XSD = "http://www.w3.org/2001/XMLSchema"
# The XML Schema types a member of each kind may declare with `i:type` (WCF reads the declared type,
# then fails to put, say, a boolean into a string member).
DECLARABLE = {
    "string": frozenset({"string"}), "boolean": frozenset({"boolean"}),
    "integer": frozenset({"int", "long", "short", "byte", "unsignedInt", "unsignedLong", "unsignedShort",
                          "unsignedByte", "integer"}),
    "number": frozenset({"decimal", "double", "float", "int", "long", "short", "integer"}),
}
NSMAP = {"i": XSI}
# Characters XML 1.0 cannot carry; written out as U+FFFD rather than failing the response.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class XmlBodyError(ValueError):
    """The document is not XML, is hostile, or does not fit the contract."""


@dataclass
class Node:
    """How one schema reads and writes as XML."""

    kind: str  # object | array | string | boolean | integer | number | any
    name: str
    members: list[tuple[str, "Node"]] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # element name -> member index
    item: "Node | None" = None
    wrapped: bool = False
    namespace: tuple[str, str] | None = None  # (prefix, URI) of a namespaced element
    tag: str = ""  # the element's tag as lxml reads it (`{URI}local` when namespaced)

    def __post_init__(self) -> None:
        self.tag = self.tag or self.name


def xml_text(value: str) -> str:
    """`value` with every character XML 1.0 cannot hold replaced."""
    return _NOT_XML.sub("\ufffd", value)


def _kind(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind is None:
        if "properties" in schema or "allOf" in schema:
            return "object"
        return "array" if "items" in schema else "any"
    return str(kind)


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Properties in document order, `allOf` parts merged left to right."""
    merged: dict[str, dict[str, Any]] = {}
    for part in schema.get("allOf", []):
        merged.update(dict(_properties(part)))
    merged.update(schema.get("properties", {}))
    return list(merged.items())


def build_node(schema: dict[str, Any], name: str) -> Node:
    """Compile a resolved schema into a Node named `name` (unless `xml.name` says otherwise)."""
    options = schema.get("xml", {})
    local = options.get("name", name)
    prefix, uri = options.get("prefix"), options.get("namespace")
    if prefix and uri:
        node = Node(_kind(schema), f"{prefix}:{local}", wrapped=bool(options.get("wrapped", False)),
                    namespace=(prefix, uri), tag=f"{{{uri}}}{local}")
    else:
        node = Node(_kind(schema), local, wrapped=bool(options.get("wrapped", False)))
    if node.kind == "object":
        for index, (key, sub) in enumerate(_properties(schema)):
            child = build_node(sub, key)
            node.members.append((key, child))
            node.positions.setdefault(child.tag, index)
    elif node.kind == "array":
        items = schema.get("items", {})
        node.item = build_node(items, items.get("xml", {}).get("name", node.name))
    return node


class XmlCodec:
    """Encodes and decodes values for the component schemas of one spec."""

    def __init__(self, spec: SpecDocument) -> None:
        self._spec = spec
        self._nodes: dict[str, Node] = {}

    def node(self, schema_name: str) -> Node:
        node = self._nodes.get(schema_name)
        if node is None:
            node = build_node(self._spec.component(schema_name), schema_name)
            if node.kind == "array":
                node.wrapped = True  # a root list always has its collection element
            self._nodes[schema_name] = node
        return node

    # -- writing -----------------------------------------------------------------------------
    def encode(self, schema_name: str, value: Any) -> bytes:
        """The document for `value`, exactly as lxml would serialise it (see `_write`)."""
        node = self.node(schema_name)
        out: list[str] = []
        _write(out, node.name, node, value, ROOT_NAMESPACE)
        return "".join(out).encode("utf-8")

    def ordered(self, schema_name: str, value: Any) -> Any:
        """`value` with the schema's members only, in the schema's order, at every depth: a JSON
        answer shows what the XML answer shows, in the same order."""
        return _ordered(self.node(schema_name), value)

    # -- reading -----------------------------------------------------------------------------
    def decode(self, schema_name: str, raw: bytes) -> Any:
        root = parse_safely(raw)
        node = self.node(schema_name)
        if root.tag != node.name:
            raise XmlBodyError(f"expected the root element {node.name}, found {root.tag}")
        return _read(root, node)


def parse_safely(raw: bytes) -> etree._Element:
    """Parse without DTDs, entities or network; refuse any DOCTYPE outright."""
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise XmlBodyError("DOCTYPE and ENTITY declarations are not accepted")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        remove_comments=True, remove_pis=True, huge_tree=False, collect_ids=False,
    )
    try:
        root = etree.fromstring(raw, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XmlBodyError(f"not well-formed XML: {exc}") from None
    if root is None:
        raise XmlBodyError("empty document")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlBodyError("DOCTYPE declarations are not accepted")
    return root


ROOT_NAMESPACE = f' xmlns:i="{XSI}"'
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


_NEEDS_ESCAPE = re.compile("[&<>\r]")
_SCALARS = frozenset({"string", "boolean", "integer", "number", "any"})


def _text(value: Any) -> str:
    """Element text for a scalar, escaped as libxml2 escapes text."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    text = value if isinstance(value, str) else str(value)
    if not (text.isascii() and text.isprintable()):
        text = xml_text(text)
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _write(out: list[str], name: str, node: Node, value: Any, attributes: str = "") -> None:
    """Append the element `name` for `value`.

    Written as text rather than built as an lxml tree: building costs about a microsecond per
    element and a user has some fifty. The output is the bytes lxml writes (tests parse it back
    with lxml): `<X/>` when empty, `i:nil="true"` for None, `xmlns:i` on the root only.
    """
    if value is None:
        out.append(f'<{name}{attributes} i:nil="true"/>')
    elif node.kind == "object" and isinstance(value, dict):
        start = len(out)
        out.append(f"<{name}{attributes}>")
        for key, child in node.members:
            if key not in value:
                continue
            member = value[key]
            if child.kind in _SCALARS and member is not None and not isinstance(member, (dict, list)):
                text = _text(member) if member != "" else ""
                out.append(f"<{child.name}>{text}</{child.name}>" if text else f"<{child.name}/>")
            else:
                _write(out, child.name, child, member)
        _close(out, start, name, attributes)
    elif node.kind == "array" and isinstance(value, list):
        start = len(out)
        item = node.item or Node("any", "item")
        if item.namespace is not None:
            attributes += f' xmlns:{item.namespace[0]}="{item.namespace[1]}"'
        out.append(f"<{name}{attributes}>")
        for entry in value:
            _write(out, item.name, item, entry)
        _close(out, start, name, attributes)
    else:
        text = _text(value) if value != "" else ""
        out.append(f"<{name}{attributes}>{text}</{name}>" if text else f"<{name}{attributes}/>")


def _ordered(node: Node, value: Any) -> Any:
    if node.kind == "object" and isinstance(value, dict):
        return {key: value[key] if child.kind in _SCALARS else _ordered(child, value[key])
                for key, child in node.members if key in value}
    if node.kind == "array" and isinstance(value, list) and node.item is not None:
        item = node.item
        return [_ordered(item, entry) for entry in value]
    return value


def _close(out: list[str], start: int, name: str, attributes: str) -> None:
    """End an element opened at `out[start]`; self-closed when nothing was written inside."""
    if len(out) == start + 1:
        out[start] = f"<{name}{attributes}/>"
    else:
        out.append(f"</{name}>")


def _read(element: etree._Element, node: Node) -> Any:
    if element.get(NIL) in ("true", "1"):
        return None
    if node.kind == "object":
        return _read_object(element, node)
    if node.kind == "array":
        item = node.item
        assert item is not None
        _no_text(element)
        children = [child for child in element if isinstance(child.tag, str)]
        if any(child.tag != item.tag for child in children):
            raise XmlBodyError(f"{element.tag} may only hold {item.name} elements")
        return [_read(child, item) for child in children]
    if len(element):
        raise XmlBodyError(f"{element.tag} must not contain elements")
    _check_declared_type(element, node)
    text = "".join(element.itertext())
    if node.kind == "boolean":
        parsed = _BOOLEANS.get(text.strip())
        if parsed is None:
            raise XmlBodyError(f"{element.tag}: {text!r} is not a boolean")
        return parsed
    if node.kind == "integer":
        if not _INTEGER.fullmatch(text.strip()):
            raise XmlBodyError(f"{element.tag}: {text!r} is not an integer")
        return int(text)
    if node.kind == "number":
        try:
            return float(text)
        except ValueError:
            raise XmlBodyError(f"{element.tag}: {text!r} is not a number") from None
    return text


def _check_declared_type(element: etree._Element, node: Node) -> None:
    """An `i:type` on a scalar member must name an XML Schema type of the member's own kind."""
    declared = element.get(TYPE)
    if declared is None or node.kind not in DECLARABLE:
        return
    prefix, _, local = declared.rpartition(":")
    if element.nsmap.get(prefix or None) != XSD or local not in DECLARABLE[node.kind]:
        raise XmlBodyError(f"{element.tag}: i:type {declared!r} does not fit a {node.kind} member")


def _no_text(element: etree._Element) -> None:
    """WCF expects elements inside an object or a collection; text there is an error."""
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        raise XmlBodyError(f"{element.tag} must hold elements, not text")


def _read_object(element: etree._Element, node: Node) -> dict[str, Any]:
    """Members in contract order; anything out of order or unknown is skipped (WCF)."""
    _no_text(element)
    result: dict[str, Any] = {}
    cursor = 0
    for child in element:
        if not isinstance(child.tag, str):
            continue
        index = node.positions.get(child.tag)
        if index is None or index < cursor:
            continue
        key, member = node.members[index]
        result[key] = _read(child, member)
        cursor = index + 1
    return result
