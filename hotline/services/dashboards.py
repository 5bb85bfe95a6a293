"""Each role's day at a glance (the top of its home page): one function per role, each a few bounded queries.

Every count reads an index range (today's tickets, the open ones, the queue), never the whole history;
the supervisor's month rates are the live monthly report (hotline.services.cycle.reports), which reads
only the month's work orders and callbacks (满意率 judges every callback so far this month).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from models import (
    Alert, Department, ExtensionRequest, ExtensionStatus, ReportKind, Ticket, TicketStatus, Urgency, User,
)

from . import callbacks
from .alerts import listed
from .cycle import periods, publishing
from .cycle.flags import flag_sql, instant
from .policy import Policy

S = TicketStatus
OPEN_AT_UNIT = (S.DISPATCHED, S.SIGNED)
OPEN = (S.PENDING_DISPATCH, S.DISPATCHED, S.SIGNED)
LISTED = 10  # tickets / units named in a dashboard's lists
# The dispatcher's queue by time waiting: (label, from, to) in hours.
QUEUE_AGES = (("1 小时内", 0, 1), ("1–4 小时", 1, 4), ("4–8 小时", 4, 8), ("8–24 小时", 8, 24), ("1 天以上", 24, None))
MONTH_RATES = (("sign_on_time", "签收及时率"), ("reply_on_time", "按时办结率"), ("callback", "回访率"),
               ("solved", "解决率"), ("satisfaction", "满意率"))


def start_of_day(policy: Policy, now: datetime) -> datetime:
    """Local midnight at the start of today."""
    return datetime.combine(now.astimezone(policy.tz).date(), time(0), tzinfo=policy.tz)


@dataclass
class OperatorDay:
    """话务员: the calls taken today, by hour, and the repeat complaints still open."""

    calls: int
    on_the_spot: int  # 即来即办
    by_hour: list[tuple[str, int]]
    open_repeats: int
    repeats: list[Ticket] = field(default_factory=list)


def operator_day(session: Session, user: User, policy: Policy, now: datetime) -> OperatorDay:
    """The operator's calls since midnight and the centre's open repeats of the repeat window."""
    start = start_of_day(policy, now)
    mine = list(session.execute(select(Ticket.created_at, Ticket.resolved_on_call).where(
        Ticket.created_at >= instant(start), Ticket.created_at <= instant(now), Ticket.created_by_id == user.id)))
    hours = [0] * 24
    for created, _ in mine:
        hours[created.astimezone(policy.tz).hour] += 1
    first = min([h for h, n in enumerate(hours) if n] + [8, now.astimezone(policy.tz).hour])
    last = max([h for h, n in enumerate(hours) if n] + [now.astimezone(policy.tz).hour])
    repeats = (select(Ticket).where(Ticket.repeat_of_id.is_not(None), Ticket.status.in_(OPEN),
                                    Ticket.created_at >= instant(now - timedelta(days=policy.repeat_rules.window_days))))
    count = session.scalar(select(func.count()).select_from(repeats.subquery())) or 0
    listed_repeats = list(session.scalars(repeats.options(selectinload(Ticket.department), selectinload(Ticket.repeat_of))
                                          .order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(LISTED)))
    return OperatorDay(len(mine), sum(1 for _, spot in mine if spot),
                       [(f"{h}时", hours[h]) for h in range(first, last + 1)], count, listed_repeats)


@dataclass
class DispatcherDay:
    """派单员: the manual queue by how long its tickets have waited."""

    waiting: int
    urgent: int
    returned: int
    oldest: datetime | None
    by_age: list[tuple[str, int]]


def dispatcher_day(session: Session, policy: Policy, now: datetime) -> DispatcherDay:
    """How many tickets wait, since when, and how they spread over the age buckets."""
    t = Ticket
    queued = t.status == S.PENDING_DISPATCH
    row = session.execute(select(func.count(), func.min(t.created_at),
                                 func.count().filter(t.urgency == Urgency.URGENT),
                                 func.count().filter(t.return_count > 0)).where(queued)).one()
    ages = []
    for label, low, high in QUEUE_AGES:
        clauses = [queued, t.created_at <= instant(now - timedelta(hours=low))]
        if high is not None:
            clauses.append(t.created_at > instant(now - timedelta(hours=high)))
        ages.append((label, session.scalar(select(func.count()).where(*clauses)) or 0))
    return DispatcherDay(row[0], row[2], row[3], row[1], ages)


@dataclass
class UnitDay:
    """承办单位: what is due today, what is late, the flags of its open tickets, the decisions it waits for."""

    due_today: int
    overdue: int
    flags: dict[str, int]
    pending_extensions: int
    due_list: list[Ticket] = field(default_factory=list)


def unit_day(session: Session, user: User, policy: Policy, now: datetime) -> UnitDay:
    """The unit's open work orders as of now (the index on unit, status and reply-by serves each count)."""
    if user.department_id is None:
        return UnitDay(0, 0, {}, 0)
    t = Ticket
    own_open = and_(t.department_id == user.department_id, t.status.in_(OPEN_AT_UNIT))
    end = callbacks.end_of_day(policy, now)
    due = and_(own_open, t.reply_by >= instant(now), t.reply_by < instant(end))
    late = and_(own_open, or_(t.reply_by < instant(now), and_(t.status == S.DISPATCHED, t.sign_by < instant(now))))
    flag = flag_sql(instant(now), policy.cycle_rules)
    # The due and late counts ride on the flags' pass over the unit's open work orders: one query, not three.
    per_flag = session.execute(select(flag, func.count(), func.count(case((due, 1))), func.count(case((late, 1))))
                               .where(own_open).group_by(flag)).all()
    flags = {value: n for value, n, _due, _late in per_flag if value}
    pending = session.scalar(select(func.count()).select_from(ExtensionRequest).join(
        Ticket, Ticket.id == ExtensionRequest.ticket_id).where(
        ExtensionRequest.department_id == user.department_id, ExtensionRequest.status == ExtensionStatus.PENDING))
    return UnitDay(sum(row[2] for row in per_flag), sum(row[3] for row in per_flag),
                   {name: flags.get(name, 0) for name in ("green", "yellow", "red", "black")}, pending or 0,
                   list(session.scalars(select(t).where(due).order_by(t.reply_by, t.id).limit(LISTED))))


