"""What the period reports read instead of history: work orders (ticket × unit) and per-unit, per-day sums."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .department import Department
from .ticket import Ticket


class WorkOrder(Base):
    """One ticket's handling by one unit, from its first dispatch there (docs/metrics.md §4).

    The workflow writes it in the same transaction as the event it summarises: the first ROUTED or
    ASSIGNED event to the unit creates it, RETURNED / SIGNED / REPLIED events of the unit set its
    flags, so a report never looks for those events in the whole history. ``rolled_up_at`` is set
    when the daily job adds the work order (its ticket closed, its figures final) to ``report_rollups``.
    """

    __tablename__ = "work_orders"
    __table_args__ = (
        # The work orders a report must still count one by one: only the open work, never the history.
        Index("ix_work_orders_live_day", "day", postgresql_where=text("rolled_up_at IS NULL"),
              sqlite_where=text("rolled_up_at IS NULL")),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    dispatched_at: Mapped[datetime]  # the first dispatch of the ticket to the unit
    day: Mapped[date]  # ... as a day of the city's zone: the period the work order counts in
    returned: Mapped[bool] = mapped_column(default=False)  # a RETURNED event by the unit
    # SIGNED / REPLIED events of the unit that recorded their deadline, and whether any was late.
    signed_round: Mapped[bool] = mapped_column(default=False)
    signed_late: Mapped[bool] = mapped_column(default=False)
    replied_round: Mapped[bool] = mapped_column(default=False)
    replied_late: Mapped[bool] = mapped_column(default=False)
    rolled_up_at: Mapped[Optional[datetime]]

    ticket: Mapped[Ticket] = relationship()
    department: Mapped[Department] = relationship()


class RollupFigures:
    """The summed figures of settled work orders (docs/metrics.md §4), kept per day by unit and by channel.

    Not the callback counts: every reached callback counts in its own month (cycle/callback_rounds.py).
    """

    assigned: Mapped[int] = mapped_column(default=0)
    returned: Mapped[int] = mapped_column(default=0)
    repeat_complaints: Mapped[int] = mapped_column(default=0)
    handled: Mapped[int] = mapped_column(default=0)
    due_to_sign: Mapped[int] = mapped_column(default=0)
    signed_on_time: Mapped[int] = mapped_column(default=0)
    due_to_reply: Mapped[int] = mapped_column(default=0)
    replied_on_time: Mapped[int] = mapped_column(default=0)
    replied: Mapped[int] = mapped_column(default=0)
    called_back: Mapped[int] = mapped_column(default=0)
    unreachable: Mapped[int] = mapped_column(default=0)
    reopened: Mapped[int] = mapped_column(default=0)
    flag_green: Mapped[int] = mapped_column(default=0)
    flag_yellow: Mapped[int] = mapped_column(default=0)
    flag_red: Mapped[int] = mapped_column(default=0)
    flag_black: Mapped[int] = mapped_column(default=0)


class ReportRollup(RollupFigures, Base):
    """The summed figures of one unit's settled work orders first dispatched on one day (city zone)."""

    __tablename__ = "report_rollups"

    day: Mapped[date] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
