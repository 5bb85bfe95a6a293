"""回访 lists: replied tickets awaiting their callback, and how many attempts went unanswered."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from models import Callback, Department, Ticket, TicketStatus

from .cycle.flags import instant
from .errors import InvalidTransition
from .policy import Policy


def end_of_day(policy: Policy, now: datetime) -> datetime:
    """Midnight at the end of today in the city (the day's callback list holds what is due by then)."""
    today = now.astimezone(policy.tz).date()
    return datetime.combine(today + timedelta(days=1), time(0), tzinfo=policy.tz)


def awaiting() -> Select:
    """Every replied ticket awaiting its callback, oldest reply first."""
    return select(Ticket).where(Ticket.status == TicketStatus.REPLIED).order_by(Ticket.replied_at, Ticket.id)


def due(*, before: datetime | None = None, department_code: str | None = None, number: str | None = None) -> Select:
    """Replied tickets awaiting their callback (due before `before`, if given), the most overdue first."""
    query = (select(Ticket).options(selectinload(Ticket.department))
             .where(Ticket.status == TicketStatus.REPLIED))
    if before is not None:
        query = query.where(or_(Ticket.callback_due_at.is_(None), Ticket.callback_due_at < instant(before)))
    if department_code:
        query = query.where(Ticket.department_id == select(Department.id).where(Department.code == department_code)
                            .scalar_subquery())
    if number:
        query = query.where(Ticket.number == number)
    return query.order_by(func.coalesce(Ticket.callback_due_at, Ticket.replied_at), Ticket.id)


def unreached_counts(session: Session, ticket_ids: list[int]) -> dict[int, int]:
    """Unanswered attempts since each ticket's latest reply (absent: none), in one query."""
    if not ticket_ids:
        return {}
    rows = session.execute(
        select(Callback.ticket_id, func.count())
        .join(Ticket, Ticket.id == Callback.ticket_id)
        .where(Callback.ticket_id.in_(ticket_ids), Callback.reached.is_(False), Callback.at >= Ticket.replied_at)
        .group_by(Callback.ticket_id)
    )
    return {ticket_id: count for ticket_id, count in rows}


def last_unreached_at(session: Session, ticket: Ticket) -> datetime | None:
    """When the latest unanswered attempt since the ticket's latest reply was made, if any."""
    return session.scalar(select(func.max(Callback.at)).where(
        Callback.ticket_id == ticket.id, Callback.reached.is_(False), Callback.at >= ticket.replied_at))


def check_retry_interval(session: Session, ticket: Ticket, policy: Policy, now: datetime) -> None:
    """Unreached attempts at least CALLBACK_RETRY_HOURS apart: three quick rings must not make a caller 无法联系."""
    last = last_unreached_at(session, ticket)
    if last is None:
        return
    next_at = last + timedelta(hours=policy.callback_retry_hours)
    if now < next_at:
        tz = policy.tz
        raise InvalidTransition("callback_too_soon", field="reached", number=ticket.number,
                                last=last.astimezone(tz).isoformat(timespec="minutes"),
                                next_at=next_at.astimezone(tz).isoformat(timespec="minutes"),
                                hours=f"{policy.callback_retry_hours:g}")
