"""Who may see which ticket: a department user its own unit's and those it co-handles, everyone else all of them."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import NullType
from sqlalchemy.ext.compiler import compiles
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
    return or_(Ticket.department_id == user.department_id, CoHandled(co_handled))


class CoHandled(ColumnElement[bool]):
    """``tickets.id`` among the co-handled ids; on PostgreSQL ``= ANY(ARRAY(...))``, which an index can serve.

    ``id IN (subquery)`` inside an OR is a hashed subplan PostgreSQL cannot use an index for, so every unit's
    inbox would read the whole table; the array is computed once and ORed with the unit's index scan.
    """

    # The ids' query is part of the statement's cache key (its unit a bound value): a statement with it is
    # compiled once, not on every request (without this SQLAlchemy cached nothing of an inbox page's list).
    _traverse_internals = [("ids", InternalTraversal.dp_clauseelement)]
    inherit_cache = True
    type = NullType()  # a condition already: no "= 1" on SQLite (its booleans are integers)

    def __init__(self, ids: Select) -> None:
        self.ids = ids


@compiles(CoHandled)
def _co_handled(element: CoHandled, compiler, **kw) -> str:
    """``tickets.id IN (...)``: SQLite and the rest."""
    return f"{compiler.process(Ticket.__table__.c.id, **kw)} IN ({compiler.process(element.ids, **kw)})"


@compiles(CoHandled, "postgresql")
def _co_handled_pg(element: CoHandled, compiler, **kw) -> str:
    """``tickets.id = ANY(ARRAY(...))``: an InitPlan, then an index condition on the primary key."""
    return f"{compiler.process(Ticket.__table__.c.id, **kw)} = ANY(ARRAY({compiler.process(element.ids, **kw)}))"


def visible_branches(user: User, *where: ColumnElement[bool]) -> list[tuple[ColumnElement[bool], ...]]:
    """The tickets `user` may see that match `where`, as the conditions of disjoint sets, each bounded by an index.

    A unit's are its own tickets and those it co-handles: read apart, each is an index range in a list's order,
    where their OR (visible_to) is one bitmap of every ticket the unit ever had, to be sorted.
    """
    if user.role != Role.DEPARTMENT or not user.department_id:
        return [(visible_to(user), *where)]
    unit = user.department_id
    co_handled = select(TicketCoUnit.ticket_id).where(TicketCoUnit.department_id == unit)
    return [(Ticket.department_id == unit, *where),
            (CoHandled(co_handled), or_(Ticket.department_id != unit, Ticket.department_id.is_(None)), *where)]


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
