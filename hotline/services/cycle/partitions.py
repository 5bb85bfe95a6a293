"""The daily job's share of partition upkeep: the coming months of ``ticket_events`` exist before they start."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from models import partitions

MONTHS_AHEAD = 3  # a quarter of missed daily runs before an event would land in the default partition


def ensure_ahead(session: Session, now: datetime, months: int = MONTHS_AHEAD) -> list[str]:
    """Create this month's and the next ``months`` months' partitions where missing; returns the ones made."""
    first = partitions.month_start(now.astimezone(UTC).date())
    last = first
    for _ in range(months):
        last = partitions.next_month(last)
    return ensure_months(session, first, last)


def ensure_months(session: Session, first: date, last: date) -> list[str]:
    """Create the partitions of the UTC months from ``first`` to ``last`` (included) where missing."""
    if session.get_bind().dialect.name != "postgresql":
        return []  # SQLite keeps one plain table
    existing = set(session.scalars(text(partitions.EXISTING_SQL)))
    if not existing:
        return []  # not partitioned (a database migrated without 0010's partitioning)
    made, month = [], partitions.month_start(first)
    while month <= last:
        name = partitions.partition_name(month)
        if name not in existing:
            for statement in partitions.create_month_sql(month):
                session.execute(text(statement))
            made.append(name)
        month = partitions.next_month(month)
    return made
