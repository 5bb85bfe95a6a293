"""Helpers every API view uses: parse the body, find a ticket the user may see, the policy in force."""
from __future__ import annotations

from typing import TypeVar

from flask import current_app, g, request
from pydantic import BaseModel
from sqlalchemy import select

from models import Department, Ticket, User

from ..db import get_session
from ..services.access import visible_ticket
from ..services.errors import InvalidInput
from ..services.policy import Policy, load_policy

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


def find_department(code: str, field: str = "department") -> Department:
    """The active department with this code, or a 400 naming the field."""
    department = get_session().scalar(select(Department).where(Department.code == code))
    if department is None or not department.active:
        raise InvalidInput("unknown_department", field=field, value=code)
    return department


def policy() -> Policy:
    """The rules in force for this request (cached on g)."""
    if "policy" not in g:
        g.policy = load_policy(get_session(), current_app.config)
    return g.policy


def page_args(max_per_page: int = 100) -> tuple[int, int]:
    """`page` (from 1) and `per_page` from the query string, validated."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 20))
    except ValueError:
        raise InvalidInput("whole_number_required", field="page", name="page") from None
    if page < 1:
        raise InvalidInput("too_small", field="page", name="page", minimum=1)
    if not 1 <= per_page <= max_per_page:
        raise InvalidInput("out_of_range", field="per_page", name="per_page", minimum=1, maximum=max_per_page)
    return page, per_page
