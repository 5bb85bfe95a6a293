"""GeoReport v2's two formats: JSON, and XML with the standard's element names."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from flask import Response, jsonify

# The XML root and item element of each answer.
XML_NAMES = {
    "services": ("services", "service"),
    "definition": ("service_definition", None),
    "requests": ("service_requests", "request"),
    "created": ("service_requests", "request"),
    "errors": ("errors", "error"),
}
LIST_ITEM = {"attributes": "attribute", "values": "value"}


def _xml(parent: ET.Element, value: Any) -> None:
    """Append `value` under `parent`: a dict's keys become elements, a list's items repeat."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, list):
                holder = ET.SubElement(parent, key)
                for element in item:
                    _xml(ET.SubElement(holder, LIST_ITEM.get(key, key.rstrip("s"))), element)
            else:
                _xml(ET.SubElement(parent, key), item)
    elif value is not None:
        parent.text = str(value).lower() if isinstance(value, bool) else str(value)


def render(kind: str, data: Any, fmt: str, status: int = 200) -> Response:
    """An answer in the requested format."""
    if fmt == "json":
        response = jsonify(data)
    else:
        root_name, item_name = XML_NAMES[kind]
        root = ET.Element(root_name)
        for item in (data if isinstance(data, list) else [data]):
            _xml(ET.SubElement(root, item_name) if item_name else root, item)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
        response = Response(body, mimetype="text/xml")
    response.status_code = status
    return response


def error(status: int, description: str, fmt: str) -> Response:
    """The standard's error list: [{code, description}]."""
    return render("errors", [{"code": status, "description": description}], fmt, status)
