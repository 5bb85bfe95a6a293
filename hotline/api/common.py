"""Helpers every API view uses: parse the body, find a ticket the user may see, the policy in force."""
from __future__ import annotations

from typing import TypeVar

from flask import g, jsonify, request
from pydantic import BaseModel

from models import Ticket, User

from ..db import get_session
from ..policy_setup import current_policy as policy  # noqa: F401  (the views import it from here)
from ..presentation import ticket_json
from ..services.access import visible_ticket
from ..services.errors import InvalidInput
from ..services.paging import page_of

M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M]) -> M:
    """Validate the JSON body against `model`; malformed JSON or a wrong field is a 400 naming it."""
    if not request.mimetype == "application/json":
        raise InvalidInput("json_body_required", field="body")
    return model.model_validate_json(request.get_data() or b"{}")


def current_user() -> User:
    """The authenticated user of this request."""
    return g.user


def find_ticket(number: str, user: User | None = None) -> Ticket:
    """The ticket with this number; a department user sees only its own unit's (others are a 404)."""
    return visible_ticket(get_session(), number, user or current_user())


def committed(ticket: Ticket):
    """Commit the request's work (once) and answer with the ticket as the user may see it."""
    get_session().commit()
    return jsonify(ticket_json(ticket, current_user(), policy()))


MAX_PAGE = 100_000  # beyond any real list; a larger page would only overflow the database's OFFSET


def whole_number(name: str, default: int, low: int, high: int) -> int:
    """A query parameter of ASCII digits between `low` and `high` (not ², not ١٢), or a 400 naming it."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))) or not low <= int(raw) <= high:
        raise InvalidInput("out_of_range", field=name, name=name, minimum=low, maximum=high)
    return int(raw)


def page_args(max_per_page: int = 100) -> tuple[int, int]:
    """`page` (from 1) and `per_page` from the query string, validated."""
    return whole_number("page", 1, 1, MAX_PAGE), whole_number("per_page", 20, 1, max_per_page)


def paged(query) -> tuple[list, dict]:
    """One page of a service's query (?page=&per_page=) and {page, per_page, total} to answer with it."""
    page, per_page = page_args()
    rows = page_of(get_session(), query, page, per_page)
    return rows.items, {"page": page, "per_page": per_page, "total": rows.total}
