"""Who may see which ticket: a department user only its own unit's, everyone else all of them."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from models import Role, Ticket, User

from .errors import NotFound


def visible_to(user: User) -> ColumnElement[bool]:
    """The WHERE clause limiting tickets to what `user` may see."""
    if user.role != Role.DEPARTMENT:
        return true()
    # `== None` would be IS NULL, i.e. the unassigned queue: a unit user without a unit sees nothing.
    return Ticket.department_id == user.department_id if user.department_id else false()


def identity_visible(user: User) -> ColumnElement[bool]:
    """The tickets whose caller `user` may find by name or phone: a unit never a confidential caller (保密)."""
    if user.role != Role.DEPARTMENT:
        return true()
    # The confidential flag comes with the 保密 work; until it is on the model, no caller is confidential.
    confidential = getattr(Ticket, "confidential", None)
    return true() if confidential is None else confidential.is_not(True)


def visible_ticket(session: Session, number: str, user: User) -> Ticket:
    """The ticket with this number if `user` may see it; otherwise, as if it did not exist, a 404."""
    ticket = session.scalar(select(Ticket).where(Ticket.number == number, visible_to(user)))
    if ticket is None:
        raise NotFound("ticket_not_found", field="number", number=number)
    return ticket
