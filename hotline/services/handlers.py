"""Handlers inside a unit: one person of the unit takes, or is given, a ticket; every change is an event."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import EventAction, HandlerTurn, Role, Ticket, TicketEvent, User

from . import workflow
from .errors import InvalidInput, InvalidTransition
from .grading import claim_action

# The inbox's handler views: the viewer's own tickets, or the unit's tickets no one has yet.
VIEWS = ("me", "none")


def active_handlers(session: Session, department_id: int) -> list[User]:
    """The unit's active users, in a fixed order (by id) so that round-robin is deterministic."""
    return list(session.scalars(select(User).where(
        User.department_id == department_id, User.role == Role.DEPARTMENT, User.active.is_(True)).order_by(User.id)))


def _turn(session: Session, department_id: int) -> HandlerTurn:
    """The unit's round-robin cursor, created on first use and locked until the transaction ends.

    Two round-robins of one unit at the same moment would otherwise both read the same last handler and
    give their tickets to the same next one. On PostgreSQL the loser waits on the row lock (FOR UPDATE) and
    then reads the winner's pick; on SQLite the insert below is a write, and writers are serialised.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(HandlerTurn).values(department_id=department_id, handler_id=None)
                    .on_conflict_do_nothing(index_elements=["department_id"]))
    return session.scalars(select(HandlerTurn).where(HandlerTurn.department_id == department_id).with_for_update()
                           .execution_options(populate_existing=True)).one()


def _next_in_turn(session: Session, ticket: Ticket, handlers: list[User]) -> User:
    """Round-robin: the handler after the one the unit's latest round-robin assignment went to (by id, wrapping)."""
    turn = _turn(session, ticket.department_id)
    last = turn.handler_id
    handler = next((h for h in handlers if last is not None and h.id > last), handlers[0])
    turn.handler_id = handler.id
    return handler


def assign_handler(
    session: Session, ticket: Ticket, actor: User, now: datetime, *, username: str | None = None,
    round_robin: bool = False,
) -> TicketEvent:
    """Take (one's own username), assign or reassign the ticket to one active handler of its unit, or the next in turn."""
    workflow.require_own_unit(ticket, actor)
    if (username is None) == (not round_robin):
        raise InvalidInput("handler_or_round_robin", field="username")
    claim_action(session, ticket, EventAction.HANDLER_ASSIGNED)
    handlers = active_handlers(session, ticket.department_id)
    if round_robin:
        if not handlers:
            raise InvalidTransition("no_active_handler", number=ticket.number, department=ticket.department.code)
        handler = _next_in_turn(session, ticket, handlers)
    else:
        handler = next((h for h in handlers if h.username == username), None)
        if handler is None:
            raise InvalidInput("handler_not_in_unit", field="username", username=username,
                               department=ticket.department.code)
    if handler.id == ticket.handler_id:
        raise InvalidTransition("handler_unchanged", number=ticket.number, username=handler.username)
    previous = ticket.handler
    ticket.handler = handler
    ticket.handler_id = handler.id
    return workflow.record(session, ticket, EventAction.HANDLER_ASSIGNED, actor, now, data={
        "handler": handler.username, "handler_id": handler.id, "round_robin": round_robin,
        "previous": previous.username if previous else None,
    })


def handler_filter(user: User, view: str | None) -> ColumnElement[bool] | None:
    """The WHERE clause of a handler view of the unit's inbox (None: every ticket); an unknown view is a 400."""
    if not view:
        return None
    if view not in VIEWS:
        raise InvalidInput("bad_choice", field="handler", name="handler", allowed=", ".join(VIEWS))
    if view == "me":
        return Ticket.handler_id == user.id
    # The unit's own tickets only: a co-handled ticket belongs to its lead unit's handlers.
    return (Ticket.department_id == user.department_id) & Ticket.handler_id.is_(None)
