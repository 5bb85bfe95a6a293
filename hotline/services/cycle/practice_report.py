"""The monthly report's sections for 回头看, 集中交办 and the hosted channels (领导接听日, 企业家接待日).

Each reads only its period: re-visits by the day they were drawn or called, batches by the day they were
made (indexed days), and a channel's work orders from ``channel_rollups`` plus its open work, as the
units' lines read ``report_rollups`` (hotline.services.cycle.rollups). Definitions: docs/metrics.md.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from models import Batch, BatchStatus, BatchTicket, ChannelRollup, Department, Revisit, RevisitStatus, Ticket, WorkOrder

from ..errors import InvalidInput
from ..practice_rules import HOSTED_CHANNELS
from . import callback_rounds, figures
from .flags import DEFAULT_RULES, flag_sql, instant
from .periods import Period
from .rules import CycleRules

REVISIT_COUNTS = ("sampled", "called", "held", "not_held")
BATCH_COUNTS = ("batches", "tickets", "closed", "closed_on_time", "open", "open_overdue")


def _days(column, period: Period):
    """``column`` (a city-zone date) within ``period``."""
    return and_(column >= period.first_day, column < period.next_day)


def _rate(numerator: int, denominator: int) -> float | None:
    """A published rate, None when nothing was counted (as the units' lines say it)."""
    from .reports import published, rate  # the one rounding rule of every report

    return published(rate(numerator, denominator))


def _lines(session: Session, counts: dict[int, dict[str, int]], names: tuple[str, ...],
           department_id: int | None) -> list[dict[str, Any]]:
    """One line per unit with anything counted (only the reader's unit for a unit), by unit code."""
    if department_id is not None:
        counts = {unit: row for unit, row in counts.items() if unit == department_id}
    units = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(counts)))} if counts else {}
    lines = [{"department": {"code": units[unit].code, "name": units[unit].name},
              **{name: row.get(name, 0) for name in names}} for unit, row in counts.items()]
    return sorted(lines, key=lambda line: line["department"]["code"])


def revisits(session: Session, period: Period, department_id: int | None = None) -> dict[str, Any]:
    """Re-visits drawn and called in the period per unit (the unit that closed the ticket), and the held rate."""
    counts: dict[int, dict[str, int]] = {}
    r = Revisit
    for unit, n in session.execute(select(r.department_id, func.count()).where(_days(r.selected_day, period))
                                   .group_by(r.department_id)):
        counts.setdefault(unit, {})["sampled"] = n
    called = select(r.department_id, func.count(), func.count().filter(r.status == RevisitStatus.HELD)) \
        .where(_days(r.recorded_day, period)).group_by(r.department_id)
    for unit, n, held in session.execute(called):
        counts.setdefault(unit, {}).update(called=n, held=held, not_held=n - held)
    lines = _lines(session, counts, REVISIT_COUNTS, department_id)
    for line in lines:
        line["held_rate"] = _rate(line["held"], line["called"])
    body: dict[str, Any] = {"departments": lines, "city": None}
    if department_id is None:
        city = {name: sum(row.get(name, 0) for row in counts.values()) for name in REVISIT_COUNTS}
        body["city"] = {**city, "held_rate": _rate(city["held"], city["called"])}
    return body


def batches(session: Session, period: Period, as_of: datetime, department_id: int | None = None) -> dict[str, Any]:
    """Batches handed over in the period per unit: tickets, closed (on time: by the deadline), open and overdue."""
    b = Batch
    closed = and_(b.status == BatchStatus.CLOSED, b.closed_at <= instant(as_of))
    sizes = select(BatchTicket.batch_id, func.count().label("n")).group_by(BatchTicket.batch_id).subquery()
    rows = session.execute(
        select(b.department_id, func.count(), func.coalesce(func.sum(sizes.c.n), 0),
               func.count().filter(closed), func.count().filter(closed, b.closed_at <= b.deadline),
               func.count().filter(~closed), func.count().filter(~closed, b.deadline < instant(as_of)))
        .join(sizes, sizes.c.batch_id == b.id).where(_days(b.created_day, period)).group_by(b.department_id))
    counts = {row[0]: dict(zip(BATCH_COUNTS, map(int, row[1:]), strict=True)) for row in rows}
    lines = _lines(session, counts, BATCH_COUNTS, department_id)
    for line in lines:
        line["on_time_rate"] = _rate(line["closed_on_time"], line["batches"])
    body: dict[str, Any] = {"departments": lines, "city": None}
    if department_id is None:
        city = {name: sum(row[name] for row in counts.values()) for name in BATCH_COUNTS}
        body["city"] = {**city, "on_time_rate": _rate(city["closed_on_time"], city["batches"])}
    return body


