"""Human-readable, unique ticket numbers: local date + a five-digit daily sequence (2026112100123).

On PostgreSQL the number is taken in a transaction of its own, committed at once, so the day's
counter row is locked for one statement instead of for the whole intake (which routes, searches
for repeats and writes the ticket): every intake of the city would otherwise queue on that row.
The price is a gap in the day's sequence when an intake fails after taking its number; numbers
stay unique and increasing, and a gap is harmless (the number is an identifier, not a count).
SQLite serialises all writers anyway, so there it is taken inside the intake's transaction.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import TicketCounter


def _take(conn: Connection | Session, key: str, dialect) -> int:
    """Increment the day's counter (making it on the day's first call) and return its new value: one statement."""
    insert = dialect.insert(TicketCounter).values(day=key, last=1)
    return conn.execute(
        insert.on_conflict_do_update(index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    ).scalar_one()


def next_ticket_number(session: Session, day: date) -> str:
    """Issue the next number for `day`."""
    key = day.strftime("%Y%m%d")
    bind = session.get_bind()
    if bind.dialect.name == "postgresql" and isinstance(bind, Engine):
        with bind.connect() as conn:
            last = _take(conn, key, postgresql)
            conn.commit()
    else:
        last = _take(session, key, postgresql if bind.dialect.name == "postgresql" else sqlite)
    return f"{key}{last:05d}"
