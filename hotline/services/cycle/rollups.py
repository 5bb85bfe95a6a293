"""Per-unit, per-day sums of the settled work orders, so a period's figures read that period only.

A work order whose ticket is closed has final figures (figures.settled), so the daily job adds it,
once, to the row of its unit and day in ``report_rollups`` and stamps ``rolled_up_at``. A report then
sums the period's rows (units × days), counts the period's work orders not rolled up yet one by one
(the open work: ``ix_work_orders_live_day``), and turns black the flags of rolled-up tickets whose
supervision case has since missed its deadline. Only the daily job writes the rows, so no action on
a ticket waits for a shared counter row (docs/scale.md).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import ChannelRollup, ReportRollup, Ticket, WorkOrder

from ..practice_rules import HOSTED_CHANNELS

from . import figures
from .flags import DEFAULT_RULES, flag_sql, instant
from .periods import Period
from .rules import CycleRules


def _in(period: Period):
    """Work orders counted in ``period`` (by their first dispatch's day)."""
    return and_(WorkOrder.day >= period.first_day, WorkOrder.day < period.next_day)


def _zero() -> dict[str, int]:
    """A unit's counts before anything is added."""
    return dict.fromkeys(figures.SUMMED, 0)


def add_rows(totals: dict[int, dict[str, int]], rows: Iterable[Any]) -> None:
    """Add rows of (department_id, *SUMMED) into ``totals`` by unit."""
    for row in rows:
        counts = totals.setdefault(row.department_id, _zero())
        for name in figures.SUMMED:
            counts[name] += int(getattr(row, name) or 0)


def summed(session: Session, period: Period) -> Any:
    """The rollup rows of ``period``, summed per unit."""
    r = ReportRollup
    return session.execute(
        select(r.department_id, *(func.sum(getattr(r, name)).label(name) for name in figures.SUMMED))
        .where(r.day >= period.first_day, r.day < period.next_day).group_by(r.department_id))


def live(session: Session, period: Period, as_of: datetime, rules: CycleRules = DEFAULT_RULES) -> Any:
    """The period's work orders not rolled up yet, counted one by one as of ``as_of``, per unit."""
    at = instant(as_of)
    columns = figures.counted(figures.work_order_conditions(flag_sql(at, rules), at))
    return session.execute(
        select(WorkOrder.department_id, *(expr.label(name) for name, expr in columns.items()))
        .join(Ticket, Ticket.id == WorkOrder.ticket_id)
        .where(WorkOrder.rolled_up_at.is_(None), _in(period))
        .group_by(WorkOrder.department_id))


def corrections(session: Session, period: Period, as_of: datetime, rules: CycleRules = DEFAULT_RULES) -> Any:
    """(unit, stored flag, n) of rolled-up work orders of ``period`` whose supervision deadline passed by ``as_of``.

    Their deadline comes after their dispatch (figures.settled), so it lies in [period start, as_of).
    """
    flag = flag_sql(instant(as_of), rules, supervision=False).label("flag")
    t = Ticket
    return session.execute(
        select(WorkOrder.department_id, flag, func.count().label("n"))
        .join(t, t.id == WorkOrder.ticket_id)
        .where(t.supervision_black_at.is_not(None), t.supervision_black_at >= instant(period.start),
               t.supervision_black_at < instant(as_of), WorkOrder.rolled_up_at.is_not(None),
               t.department_id == WorkOrder.department_id, _in(period))
        .group_by(WorkOrder.department_id, flag))


def count_rows(session: Session, period: Period, as_of: datetime,
               rules: CycleRules = DEFAULT_RULES) -> dict[int, dict[str, int]]:
    """The counts of every unit with work orders in ``period``, judged at ``as_of``: rollups + open work."""
    totals: dict[int, dict[str, int]] = {}
    add_rows(totals, summed(session, period))
    add_rows(totals, live(session, period, as_of, rules))
    for unit, flag, n in corrections(session, period, as_of, rules):
        counts = totals.setdefault(unit, _zero())
        if flag is not None:
            counts[f"flag_{flag}"] -= n
        counts["flag_black"] += n
    return totals


def roll_up(session: Session, now: datetime, closed_since: datetime | None = None,
            rules: CycleRules = DEFAULT_RULES) -> int:
    """Add every work order that became settled to its unit's row of its day; returns how many rows changed.

    ``closed_since`` bounds the search to tickets closed since then (the daily job passes its last run,
    through ``ix_tickets_closed_at``); without it every open work order's ticket is looked at.
    """
    at = instant(now)
    settled = figures.settled()
    if closed_since is not None:
        settled = and_(settled, Ticket.closed_at >= instant(closed_since))
    # The stored flag leaves supervision out: a case can still come, and the reports add it (corrections).
    columns = figures.work_order_conditions(flag_sql(at, rules, supervision=False), at)
    w, r = WorkOrder, ReportRollup
    names = ["day", "department_id", *figures.SUMMED]
    if session.get_bind().dialect.name == "postgresql":
        # One statement, one snapshot: the rows stamped are exactly the rows summed, whatever commits meanwhile.
        stamped = (
            update(w).where(w.rolled_up_at.is_(None), w.ticket_id == Ticket.id, settled)
            .values(rolled_up_at=now)
            .returning(w.day, w.department_id, Ticket.channel,
                       *(case((condition, 1), else_=0).label(name) for name, condition in columns.items()))
            .cte("stamped")
        )
        rows = select(stamped.c.day, stamped.c.department_id,
                      *(func.sum(stamped.c[name]) for name in figures.SUMMED)
                      ).group_by(stamped.c.day, stamped.c.department_id)
        # The hosted channels' rows from the same stamped work orders, in the same statement.
        by_channel = _upsert(postgresql.insert(ChannelRollup).from_select(
            ["day", "channel", *figures.SUMMED],
            select(stamped.c.day, stamped.c.channel, *(func.sum(stamped.c[name]) for name in figures.SUMMED))
            .where(stamped.c.channel.in_(HOSTED_CHANNELS)).group_by(stamped.c.day, stamped.c.channel)),
            [ChannelRollup.day, ChannelRollup.channel]).returning(ChannelRollup.day).cte("by_channel")
        statement = postgresql.insert(r).from_select(names, rows).add_cte(stamped).add_cte(by_channel)
    else:
        # SQLite has one writer at a time, and this transaction already wrote: the two statements see the same rows.
        counts = figures.counted(columns)
        rows = (select(w.day, w.department_id, *counts.values()).join(Ticket, Ticket.id == w.ticket_id)
                .where(w.rolled_up_at.is_(None), settled).group_by(w.day, w.department_id))
        statement = sqlite.insert(r).from_select(names, rows)
        session.execute(_upsert(sqlite.insert(ChannelRollup).from_select(
            ["day", "channel", *figures.SUMMED],
            select(w.day, Ticket.channel, *counts.values()).join(Ticket, Ticket.id == w.ticket_id)
            .where(w.rolled_up_at.is_(None), settled, Ticket.channel.in_(HOSTED_CHANNELS))
            .group_by(w.day, Ticket.channel)), [ChannelRollup.day, ChannelRollup.channel]))
    statement = _upsert(statement, [r.day, r.department_id])
    changed = len(session.execute(statement.returning(r.day)).all())
    if session.get_bind().dialect.name != "postgresql":
        session.execute(update(w).where(w.rolled_up_at.is_(None), exists().where(
            Ticket.id == w.ticket_id, settled)).values(rolled_up_at=now)
            .execution_options(synchronize_session=False))
    return changed


def _upsert(statement, keys):
    """Add the counts to an existing row of the same keys instead of failing on it."""
    return statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: getattr(keys[0].class_, name) + getattr(statement.excluded, name) for name in figures.SUMMED})


def rebuild(session: Session, now: datetime) -> int:
    """Forget every rollup and add the settled work orders again (after a repair or a change of TIMEZONE)."""
    session.execute(delete(ReportRollup))
    session.execute(delete(ChannelRollup))
    session.execute(update(WorkOrder).where(WorkOrder.rolled_up_at.is_not(None)).values(rolled_up_at=None)
                    .execution_options(synchronize_session=False))
    return roll_up(session, now)
