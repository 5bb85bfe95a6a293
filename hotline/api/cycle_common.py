"""Helpers of the cycle's views: who may see which unit's figures, query-string flags, formats."""
from __future__ import annotations

from flask import request

from models import Role

from ..input_guard import MAX_ID
from ..services.errors import InvalidInput
from .common import current_user

FORMATS = ("json", "csv", "xlsx", "html")
MAX_INT = MAX_ID  # the largest id or revision a database integer column holds


def own_unit() -> int | None:
    """A department user's unit (they see only its line); None for staff, who see every unit."""
    user = current_user()
    return user.department_id if user.role == Role.DEPARTMENT else None


def flag_arg(name: str) -> bool:
    """A boolean query parameter (?live=1); anything but 1/0/true/false is a 400 naming it."""
    raw = request.args.get(name, "0").strip().lower()
    if raw not in ("0", "1", "true", "false", ""):
        raise InvalidInput("bad_choice", field=name, name=name, allowed=["1", "0"])
    return raw in ("1", "true")


def int_arg(name: str) -> int | None:
    """A positive whole-number query parameter, or None when absent."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10) or not 1 <= int(raw) <= MAX_INT:
        raise InvalidInput("out_of_range", field=name, name=name, minimum=1, maximum=MAX_INT)
    return int(raw)


def format_arg() -> str:
    """?format=json|csv|xlsx|html (json by default)."""
    value = request.args.get("format", "json")
    if value not in FORMATS:
        raise InvalidInput("bad_choice", field="format", name="format", allowed=list(FORMATS))
    return value
