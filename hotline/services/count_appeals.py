"""申诉/核减: a unit appeals an item counted against it in a published month; a supervisor decides.

An item is one work order's late reply or return, in the month the work order counts in, or one
unsatisfied callback of the unit, in the month it was made. The appeal is open for COUNT_APPEAL_WINDOW_DAYS after the month's first publication. An
accepted appeal takes the item's counts off the unit's line: the published report gets a new revision
(the earlier ones stay readable) and the live figures leave it out too (cycle/practice_figures.py).
Every filing and decision is an event on the ticket.
"""
from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from models import (
    Callback,
    CountAppeal,
    CountAppealItem,
    CountAppealStatus,
    Department,
    EventAction,
    ReportKind,
    Role,
    Satisfaction,
    Ticket,
    User,
    WorkOrder,
)

from . import workflow
from .cycle import figures, periods, reports, snapshots
from .cycle.flags import flag_sql, instant
from .errors import InvalidInput, InvalidTransition, NotFound
from .policy import Policy

I = CountAppealItem
LIVE = (CountAppealStatus.PENDING, CountAppealStatus.ACCEPTED)  # an item is appealed once (a rejection may be re-filed)


def counted_items(session: Session, ticket_id: int, department_id: int, period: periods.Period, policy: Policy,
                  now: datetime) -> dict[CountAppealItem, dict[str, int]]:
    """What each item takes off the unit's counts of ``period``, for the items that count against it now.

    A late reply and a return are the work order's, in the month of its first dispatch; an unsatisfied
    callback is one reached callback of the unit, in the month it was made (every round counts on its own,
    docs/metrics.md §4): the latest of that month, if several.
    """
    at = instant(now)
    items: dict[CountAppealItem, dict[str, int]] = {}
    conditions = figures.work_order_conditions(flag_sql(at, policy.cycle_rules), at)
    row = session.execute(
        select(*(case((conditions[name], 1), else_=0).label(name)
                 for name in ("due_to_reply", "replied_on_time", "returned")))
        .select_from(WorkOrder).join(Ticket, Ticket.id == WorkOrder.ticket_id)
        .where(WorkOrder.ticket_id == ticket_id, WorkOrder.department_id == department_id,
               WorkOrder.day >= period.first_day, WorkOrder.day < period.next_day)).one_or_none()
    if row is not None:
        if row.due_to_reply and not row.replied_on_time:
            items[I.LATE_REPLY] = {"due_to_reply": 1}  # no longer due: the overdue count drops by one
        if row.returned:
            items[I.RETURNED] = {"returned": 1}
    c = Callback
    callback = session.execute(
        select(c.solved).where(c.ticket_id == ticket_id, c.department_id == department_id, c.reached.is_(True),
                               c.satisfaction == Satisfaction.UNSATISFIED, c.at >= instant(period.start),
                               c.at < instant(min(period.end, now)))
        .order_by(c.at.desc(), c.id.desc()).limit(1)).first()
    if callback is not None:
        # The judgement is excluded, the call stays made: out of reached (and solved), not out of called back.
        items[I.UNSATISFIED] = {"unsatisfied": 1, "reached": 1, **({"solved": 1} if callback.solved else {})}
    return items


def _window(session: Session, label: str, policy: Policy, now: datetime) -> None:
    """A 409 unless the month is published and its appeal window is still open."""
    published = snapshots.revisions(session, ReportKind.MONTHLY, label)
    if not published:
        raise InvalidTransition("report_not_published", period=label)
    closes = published[0].published_at + timedelta(days=policy.practice_rules.appeal_window_days)
    if now > closes:
        raise InvalidTransition("appeal_window_closed", period=label,
                                closed=closes.astimezone(policy.tz).isoformat(timespec="minutes"))


