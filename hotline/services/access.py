"""Who may see which ticket: a department user its own unit's and those it co-handles, everyone else all of them."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from models import Role, Ticket, TicketCoUnit, User

from .errors import NotFound


def visible_to(user: User) -> ColumnElement[bool]:
    """The WHERE clause limiting tickets to what `user` may see."""
    if user.role != Role.DEPARTMENT:
        return true()
    # `== None` would be IS NULL, i.e. the unassigned queue: a unit user without a unit sees nothing.
    if not user.department_id:
        return false()
    # A co-handling unit (协办) of a grade C ticket sees it too (hotline.services.grading).
    co_handled = select(TicketCoUnit.ticket_id).where(TicketCoUnit.department_id == user.department_id)
    return or_(Ticket.department_id == user.department_id, Ticket.id.in_(co_handled))


def visible_ticket(session: Session, number: str, user: User) -> Ticket:
    """The ticket with this number if `user` may see it; otherwise, as if it did not exist, a 404."""
    ticket = session.scalar(select(Ticket).where(Ticket.number == number, visible_to(user)))
    if ticket is None:
        raise NotFound("ticket_not_found", field="number", number=number)
    return ticket
