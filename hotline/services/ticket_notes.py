"""Internal notes between the centre and the units on a ticket, and the 催办 the daily job recorded on it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import EventAction, Role, Ticket, TicketEvent, TicketNote, TicketStatus, User

from .errors import InvalidInput, InvalidTransition

MAX_NOTE_CHARS = 2000


def add_note(session: Session, ticket: Ticket, body: str, actor: User, now: datetime) -> TicketNote:
    """Write an internal note on an unclosed ticket the actor may see (the caller checked that)."""
    text = body.strip()
    if not text:
        raise InvalidInput("required", field="body", name="body")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput("too_long", field="body", name="body", limit=MAX_NOTE_CHARS)
    if ticket.status == TicketStatus.CLOSED:
        raise InvalidTransition("notes_closed", number=ticket.number)
    note = TicketNote(ticket_id=ticket.id, at=now, author_id=actor.id, body=text,
                      department_id=actor.department_id if actor.role == Role.DEPARTMENT else None)
    session.add(note)
    session.flush()
    return note


def notes(session: Session, ticket: Ticket) -> list[TicketNote]:
    """The ticket's notes, oldest first, with their authors."""
    return list(session.scalars(
        select(TicketNote).where(TicketNote.ticket_id == ticket.id)
        .options(selectinload(TicketNote.author), selectinload(TicketNote.department))
        .order_by(TicketNote.at, TicketNote.id)))


def urges(ticket: Ticket) -> list[TicketEvent]:
    """催办: the ESCALATED events the daily job wrote for each missed deadline, oldest first."""
    return [e for e in ticket.events if e.action == EventAction.ESCALATED]


@dataclass(frozen=True)
class Conversation:
    """What the centre and the unit said on a ticket: the notes, and the 催办 of the daily job."""

    notes: list[TicketNote]
    urges: list[TicketEvent]


def conversation(session: Session, ticket: Ticket) -> Conversation:
    """The ticket's notes and 催办, each oldest first."""
    return Conversation(notes(session, ticket), urges(ticket))


@dataclass(frozen=True)
class Markers:
    """What a unit's inbox row shows of a ticket's conversation: how many 催办 and notes it has."""

    urges: int = 0
    notes: int = 0


def markers(session: Session, ticket_ids: list[int], department_id: int | None) -> dict[int, Markers]:
    """Per ticket of an inbox page: the 催办 addressed to this unit and all notes (two grouped queries)."""
    if not ticket_ids:
        return {}
    urged = dict(session.execute(
        select(TicketEvent.ticket_id, func.count()).where(
            TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.action == EventAction.ESCALATED,
            TicketEvent.department_id == department_id).group_by(TicketEvent.ticket_id)).all())
    noted = dict(session.execute(
        select(TicketNote.ticket_id, func.count()).where(TicketNote.ticket_id.in_(ticket_ids))
        .group_by(TicketNote.ticket_id)).all())
    return {tid: Markers(urged.get(tid, 0), noted.get(tid, 0)) for tid in ticket_ids if tid in urged or tid in noted}
