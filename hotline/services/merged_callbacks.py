"""A merged duplicate's caller is called back with the original (合并件回访).

A duplicate merged into the first ticket of its matter is closed at once, but its caller reported the same
problem: once the original is closed, the duplicate's caller appears in the callback list too, and what
they say is recorded on the duplicate (for the unit that handled the original's last round). An unhappy
duplicate caller does not reopen the original: the supervisor may open a new ticket or a case.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from models import Callback, EventAction, Satisfaction, Ticket, TicketEvent, TicketStatus, User

from . import workflow
from .errors import InvalidInput, InvalidTransition
from .policy import Policy

ACTION = EventAction.CALLED_BACK_WITH_ORIGINAL


def _merged() -> ColumnElement:
    """The condition: the ticket was closed by merging it into another."""
    return exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.action == EventAction.MERGED)


def due() -> Select:
    """Merged duplicates whose original is closed, and whose caller was neither reached nor given up on."""
    original = aliased(Ticket)
    reached = exists().where(Callback.ticket_id == Ticket.id, Callback.reached.is_(True))
    return (select(Ticket).options(selectinload(Ticket.repeat_of))
            .join(original, original.id == Ticket.repeat_of_id)
            .where(Ticket.status == TicketStatus.CLOSED, _merged(), original.status == TicketStatus.CLOSED,
                   ~reached, Ticket.callback_unreachable.is_(False))
            .order_by(original.closed_at, Ticket.id))


def list_due(session: Session) -> list[Ticket]:
    """Every merged caller to call back now, the original closed longest ago first."""
    return list(session.scalars(due()))


def record(
    session: Session, ticket: Ticket, actor: User, policy: Policy, now: datetime, *,
    reached: bool, solved: bool | None = None, satisfaction: Satisfaction | None = None, comment: str = "",
) -> Callback:
    """Record a callback to a merged duplicate's caller (the original must be closed); no status changes."""
    original = ticket.repeat_of
    merged = session.scalar(select(func.count()).where(TicketEvent.ticket_id == ticket.id,
                                                       TicketEvent.action == EventAction.MERGED))
    if not merged or original is None or original.status != TicketStatus.CLOSED or ticket.callback_unreachable:
        raise InvalidTransition("action_not_allowed", number=ticket.number, action=ACTION.value,
                                status=ticket.status.value)
    if reached and solved is None:
        raise InvalidInput("callback_solved_required", field="solved")
    if reached and satisfaction is None:
        raise InvalidInput("callback_satisfaction_required", field="satisfaction")
    earlier = list(session.scalars(select(Callback).where(Callback.ticket_id == ticket.id)))
    if any(c.reached for c in earlier):
        raise InvalidTransition("action_not_allowed", number=ticket.number, action=ACTION.value,
                                status=ticket.status.value)
    attempt = len(earlier) + 1
    callback = Callback(ticket_id=ticket.id, department_id=original.department_id, attempt=attempt, at=now,
                        actor_id=actor.id, reached=reached, solved=solved if reached else None,
                        satisfaction=satisfaction if reached else None, comment=comment)
    session.add(callback)
    data = {"original": original.number, "attempt": attempt, "reached": reached}
    if reached:
        ticket.solved, ticket.satisfaction = solved, satisfaction
        data.update(solved=solved, satisfaction=satisfaction.value)
    elif attempt >= policy.max_callback_attempts:
        ticket.callback_unreachable = True
        data["unreachable"] = True
    workflow.record(session, ticket, ACTION, actor, now, note=comment, data=data)
    return callback
