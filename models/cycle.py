"""The supervision cycle's own tables: job runs, published report snapshots, supervision cases."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column
from .department import Department
from .ticket import Ticket
from .user import User


class JobRun(Base):
    """One run of a cycle job for one period; the unique (job, period) row makes every job run once."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "period", name="uq_job_runs_job_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(16))  # daily / monthly / quarterly / annual
    period: Mapped[str] = mapped_column(String(16))  # 2026-11-16 / 2026-11 / 2026Q4 / 2026
    started_at: Mapped[datetime]
    finished_at: Mapped[Optional[datetime]]
    host: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)


class ReportKind(enum.StrEnum):
    """Which published report a snapshot is."""

    MONTHLY = "monthly"  # 每月一通报
    ANNUAL = "annual"  # 每年一考核


class ReportSnapshot(Base):
    """A published report, frozen: later changes to tickets never alter it; re-publishing adds a revision."""

    __tablename__ = "report_snapshots"
    __table_args__ = (
        UniqueConstraint("kind", "period", "revision", name="uq_report_snapshots_kind_period_revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind))
    period: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int]
    as_of: Mapped[datetime]  # the instant the figures describe
    published_at: Mapped[datetime]
    published_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))  # None: the cycle job
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    published_by: Mapped[Optional[User]] = relationship()


class SupervisionReason(enum.StrEnum):
    """Why a supervision case (督办件) was opened."""

    REPEAT_COMPLAINT = "repeat_complaint"  # 反复投诉: three or more repeats in the quarter
    LONG_OVERDUE = "long_overdue"  # overdue by more than five working days
    UNSATISFIED_AFTER_REOPEN = "unsatisfied_after_reopen"  # 重办后仍不满意
    DIFFICULT = "difficult"  # 疑难工单


class SupervisionLevel(enum.StrEnum):
    """分级解决: who supervises the case."""

    DEPARTMENT_HEAD = "department_head"  # 部门负责人督办
    CITY_LEADER = "city_leader"  # 市领导督办


class SupervisionStatus(enum.StrEnum):
    """Open until closed (销号) with a written resolution."""

    OPEN = "open"
    CLOSED = "closed"


class SupervisionCase(Base):
    """A quarterly supervision case with its three lists (三单): problem, responsibility, rectification."""

    __tablename__ = "supervision_cases"
    __table_args__ = (
        UniqueConstraint("quarter", "ticket_id", name="uq_supervision_cases_quarter_ticket"),
        Index("ix_supervision_cases_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(6))  # 2026Q4
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))  # the responsible unit
    reasons: Mapped[list[str]] = mapped_column(JSON)
    level: Mapped[SupervisionLevel] = mapped_column(enum_column(SupervisionLevel))
    status: Mapped[SupervisionStatus] = mapped_column(enum_column(SupervisionStatus))
    problem: Mapped[str] = mapped_column(Text)  # 问题清单
    responsible_person: Mapped[str] = mapped_column(String(100), default="")  # 责任清单, with the unit
    rectification: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # 整改清单: [{action, deadline, done}]
    details: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)  # the evidence that opened it
    deadline: Mapped[datetime]
    opened_at: Mapped[datetime]
    opened_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))  # None: the quarterly job
    resolution: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[Optional[datetime]]
    closed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # one winner per change

    ticket: Mapped[Ticket] = relationship()
    department: Mapped[Optional[Department]] = relationship()
    opened_by: Mapped[Optional[User]] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[Optional[User]] = relationship(foreign_keys=[closed_by_id])