def file_appeal(session: Session, number: str, label: str, item: CountAppealItem, reason: str, actor: User,
                policy: Policy, now: datetime) -> CountAppeal:
    """A unit appeals one item of one of its work orders in a published month."""
    if not reason.strip():
        raise InvalidInput("required", field="reason", name="reason")
    period = periods.parse("monthly", label, policy.tz)
    ticket = session.scalar(select(Ticket).where(Ticket.number == number))
    unit = actor.department_id
    work = session.get(WorkOrder, (ticket.id, unit)) if ticket is not None and unit is not None else None
    if work is None:  # another unit's ticket looks like no ticket at all
        raise NotFound("ticket_not_found", field="ticket", number=number)
    in_period = period.first_day <= work.day < period.next_day
    if not in_period and item != I.UNSATISFIED:  # an unsatisfied callback counts in its own month
        raise InvalidInput("not_counted_in_period", field="period", number=number, period=period.label)
    _window(session, period.label, policy, now)
    if item not in counted_items(session, ticket.id, unit, period, policy, now):
        if not in_period:
            raise InvalidInput("not_counted_in_period", field="period", number=number, period=period.label)
        raise InvalidInput("item_not_counted", field="item", number=number, item=item.value)
    already = session.scalar(select(CountAppeal.id).where(
        CountAppeal.ticket_id == ticket.id, CountAppeal.department_id == unit, CountAppeal.period == period.label,
        CountAppeal.item == item, CountAppeal.status.in_(LIVE)))
    if already is not None:
        raise InvalidTransition("count_appeal_exists", number=number, item=item.value, id=already)
    appeal = CountAppeal(ticket=ticket, department_id=unit, period=period.label, item=item, reason=reason.strip(),
                         status=CountAppealStatus.PENDING, filed_by_id=actor.id, filed_at=now)
    session.add(appeal)
    session.flush()
    workflow.record(session, ticket, EventAction.COUNT_APPEAL_FILED, actor, now, note=reason.strip(),
                    data={"appeal": appeal.id, "period": period.label, "item": item.value})
    return appeal


def get(session: Session, appeal_id: int, actor: User) -> CountAppeal:
    """One appeal; a unit sees only its own (another's is a 404)."""
    appeal = session.get(CountAppeal, appeal_id) if 0 < appeal_id < 2**31 else None
    if appeal is None or (actor.role == Role.DEPARTMENT and appeal.department_id != actor.department_id):
        raise NotFound("record_not_found", field="id", kind="count_appeal", id=appeal_id)
    return appeal


def decide(session: Session, appeal_id: int, accept: bool, actor: User, policy: Policy, now: datetime,
           note: str = "") -> CountAppeal:
    """A supervisor accepts (the item leaves the unit's line in a new revision of the month) or rejects."""
    appeal = get(session, appeal_id, actor)
    if appeal.status != CountAppealStatus.PENDING:
        raise InvalidTransition("count_appeal_decided", id=appeal.id, status=appeal.status.value)
    action = EventAction.COUNT_APPEAL_ACCEPTED if accept else EventAction.COUNT_APPEAL_REJECTED
    # The ticket is claimed first: of two supervisors deciding at once, one gets a 409.
    workflow.take(session, appeal.ticket)
    appeal.decided_by_id, appeal.decided_at, appeal.decision_note = actor.id, now, note
    data: dict[str, Any] = {"appeal": appeal.id, "period": appeal.period, "item": appeal.item.value}
    if accept:
        appeal.status = CountAppealStatus.ACCEPTED
        period = periods.parse("monthly", appeal.period, policy.tz)
        appeal.excluded = counted_items(session, appeal.ticket_id, appeal.department_id, period, policy,
                                        now).get(appeal.item, {})
        appeal.revision = _publish_revision(session, appeal, ReportKind.MONTHLY, appeal.period, actor, policy, now)
        data.update(excluded=appeal.excluded, revision=appeal.revision)
        # The year's assessment counts the month's items too: once published, it gets a new revision as well.
        annual = _publish_revision(session, appeal, ReportKind.ANNUAL, appeal.period[:4], actor, policy, now)
        if annual is not None:
            data["annual_revision"] = annual
    else:
        appeal.status = CountAppealStatus.REJECTED
    workflow.record(session, appeal.ticket, action, actor, now, note=note, data=data)
    return appeal


def _publish_revision(session: Session, appeal: CountAppeal, kind: ReportKind, label: str, actor: User,
                      policy: Policy, now: datetime) -> int | None:
    """The report's latest revision with the item taken off, published as the next revision (None: not published)."""
    latest = snapshots.find(session, kind, label)
    if latest is None:
        return None
    body = copy.deepcopy(latest.data)
    code = session.get(Department, appeal.department_id).code
    revise(body, {code: appeal.excluded or {}}, policy.cycle_rules.assessment_weights)
    body.setdefault("count_appeals", []).append(appeal_line(appeal, policy.tz))
    note = f"核减 #{appeal.id}: {appeal.item.value} of {appeal.ticket.number} ({code})"
    try:
        with session.begin_nested():
            snapshot = snapshots.publish(session, kind, label, body, latest.as_of, actor, now, note)
    except IntegrityError:
        raise InvalidTransition("publish_conflict", period=label) from None
    return snapshot.revision


