"""挂起 (pausing the clock) and 申诉/核减 (a unit's appeal against an item counted against it)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column
from .department import Department
from .ticket import Ticket
from .user import User


class PauseReason(enum.StrEnum):
    """Why a unit waits (the list; the note says the rest)."""

    WAITING_CITIZEN = "waiting_citizen"  # 等待市民补充材料或配合
    WAITING_THIRD_PARTY = "waiting_third_party"  # 等待第三方（企业、其他单位）答复
    LEGAL_PROCEDURE = "legal_procedure"  # 法定程序（鉴定、检测、公示）进行中
    OTHER = "other"


class PauseStatus(enum.StrEnum):
    """A pause request's state: asked, running (approved), refused, or over (resumed)."""

    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    ENDED = "ended"


class TicketPause(Base):
    """One request to pause a ticket's clock, and, once approved, the pause itself."""

    __tablename__ = "ticket_pauses"
    __table_args__ = (
        # The pauses a month's report counts: by the moment they began (a period's rows only).
        Index("ix_ticket_pauses_started_at", "started_at"),
        # The daily job's automatic resumes: only the running pauses.
        Index("ix_ticket_pauses_status_until", "status", "until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    reason: Mapped[PauseReason] = mapped_column(enum_column(PauseReason))
    note: Mapped[str] = mapped_column(Text, default="")
    working_days: Mapped[int]
    status: Mapped[PauseStatus] = mapped_column(enum_column(PauseStatus))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[Optional[datetime]]  # approved: the clock stops here
    until: Mapped[Optional[datetime]]  # ... and restarts here at the latest (the approved working days)
    resumed_at: Mapped[Optional[datetime]]
    resumed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))  # None: the daily job
    paused_minutes: Mapped[Optional[int]]  # working minutes the deadlines moved by

    ticket: Mapped[Ticket] = relationship()
    department: Mapped[Department] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])


class CountAppealItem(enum.StrEnum):
    """What a unit may appeal against (核减): an item counted against it in a month's report."""

    LATE_REPLY = "late_reply"  # 超期办结
    UNSATISFIED = "unsatisfied"  # 回访不满意
    RETURNED = "returned"  # 退单


class CountAppealStatus(enum.StrEnum):
    """A count appeal's state."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CountAppeal(Base):
    """申诉/核减: a unit's request to exclude one item of one work order from a published month."""

    __tablename__ = "count_appeals"
    __table_args__ = (Index("ix_count_appeals_period_status", "period", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))  # a month, e.g. 2026-11
    item: Mapped[CountAppealItem] = mapped_column(enum_column(CountAppealItem))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[CountAppealStatus] = mapped_column(enum_column(CountAppealStatus))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime]
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # The counts taken off the unit's line when accepted, e.g. {"due_to_reply": 1}.
    excluded: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    revision: Mapped[Optional[int]]  # the report revision the acceptance published

    ticket: Mapped[Ticket] = relationship()
    department: Mapped[Department] = relationship()
