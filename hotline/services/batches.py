"""集中交办: a period's repeat clusters (one matter, many calls) handed to one unit as a batch with a deadline.

A batch is tracked to 销号: it closes only once every ticket in it is closed. Each hand-over goes
through the workflow (an ASSIGNED event where the ticket changes hands, and a BATCHED event).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from models import Batch, BatchStatus, BatchTicket, Ticket, TicketStatus, User

from . import claims, directory, search, workflow
from .cycle.flags import instant
from .cycle.periods import Period, containing
from .errors import Conflict, InvalidInput, InvalidTransition, NotFound
from .policy import Policy

STATUSES = tuple(s.value for s in BatchStatus)


@dataclass(frozen=True)
class Cluster:
    """One matter called in about at least ``min_calls`` times: its first ticket and every repeat."""

    root: Ticket
    tickets: list[Ticket]  # the first ticket, then its repeats, oldest first
    calls_in_period: int  # the repeats created within the period
    open_batch: int | None  # the open batch already holding one of its tickets, if any

    @property
    def open_tickets(self) -> list[Ticket]:
        """What a batch would hand over: the cluster's tickets not closed yet."""
        return [t for t in self.tickets if t.status != TicketStatus.CLOSED]


def clusters(session: Session, period: Period, policy: Policy) -> list[Cluster]:
    """The repeat clusters with repeats in ``period`` and at least BATCH_MIN_CALLS calls, most called first."""
    t = Ticket
    repeated = dict(session.execute(
        select(t.repeat_of_id, func.count())
        .where(t.repeat_of_id.is_not(None), t.created_at >= instant(period.start), t.created_at < instant(period.end))
        .group_by(t.repeat_of_id)).all())  # ix_tickets_repeats_created
    if not repeated:
        return []
    roots = list(session.scalars(select(t).where(
        t.id.in_(repeated), t.repeat_count + 1 >= policy.batch_rules.min_calls)))
    if not roots:
        return []
    members: dict[int, list[Ticket]] = {root.id: [root] for root in roots}
    for ticket in session.scalars(select(t).where(t.repeat_of_id.in_(members)).order_by(t.created_at, t.id)):
        members[ticket.repeat_of_id].append(ticket)
    held = open_batches_of(session, [ticket.id for group in members.values() for ticket in group])
    found = [Cluster(root, members[root.id], repeated[root.id],
                     next((held[m.id] for m in members[root.id] if m.id in held), None)) for root in roots]
    found.sort(key=lambda c: (-len(c.tickets), c.root.created_at, c.root.id))
    return found


def open_batches_of(session: Session, ticket_ids: list[int]) -> dict[int, int]:
    """ticket id → the open batch holding it, for the given tickets."""
    if not ticket_ids:
        return {}
    return dict(session.execute(
        select(BatchTicket.ticket_id, BatchTicket.batch_id).join(Batch, Batch.id == BatchTicket.batch_id)
        .where(BatchTicket.ticket_id.in_(ticket_ids), Batch.status == BatchStatus.OPEN)).all())


def deadline_of(day: date, policy: Policy) -> datetime:
    """A batch due on ``day`` is due by the end of that day in the city."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=policy.tz)


def create(session: Session, department_code: str, numbers: list[str], due_day: date, note: str,
           actor: User, policy: Policy, now: datetime) -> Batch:
    """Hand the tickets to the unit as one batch due by the end of ``due_day``; each must be open, in no open batch."""
    department = directory.active_department(session, department_code)
    deadline = deadline_of(due_day, policy)
    if deadline <= now:
        raise InvalidInput("deadline_in_past", field="deadline", deadline=due_day.isoformat())
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not wanted:
        raise InvalidInput("required", field="tickets", name="tickets")
    tickets, missing = search.by_numbers(session, wanted)
    if missing:
        raise InvalidInput("unknown_ticket", field="tickets", value=missing[0])
    for ticket in tickets:
        if ticket.status == TicketStatus.CLOSED:
            raise InvalidTransition("batch_ticket_closed", number=ticket.number)
    held = open_batches_of(session, [t.id for t in tickets])
    for ticket in tickets:
        if ticket.id in held:
            raise InvalidTransition("ticket_in_open_batch", number=ticket.number, batch=held[ticket.id])
    batch = Batch(period=containing("monthly", now, policy.tz).label, department_id=department.id, deadline=deadline,
                  note=note, status=BatchStatus.OPEN, created_at=now, created_day=now.astimezone(policy.tz).date(),
                  created_by_id=actor.id)
    session.add(batch)
    session.flush()
    for ticket in tickets:
        workflow.hand_over_in_batch(session, ticket, department, batch.id, deadline, actor, policy, now)
        session.add(BatchTicket(batch_id=batch.id, ticket_id=ticket.id))
    session.flush()
    return batch


def listed(status: str | None = None, department_id: int | None = None) -> Select:
    """Batches (open, closed or all), newest first; a unit's own only with ``department_id``."""
    if status is not None and status not in STATUSES:
        raise InvalidInput("bad_choice", field="status", name="status", allowed=list(STATUSES))
    query = select(Batch).options(selectinload(Batch.department), selectinload(Batch.items).selectinload(
        BatchTicket.ticket))
    if status is not None:
        query = query.where(Batch.status == BatchStatus(status))
    if department_id is not None:
        query = query.where(Batch.department_id == department_id)
    return query.order_by(Batch.created_at.desc(), Batch.id.desc())


def find(session: Session, batch_id: int, department_id: int | None = None) -> Batch:
    """The batch, or a 404 (also for another unit's batch: a unit sees its own only)."""
    batch = session.get(Batch, batch_id) if 0 < batch_id < 2**31 else None
    if batch is None or (department_id is not None and batch.department_id != department_id):
        raise NotFound("batch_not_found", field="id", id=batch_id)
    return batch


def open_count(batch: Batch) -> int:
    """Tickets of the batch not closed yet."""
    return sum(1 for item in batch.items if item.ticket.status != TicketStatus.CLOSED)


def close(session: Session, batch: Batch, actor: User, now: datetime) -> Batch:
    """销号: close the batch, which needs every ticket in it closed."""
    if batch.status == BatchStatus.CLOSED:
        raise InvalidTransition("batch_already_closed", id=batch.id)
    remaining = open_count(batch)
    if remaining:
        raise InvalidTransition("batch_tickets_open", id=batch.id, count=remaining)
    if not claims.try_claim(session, batch):
        raise Conflict("batch_concurrent_change", id=batch.id, status=batch.status.value)
    batch.status, batch.closed_at, batch.closed_by_id = BatchStatus.CLOSED, now, actor.id
    session.flush()
    return batch
