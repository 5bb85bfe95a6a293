"""A citizen looks up a ticket by its number and the last four digits of the caller's phone."""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Ticket, TicketStatus

from .errors import InvalidInput, NotFound

NUMBER = re.compile(r"[0-9A-Za-z]{1,20}")
TAIL = re.compile(r"\d{4}")


@dataclass(frozen=True)
class TicketStatusView:
    """All a citizen is shown: status, unit (unless confidential), dates and the reply."""

    number: str
    status: TicketStatus
    unit: str | None
    created_at: datetime
    dispatched_at: datetime | None
    reply_by: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    reply: str


def lookup(session: Session, number: str, phone_tail: str) -> TicketStatusView:
    """The ticket's public status, or the same 404 for an unknown number and for a wrong phone tail."""
    number, phone_tail = (number or "").strip(), (phone_tail or "").strip()
    if not NUMBER.fullmatch(number):
        raise InvalidInput("bad_format", field="number", name="number", example="2026112200001", value=number[:40])
    if not TAIL.fullmatch(phone_tail):
        raise InvalidInput("bad_format", field="phone_tail", name="phone_tail", example="5678", value=phone_tail[:40])
    ticket = session.scalar(select(Ticket).where(Ticket.number == number))
    actual = ticket.caller_phone[-4:] if ticket is not None else "----"
    # One answer for an unknown number and for a wrong pair, so the lookup can't tell numbers exist.
    if not hmac.compare_digest(actual, phone_tail) or ticket is None:
        raise NotFound("no_matching_ticket", field="number")
    confidential = ticket.confidential  # 保密: the page a phone tail opens names no unit
    replied = ticket.status in (TicketStatus.REPLIED, TicketStatus.CLOSED)
    return TicketStatusView(
        number=ticket.number, status=ticket.status,
        unit=None if confidential or ticket.department is None else ticket.department.name,
        created_at=ticket.created_at, dispatched_at=ticket.dispatched_at, reply_by=ticket.reply_by,
        replied_at=ticket.replied_at, closed_at=ticket.closed_at, reply=ticket.reply if replied else "",
    )
