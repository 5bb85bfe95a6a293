"""回头看: a share of the tickets closed weeks ago is called again to check that the fix held.

The daily job draws the sample. A ticket closed in month P is picked when the hash of its number and P
falls below the share, so the same tickets are picked whatever day the job runs, and a run repeated
(or a missed day caught up) adds nothing twice: (ticket, period) is unique. A verdict goes through the
workflow: "held" is an event, "not held" reopens the ticket to the unit that closed it.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from models import Department, Revisit, RevisitStatus, Ticket, TicketStatus, User

from . import workflow
from .cycle.flags import instant
from .errors import InvalidInput, InvalidTransition
from .policy import Policy

STATUSES = tuple(s.value for s in RevisitStatus)


def picked(number: str, period: str, share: float) -> bool:
    """Whether a ticket closed in ``period`` is in that period's sample (the same answer on every run)."""
    digest = hashlib.sha256(f"{number}:{period}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < share * 2**64


KNOWN_SLICE = 1_000  # pairs looked up per statement


def draw(session: Session, policy: Policy, now: datetime, since: datetime | None = None) -> int:
    """Put the picked tickets closed ``after_days`` to ``within_days`` ago on the list; returns how many were added.

    ``since`` (the last daily run, less a day) bounds the look to tickets that reached the age since then,
    through ``ix_tickets_closed_at``; the full window is read the first time.
    """
    rules = policy.revisit_rules
    newest = now - timedelta(days=rules.after_days)
    oldest = now - timedelta(days=rules.within_days)
    if since is not None:
        oldest = max(oldest, since - timedelta(days=rules.after_days))
    # 即来即办 and merged duplicates had no unit's fix to check (no department).
    rows = session.execute(
        select(Ticket.id, Ticket.number, Ticket.closed_at, Ticket.department_id)
        .where(Ticket.closed_at >= instant(oldest), Ticket.closed_at < instant(newest),
               Ticket.status == TicketStatus.CLOSED, Ticket.department_id.is_not(None))
    ).all()
    chosen = {}
    for ticket_id, number, closed_at, department_id in rows:
        period = closed_at.astimezone(policy.tz).strftime("%Y-%m")
        if picked(number, period, rules.share):
            chosen[(ticket_id, period)] = (closed_at, department_id)
    if not chosen:
        return 0
    # In slices: the first run's full window picks tens of thousands at a city's volume, and one list of
    # pairs that long is deeper than PostgreSQL's parser allows (stack depth limit exceeded).
    keys = list(chosen)
    known = set()
    for start in range(0, len(keys), KNOWN_SLICE):
        known.update(session.execute(select(Revisit.ticket_id, Revisit.period).where(
            tuple_(Revisit.ticket_id, Revisit.period).in_(keys[start:start + KNOWN_SLICE]))).all())
    day = now.astimezone(policy.tz).date()
    rows = [{"ticket_id": ticket_id, "period": period, "department_id": department_id, "closed_at": closed_at,
             "selected_at": now, "selected_day": day, "status": RevisitStatus.PENDING, "comment": ""}
            for (ticket_id, period), (closed_at, department_id) in chosen.items() if (ticket_id, period) not in known]
    if rows:  # one multi-row INSERT per thousand, not an object each: the first run adds tens of thousands
        session.flush()
        session.execute(insert(Revisit), rows)
    return len(rows)


def listed(status: str | None = RevisitStatus.PENDING.value, department_id: int | None = None) -> Select:
    """Re-visits by status (None: all), the longest waiting first; a unit's own only with ``department_id``."""
    if status is not None and status not in STATUSES:
        raise InvalidInput("bad_choice", field="status", name="status", allowed=list(STATUSES))
    query = select(Revisit).options(selectinload(Revisit.ticket), selectinload(Revisit.department))
    if status is not None:
        query = query.where(Revisit.status == RevisitStatus(status))
    if department_id is not None:
        query = query.where(Revisit.department_id == department_id)
    return query.order_by(Revisit.selected_at, Revisit.id)


def pending_for(session: Session, ticket: Ticket) -> Revisit:
    """The ticket's re-visit waiting for its call, or a 409."""
    revisit = session.scalar(select(Revisit).where(Revisit.ticket_id == ticket.id,
                                                   Revisit.status == RevisitStatus.PENDING))
    if revisit is None:
        raise InvalidTransition("no_pending_revisit", number=ticket.number)
    return revisit


def record(session: Session, ticket: Ticket, held: bool, comment: str, actor: User, policy: Policy,
           now: datetime) -> Revisit:
    """The supervisor's call: whether the fix held; "not held" reopens the ticket to the unit that closed it."""
    revisit = pending_for(session, ticket)
    if not held and not comment.strip():
        raise InvalidInput("required", field="comment", name="comment")  # the unit must learn what came back
    department = session.get(Department, revisit.department_id)
    workflow.record_revisit(session, ticket, department, held, comment, actor, policy, now, revisit_id=revisit.id)
    revisit.status = RevisitStatus.HELD if held else RevisitStatus.NOT_HELD
    revisit.comment = comment
    revisit.recorded_at, revisit.recorded_by_id = now, actor.id
    revisit.recorded_day = now.astimezone(policy.tz).date()
    session.flush()
    return revisit
