"""Emergency hand-off: a call the operator handed to 110 / 119 / 120 / 122 or a utility's emergency line.

The ticket is kept (the call happened, and it counts), closed at once with that outcome: it is never
dispatched, so no unit's deadline runs. Supervisors list them; the monthly report counts them.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from models import Ticket, User

from . import workflow
from .cycle.flags import instant
from .errors import InvalidInput
from .policy import Policy

MAX_NOTE = 1000


def check_service(service: str | None, policy: Policy, field: str = "emergency.service") -> None:
    """A service from the EMERGENCY_SERVICES setting, or a 400 naming ``field``."""
    allowed = policy.practice_rules.emergency_services
    if service not in allowed:
        raise InvalidInput("bad_choice", field=field, name=field, allowed=", ".join(allowed))


def check(service: str | None, note: str, policy: Policy) -> None:
    """A hand-off names a service from the EMERGENCY_SERVICES setting and the note read to it."""
    check_service(service, policy)
    if not note.strip():
        raise InvalidInput("required", field="emergency.note", name="emergency.note")
    if len(note) > MAX_NOTE:
        raise InvalidInput("too_long", field="emergency.note", name="emergency.note", limit=MAX_NOTE)


def hand_off(session: Session, ticket: Ticket, service: str, note: str, actor: User | None, policy: Policy,
             now: datetime) -> None:
    """Record the hand-off on a ticket just received (the workflow closes it)."""
    check(service, note, policy)
    workflow.hand_off_emergency(session, ticket, service, note.strip(), actor, now)


def handed_off(service: str | None = None, since: datetime | None = None, until: datetime | None = None) -> Select:
    """Tickets handed to an emergency service, newest first (optionally one service, a time range)."""
    query = select(Ticket).where(Ticket.emergency_at.is_not(None))
    if service:
        query = query.where(Ticket.emergency_service == service)
    if since is not None:
        query = query.where(Ticket.emergency_at >= instant(since))
    if until is not None:
        query = query.where(Ticket.emergency_at < instant(until))
    return query.order_by(Ticket.emergency_at.desc(), Ticket.id.desc())


def counts(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Hand-offs in [start, end) by service, read through ``ix_tickets_emergency_at`` (that period only)."""
    rows = session.execute(
        select(Ticket.emergency_service, func.count())
        .where(Ticket.emergency_at >= instant(start), Ticket.emergency_at < instant(end))
        .group_by(Ticket.emergency_service)).all()
    by_service = {service: n for service, n in sorted(rows)}
    return {"total": sum(by_service.values()), "by_service": by_service}


def emergency_json(ticket: Ticket, tz) -> dict[str, Any] | None:
    """The hand-off for the ticket's JSON (None for an ordinary call)."""
    if ticket.emergency_at is None:
        return None
    return {"service": ticket.emergency_service, "note": ticket.emergency_note,
            "at": ticket.emergency_at.astimezone(tz).isoformat()}
