"""The daily job's share of partition upkeep: the coming months of ``ticket_events`` exist before they start."""
from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from models import partitions

log = logging.getLogger(__name__)

MONTHS_AHEAD = 3  # a quarter of missed daily runs before an event would land in the default partition
# Attaching a month moves its rows out of the default partition under an exclusive lock, which any open
# reader of ticket_events holds off: wait this long, then leave the month to the next run.
LOCK_TIMEOUT = "3s"


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
            if not _create_month(session, month):
                log.warning("partition %s deferred: ticket_events is busy; the next daily run makes it", name)
                break  # a later month waits on the same default partition
            made.append(name)
        month = partitions.next_month(month)
    return made


def _create_month(session: Session, month: date) -> bool:
    """Make one month's partition, waiting at most LOCK_TIMEOUT for its locks; False (nothing done) if it timed out."""
    before = session.scalar(text("SHOW lock_timeout"))
    try:
        with session.begin_nested():
            session.execute(text("SELECT set_config('lock_timeout', :timeout, true)"), {"timeout": LOCK_TIMEOUT})
            for statement in partitions.create_month_sql(month):
                session.execute(text(statement))
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        return False
    finally:
        session.execute(text("SELECT set_config('lock_timeout', :timeout, true)"), {"timeout": before})
    return True
