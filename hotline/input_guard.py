"""Input no field may hold, refused before any view sees it: a 400 naming the field, never a 500.

A NUL character (PostgreSQL text cannot store it) or a lone surrogate (not encodable as UTF-8) anywhere in
the path, the query string, a form or a JSON body; a path id beyond a database integer (a 404, as any
missing row). Body size is bounded by MAX_CONTENT_LENGTH (413) before anything is read.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Flask, request
from werkzeug.routing import BaseConverter, IntegerConverter

from .services.errors import InvalidInput

MAX_ID = 2**31 - 1  # the largest value of an INTEGER column on PostgreSQL (and so of an id)
# NUL, and UTF-16 surrogates standing alone (JSON's "\ud800" decodes to one).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BoundedIntegerConverter(IntegerConverter):
    """<int:…> in a path matches only ids a database integer can hold; a longer number is no such page."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class TicketNumberConverter(BaseConverter):
    """<ticket:…>: any segment but `similar`, so POST /tickets/similar is not also "GET ticket similar" (whose
    Allow header would then offer GET); anything else, NUL included, reaches the checks and the 404 of a number."""

    regex = "(?!similar(?![^/]))[^/]+"


def _bad_field(value: Any, path: str) -> str | None:
    """The dotted name of the first string (or key) in `value` holding unstorable characters, else None."""
    if isinstance(value, str):
        return path if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _UNSTORABLE.search(key):
                return name
            if found := _bad_field(item, name):
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _bad_field(item, f"{path}.{index}" if path else str(index)):
                return found
    return None


def json_body() -> Any:
    """The request's JSON, or None when it is no JSON (the view's own parsing then says what is wrong)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:  # "[[[[…" nested deeper than the parser goes
        raise InvalidInput("json_too_deep", field="body") from None


def _bad_multidict(values) -> str | None:
    """The first query or form parameter whose name or any value holds unstorable characters."""
    for key, items in values.lists():
        if _UNSTORABLE.search(key) or any(_UNSTORABLE.search(item) for item in items if isinstance(item, str)):
            return key
    return None


def check_request() -> None:
    """Refuse a request carrying an unstorable character, naming where it is."""
    field = _bad_field(request.view_args or {}, "") or _bad_multidict(request.args)
    if field is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        field = _bad_multidict(request.form)
    elif field is None and request.is_json:
        field = _bad_field(json_body(), "")
    if field is not None:
        raise InvalidInput("unstorable_character", field=field, name=field)


def init_app(app: Flask) -> None:
    """Bound path ids (before any route is added) and check every request first."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["ticket"] = TicketNumberConverter
    app.before_request(check_request)
