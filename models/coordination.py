"""分级解决 and the work inside a ticket: its grade, the co-handling units of a grade C ticket, internal notes."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .department import Department
from .user import User


class TicketGrade(enum.StrEnum):
    """ABCD 分级: A answered on the spot, B one unit, C several units coordinated, D a city leader decides."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class TicketCoUnit(Base):
    """A co-handling unit (协办) of a grade C ticket: it sees the ticket and replies its part; the lead unit closes."""

    __tablename__ = "ticket_co_units"
    __table_args__ = (
        UniqueConstraint("ticket_id", "department_id", name="uq_ticket_co_units_ticket_department"),
        # A unit's inbox finds the tickets it co-handles by its own id.
        Index("ix_ticket_co_units_department", "department_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    added_at: Mapped[datetime]
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[Optional[datetime]]
    replied_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    department: Mapped[Department] = relationship()
    replied_by: Mapped[Optional[User]] = relationship()


class TicketNote(Base):
    """An internal note on a ticket between the centre and the units (never shown to the citizen)."""

    __tablename__ = "ticket_notes"
    __table_args__ = (Index("ix_ticket_notes_ticket_at", "ticket_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    at: Mapped[datetime]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The author's unit, or None for the centre's staff: says which side of the conversation wrote it.
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[User] = relationship()
    department: Mapped[Optional[Department]] = relationship()


class HandlerTurn(Base):
    """A unit's round-robin cursor: whom its latest round-robin assignment went to.

    The row is locked while the next handler is picked, so simultaneous round-robins of one unit take turns.
    """

    __tablename__ = "handler_turns"

    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    handler_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