def channel_counts(session: Session, period: Period, as_of: datetime,
                   rules: CycleRules = DEFAULT_RULES) -> dict[str, dict[str, int]]:
    """The counts of each hosted channel in ``period``: its rollup rows plus its open work orders, and the
    period's reached callbacks on its tickets (callback_rounds, the units' rule)."""
    totals = {channel.value: dict.fromkeys(figures.SUMMED, 0) for channel in HOSTED_CHANNELS}
    c = ChannelRollup
    summed = session.execute(
        select(c.channel, *(func.sum(getattr(c, name)).label(name) for name in figures.SUMMED))
        .where(_days(c.day, period)).group_by(c.channel))
    at = instant(as_of)
    columns = figures.counted(figures.work_order_conditions(flag_sql(at, rules), at))
    live = session.execute(
        select(Ticket.channel, *(expr.label(name) for name, expr in columns.items())).select_from(WorkOrder)
        .join(Ticket, Ticket.id == WorkOrder.ticket_id)
        .where(WorkOrder.rolled_up_at.is_(None), _days(WorkOrder.day, period), Ticket.channel.in_(HOSTED_CHANNELS))
        .group_by(Ticket.channel))
    for rows in (summed, live):
        for row in rows:
            for name in figures.SUMMED:
                totals[row.channel][name] += int(getattr(row, name) or 0)
    # A rolled-up ticket whose supervision case has since missed its deadline is black (rollups.corrections).
    t = Ticket
    flag = flag_sql(at, rules, supervision=False).label("flag")
    for channel, stored, n in session.execute(
            select(t.channel, flag, func.count()).select_from(WorkOrder).join(t, t.id == WorkOrder.ticket_id)
            .where(t.channel.in_(HOSTED_CHANNELS), t.supervision_black_at.is_not(None),
                   t.supervision_black_at >= instant(period.start), t.supervision_black_at < at,
                   WorkOrder.rolled_up_at.is_not(None), t.department_id == WorkOrder.department_id,
                   _days(WorkOrder.day, period))
            .group_by(t.channel, flag)):
        if stored is not None:
            totals[channel][f"flag_{stored}"] -= n
        totals[channel]["flag_black"] += n
    return figures.with_callbacks(totals, callback_rounds.counts(session, period, as_of, by="channel"))


def channels(session: Session, period: Period, as_of: datetime, weights: Mapping[str, float],
             rules: CycleRules = DEFAULT_RULES) -> list[dict[str, Any]]:
    """A section per hosted channel: calls received, then the units' figures on its tickets (a report line)."""
    from .reports import line  # the units' line, so a channel reads exactly like a unit

    received = dict(session.execute(
        select(Ticket.channel, func.count())
        .where(Ticket.channel.in_(HOSTED_CHANNELS), Ticket.created_at >= instant(period.start),
               Ticket.created_at < instant(period.end))
        .group_by(Ticket.channel)).all())  # ix_tickets_channel_created
    counts = channel_counts(session, period, as_of, rules)
    sections = []
    for channel in HOSTED_CHANNELS:
        body, _ = line(counts[channel.value], weights)
        sections.append({"channel": channel.value, "received": int(received.get(channel, 0)), **body})
    return sections


def only_channel(body: dict[str, Any], channel: str | None) -> dict[str, Any]:
    """A report with the section of one hosted channel only (?channel=); an unknown channel is a 400."""
    if channel is None:
        return body
    allowed = [c.value for c in HOSTED_CHANNELS]
    if channel not in allowed:
        raise InvalidInput("bad_choice", field="channel", name="channel", allowed=allowed)
    if body.get("channels") is not None:
        body["channels"] = [section for section in body["channels"] if section["channel"] == channel]
    return body


def sections(session: Session, period: Period, as_of: datetime, weights: Mapping[str, float],
             rules: CycleRules = DEFAULT_RULES, department_id: int | None = None) -> dict[str, Any]:
    """The three sections of a monthly report; a unit reads its own re-visit and batch lines, no channel section."""
    listed = channels(session, period, as_of, weights, rules) if department_id is None else None
    return {"revisits": revisits(session, period, department_id),
            "batches": batches(session, period, as_of, department_id), "channels": listed}
