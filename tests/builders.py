"""Build rows directly (flush, never commit), for tests that set up history rather than walk the API."""
from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AppealType, Department, Ticket, TicketStatus

_numbers = itertools.count(1)


def department(session: Session, code: str) -> Department:
    """A demo department by code."""
    return session.scalar(select(Department).where(Department.code == code))


def make_ticket(session: Session, created_at: datetime, **fields) -> Ticket:
    """A ticket with sensible defaults; any column can be given."""
    values = dict(
        number=f"T{next(_numbers):012d}", status=TicketStatus.PENDING_DISPATCH, appeal_type=AppealType.COMPLAINT,
        caller_phone="13800000000", content="测试工单内容", created_at=created_at,
    )
    values.update(fields)
    ticket = Ticket(**values)
    session.add(ticket)
    session.flush()
    return ticket
