"""The monthly report's 分级 section: the tickets received in the period, counted by their ABCD grade."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Ticket, TicketGrade

from .flags import instant
from .periods import Period


def grade_counts(session: Session, period: Period) -> dict[str, Any]:
    """{"A": n, "B": n, "C": n, "D": n, "total": n}: tickets created in the period, by grade (docs/metrics.md §4)."""
    rows = dict(session.execute(
        select(Ticket.grade, func.count())
        .where(Ticket.created_at >= instant(period.start), Ticket.created_at < instant(period.end))
        .group_by(Ticket.grade)).all())
    counts: dict[str, Any] = {grade.value: int(rows.get(grade, 0)) for grade in TicketGrade}
    counts["total"] = sum(counts.values())
    return counts
