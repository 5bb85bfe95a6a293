"""Helpers every API view uses: parse the body, find a ticket the user may see, the policy in force."""
from __future__ import annotations

from typing import TypeVar

from flask import current_app, g, request
from pydantic import BaseModel
from sqlalchemy import func, select

from models import Department, Ticket, User

from ..db import get_session
from ..services.access import visible_ticket
from ..services.errors import InvalidInput
from ..services.policy import Policy, load_policy

M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M]) -> M:
    """Validate the JSON body against `model`; malformed JSON or a wrong field is a 400 naming it."""
    if not request.mimetype == "application/json":
        raise InvalidInput("send the body as JSON (Content-Type: application/json)", field="body")
    return model.model_validate_json(request.get_data() or b"{}")


def current_user() -> User:
    """The authenticated user of this request."""
    return g.user


def find_ticket(number: str, user: User | None = None) -> Ticket:
    """The ticket with this number; a department user sees only its own unit's (others are a 404)."""
    return visible_ticket(get_session(), number, user or current_user())


def find_department(code: str, field: str = "department") -> Department:
    """The active department with this code, or a 400 naming the field."""
    department = get_session().scalar(select(Department).where(Department.code == code))
    if department is None or not department.active:
        raise InvalidInput(f"unknown department {code!r}", field=field)
    return department


def policy() -> Policy:
    """The rules in force for this request (cached on g)."""
    if "policy" not in g:
        g.policy = load_policy(get_session(), current_app.config)
    return g.policy


MAX_PAGE = 100_000  # beyond any real list; a larger page would only overflow the database's OFFSET


def whole_number(name: str, default: int, low: int, high: int) -> int:
    """A query parameter of ASCII digits between `low` and `high` (not ², not ١٢), or a 400 naming it."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))) or not low <= int(raw) <= high:
        raise InvalidInput(f"{name} must be a whole number from {low} to {high}", field=name)
    return int(raw)


def page_args(max_per_page: int = 100) -> tuple[int, int]:
    """`page` (from 1) and `per_page` from the query string, validated."""
    return whole_number("page", 1, 1, MAX_PAGE), whole_number("per_page", 20, 1, max_per_page)


def paged(query) -> tuple[list, dict]:
    """One page of `query`'s rows (?page=&per_page=) and {page, per_page, total} to answer with them."""
    page, per_page = page_args()
    session = get_session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return rows, {"page": page, "per_page": per_page, "total": total}
