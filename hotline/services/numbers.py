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

from sqlalchemy import Connection, Engine, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import TicketCounter


def _take(conn: Connection | Session, key: str, dialect, own_transaction: bool = False) -> int:
    """Increment the day's counter (making it on the day's first call) and return its new value: one statement."""
    insert = dialect.insert(TicketCounter).values(day=key, last=1)
    if own_transaction:
        # Its own transaction's commit need not wait for the disk: the ticket that uses the number commits
        # after it, and flushing that commit flushes this earlier one too. Lost in a crash, it was never used.
        row = select(literal(key), literal(1)).where(
            func.set_config("synchronous_commit", "off", True).is_not(None))  # for this transaction only
        insert = dialect.insert(TicketCounter).from_select(["day", "last"], row)
    return conn.execute(
        insert.on_conflict_do_update(index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    ).scalar_one()


def next_ticket_number(session: Session, day: date) -> str:
    """Issue the next number for `day`."""
    key = day.strftime("%Y%m%d")
    bind = session.get_bind()
    if bind.dialect.name == "postgresql" and isinstance(bind, Engine):
        # Autocommit: the one statement is its own transaction, without a BEGIN and a COMMIT to wait for.
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            last = _take(conn, key, postgresql, own_transaction=True)
    else:
        last = _take(session, key, postgresql if bind.dialect.name == "postgresql" else sqlite)
    return f"{key}{last:05d}"
