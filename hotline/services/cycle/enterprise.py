"""一企一档: every appeal of one enterprise (by its unified social credit code) on one page."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Satisfaction, Ticket, TicketStatus

from ..errors import InvalidInput, NotFound
from .flags import flag_of

# GB 32100-2015: 18 characters, no I, O, S, V, Z (the same rule the intake form applies).
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


def normalise_code(code: str) -> str:
    """The credit code upper-cased; a malformed one is a 400 naming credit_code."""
    value = code.strip().upper()
    if not CREDIT_CODE.fullmatch(value):
        raise InvalidInput("bad_credit_code", field="credit_code", value=code)
    return value


def history(session: Session, code: str, now: datetime, department_id: int | None = None) -> dict[str, Any]:
    """The enterprise's tickets (newest first) and their totals; a department sees only its own unit's."""
    code = normalise_code(code)
    query = (
        select(Ticket).where(Ticket.enterprise_credit_code == code)
        .options(selectinload(Ticket.department), selectinload(Ticket.category))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
    )
    if department_id is not None:
        query = query.where(Ticket.department_id == department_id)
    tickets = list(session.scalars(query))
    if not tickets:
        raise NotFound("enterprise_not_found", field="credit_code", code=code)
    replied = [t for t in tickets if t.replied_at is not None and t.reply_by is not None]
    reached = [t for t in tickets if t.satisfaction is not None]
    totals = {
        "appeals": len(tickets),
        "open": sum(t.status not in (TicketStatus.REPLIED, TicketStatus.CLOSED) for t in tickets),
        "replied": sum(t.replied_at is not None for t in tickets),
        "replied_on_time": sum(t.replied_at <= t.reply_by for t in replied),
        "closed": sum(t.status == TicketStatus.CLOSED for t in tickets),
        "reached": len(reached),
        "satisfied_or_basically": sum(
            t.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED) for t in reached),
    }
    return {
        "credit_code": code,
        # The newest name wins: enterprises rename, the code stays.
        "name": tickets[0].enterprise_name,
        "names": sorted({t.enterprise_name for t in tickets if t.enterprise_name}),
        "first_appeal_at": min(t.created_at for t in tickets),
        "last_appeal_at": max(t.created_at for t in tickets),
        "totals": totals,
        "tickets": tickets,
        "flags": {t.id: flag_of(t, now) for t in tickets},
    }