def _counts_of(line: dict[str, Any]) -> dict[str, int]:
    """A report line's raw counts again (the inverse of reports.line)."""
    counts = {name: int(line.get(name, 0)) for name in figures.COUNTS if name != "overdue"}
    counts.update({f"flag_{value}": int(line["flags"].get(value, 0)) for value in figures.FLAGS})
    return counts


def revise(body: dict[str, Any], excluded: dict[str, dict[str, int]], weights) -> None:
    """Take counts off units' lines (by code) and make the rates, ranks and city line again."""
    lines, scores, taken = body["departments"], [], {}
    for line in lines:
        counts = _counts_of(line)
        for name, n in excluded.get(line["department"]["code"], {}).items():
            off = min(n, counts[name])
            counts[name] -= off
            taken[name] = taken.get(name, 0) + off
        fresh, exact = reports.line(counts, weights)
        line.update(fresh)
        scores.append(exact)
    reports._rank(lines, scores)
    if body.get("city") is not None:
        # What the units lost, off the city line (which also holds the 即来即办 callbacks, in no unit's line).
        city = _counts_of(body["city"])
        body["city"] = {**body["city"], **reports.line(
            {name: n - taken.get(name, 0) for name, n in city.items()}, weights)[0]}


def accepted(session: Session, labels: Sequence[str], as_of: datetime | None = None) -> list[CountAppeal]:
    """The accepted appeals of these months (decided by ``as_of``), through ``ix_count_appeals_period_status``."""
    query = (select(CountAppeal).options(selectinload(CountAppeal.ticket), selectinload(CountAppeal.department))
             .where(CountAppeal.period.in_(labels), CountAppeal.status == CountAppealStatus.ACCEPTED))
    if as_of is not None:
        query = query.where(CountAppeal.decided_at <= instant(as_of))
    return list(session.scalars(query.order_by(CountAppeal.id)))


def leave_out_accepted(session: Session, body: dict[str, Any], period: periods.Period, policy: Policy,
                       as_of: datetime) -> list[CountAppeal]:
    """Take the accepted appeals of the period's months off a report of every unit (reports.compute), and return them.

    The monthly report and the year's assessment both go through here, so a year counts what its months do.
    Only what still counts is taken off: a ticket reopened since may count differently now.
    """
    appeals = accepted(session, [month.label for month in periods.months_in(period)], as_of)
    excluded: dict[str, dict[str, int]] = {}
    for appeal in appeals:
        month = periods.parse("monthly", appeal.period, policy.tz)
        still = counted_items(session, appeal.ticket_id, appeal.department_id, month, policy, as_of)
        for name, n in still.get(appeal.item, {}).items():
            unit = excluded.setdefault(appeal.department.code, {})
            unit[name] = unit.get(name, 0) + n
    if excluded:
        revise(body, excluded, policy.cycle_rules.assessment_weights)
    return appeals


def listing(actor: User, status: CountAppealStatus | None = None, period: str | None = None) -> Select:
    """Appeals newest first: a unit's own only; supervisors see all."""
    query = select(CountAppeal).options(selectinload(CountAppeal.ticket), selectinload(CountAppeal.department))
    if actor.role == Role.DEPARTMENT:
        query = query.where(CountAppeal.department_id == actor.department_id)
    if status is not None:
        query = query.where(CountAppeal.status == status)
    if period:
        query = query.where(CountAppeal.period == period)
    return query.order_by(CountAppeal.filed_at.desc(), CountAppeal.id.desc())


def appeal_line(appeal: CountAppeal, tz) -> dict[str, Any]:
    """An appeal as a report and the API show it."""
    return {
        "id": appeal.id, "ticket": appeal.ticket.number, "department": appeal.department.code,
        "period": appeal.period, "item": appeal.item.value, "reason": appeal.reason, "status": appeal.status.value,
        "filed_at": appeal.filed_at.astimezone(tz).isoformat(),
        "decided_at": appeal.decided_at.astimezone(tz).isoformat() if appeal.decided_at else None,
        "decision_note": appeal.decision_note, "excluded": appeal.excluded, "revision": appeal.revision,
    }