@dataclass
class SupervisorDay:
    """回访员 / 督办: callbacks due today, the units with overdue tickets, open alerts, the month's rates so far."""

    callbacks_due: int
    overdue_units: list[tuple[str, int]]
    open_alerts: int
    alerts: list[Alert]
    month: str
    rates: dict[str, float | None]
    city: dict[str, Any] | None


def supervisor_day(session: Session, policy: Policy, now: datetime) -> SupervisorDay:
    """The day's callback list size, the units most overdue, the unacknowledged hot spots, the live month."""
    t = Ticket
    due = callbacks.due(before=callbacks.end_of_day(policy, now)).order_by(None)
    callbacks_due = session.scalar(select(func.count()).select_from(due.subquery())) or 0
    late = and_(t.status.in_(OPEN_AT_UNIT),
                or_(t.reply_by < instant(now), and_(t.status == S.DISPATCHED, t.sign_by < instant(now))))
    overdue_units = [(name, n) for name, n in session.execute(
        select(Department.name, func.count()).select_from(t).join(Department, Department.id == t.department_id)
        .where(late).group_by(Department.name).order_by(func.count().desc(), Department.name).limit(LISTED))]
    open_alerts = listed(open_only=True)
    alert_count = session.scalar(select(func.count()).select_from(open_alerts.subquery())) or 0
    month = periods.parse("monthly", now.astimezone(policy.tz).strftime("%Y-%m"), policy.tz)
    city = publishing.live(session, ReportKind.MONTHLY, month, policy, now)["city"]
    rates = {key: (city["rates"][key] if city else None) for key, _ in MONTH_RATES}
    return SupervisorDay(callbacks_due, overdue_units, alert_count, list(session.scalars(open_alerts.limit(5))),
                         month.label, rates, city)
