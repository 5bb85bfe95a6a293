"""Intake idempotency keys: a client that retries a call it is unsure was saved gets the first ticket back."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import IntakeKey, Ticket, User

if TYPE_CHECKING:  # the daily job imports this module, and the policy imports the cycle
    from .policy import Policy


def claim_key(session: Session, actor: User, key: str, number: str, policy: Policy, now: datetime) -> Ticket | None:
    """Take the key for the intake whose ticket gets `number`, or find the ticket an earlier request with it made.

    The key row is written before the ticket, with ON CONFLICT DO NOTHING: a concurrent request with
    the same key waits on the unique index until this one commits, then inserts nothing and finds
    this one's ticket instead of making another (no savepoint: on SQLite releasing one would commit).
    One statement when the key is new, the usual case.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite

    def insert() -> bool:
        return session.execute(
            dialect.insert(IntakeKey).values(user_id=actor.id, key=key, ticket_number=number, created_at=now)
            .on_conflict_do_nothing().returning(IntakeKey.id)
        ).scalar() is not None

    if insert():
        return None
    found = session.scalar(select(IntakeKey).where(IntakeKey.user_id == actor.id, IntakeKey.key == key)
                           .execution_options(populate_existing=True))
    if found is not None and found.created_at < now - timedelta(hours=policy.intake_key_hours):
        session.delete(found)  # expired: the key may be used afresh
        session.flush()
        if insert():
            return None
        found = session.scalar(select(IntakeKey).where(IntakeKey.user_id == actor.id, IntakeKey.key == key))
    ticket = session.scalar(select(Ticket).where(Ticket.number == found.ticket_number)) if found else None
    if ticket is None:  # cannot happen: the winner wrote both in one transaction
        raise RuntimeError(f"intake key {key!r} is taken but has no ticket")
    return ticket


def purge_expired(session: Session, policy: Policy, now: datetime) -> int:
    """Delete the keys too old to return their ticket (the daily job); how many went."""
    cutoff = now - timedelta(hours=policy.intake_key_hours)
    return session.execute(delete(IntakeKey).where(IntakeKey.created_at < cutoff)).rowcount or 0
