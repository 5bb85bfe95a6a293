"""回头看 (re-visits of closed tickets), 集中交办 batches of repeat complaints, and per-channel rollups."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column
from .department import Department
from .rollup import RollupFigures
from .ticket import Channel, Ticket
from .user import User


class RevisitStatus(enum.StrEnum):
    """Where a re-visit is: waiting for the supervisor's call, or its verdict."""

    PENDING = "pending"
    HELD = "held"  # the fix held
    NOT_HELD = "not_held"  # it did not: the ticket went back to the unit that closed it


class Revisit(Base):
    """One sampled closed ticket to call again weeks later (回头看), and what the call found.

    ``period`` is the month the ticket was closed in: the sample is drawn per (ticket, period), so the
    same tickets are picked whatever day the daily job runs, and each closing is sampled at most once.
    """

    __tablename__ = "revisits"
    __table_args__ = (
        UniqueConstraint("ticket_id", "period", name="uq_revisits_ticket_period"),
        Index("ix_revisits_status_selected", "status", "selected_at"),  # the supervisor's list
        Index("ix_revisits_selected_day", "selected_day"),  # the month's report: sampled in the month
        Index("ix_revisits_recorded_day", "recorded_day"),  # ... and called in the month
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    period: Mapped[str] = mapped_column(String(16))  # the closing month, 2026-11
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # the unit that closed it
    closed_at: Mapped[datetime]  # the closing that was sampled
    selected_at: Mapped[datetime]
    selected_day: Mapped[date]  # ... as a day of the city's zone
    status: Mapped[RevisitStatus] = mapped_column(enum_column(RevisitStatus))
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[Optional[datetime]]
    recorded_day: Mapped[Optional[date]]
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    ticket: Mapped[Ticket] = relationship()
    department: Mapped[Department] = relationship()
    recorded_by: Mapped[Optional[User]] = relationship()


class BatchStatus(enum.StrEnum):
    """A batch is open until 销号, which needs every ticket in it closed."""

    OPEN = "open"
    CLOSED = "closed"


class Batch(Base):
    """集中交办: repeat complaints of a period handed to one unit together, with one deadline."""

    __tablename__ = "batches"
    __table_args__ = (
        Index("ix_batches_department_status", "department_id", "status"),  # a unit's own batches
        Index("ix_batches_created_day", "created_day"),  # the month's report
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16))  # the month whose repeat clusters were handed over
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    deadline: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus))
    created_at: Mapped[datetime]
    created_day: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[Optional[datetime]]
    closed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # one winner per change

    department: Mapped[Department] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[Optional[User]] = relationship(foreign_keys=[closed_by_id])
    items: Mapped[list[BatchTicket]] = relationship(back_populates="batch", order_by="BatchTicket.ticket_id")


class BatchTicket(Base):
    """One ticket of a batch (a ticket is in at most one open batch: the service checks)."""

    __tablename__ = "batch_tickets"

    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True, index=True)

    batch: Mapped[Batch] = relationship(back_populates="items")
    ticket: Mapped[Ticket] = relationship()


class ChannelRollup(RollupFigures, Base):
    """The summed figures of one reported channel's settled work orders first dispatched on one day.

    Written by the daily job in the same statement as ``report_rollups`` (the same work orders), so a
    channel's section of a report reads the period's rows plus its open work, never the history.
    """

    __tablename__ = "channel_rollups"

    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), primary_key=True)
