"""Human-readable, unique ticket numbers: local date + a five-digit daily sequence (2026112100123)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import TicketCounter


def next_ticket_number(session: Session, day: date) -> str:
    """Issue the next number for `day`; the row update serialises concurrent callers."""
    key = day.strftime("%Y%m%d")
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(TicketCounter).values(day=key, last=0).on_conflict_do_nothing())
    last = session.execute(
        update(TicketCounter).where(TicketCounter.day == key).values(last=TicketCounter.last + 1)
        .returning(TicketCounter.last)
    ).scalar_one()
    return f"{key}{last:05d}"
