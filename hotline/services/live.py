"""What the open pages poll (every ~20 s): each role's counts for the menu and a stamp per live list.

Every open page of every desk asks, so each figure is one bounded aggregate over an index: the manual queue
and a unit's open work orders are small sets reached by (status) and (department_id, status, reply_by); the
callback list by the partial index of unclosed tickets; hot spots and extensions are few. A stamp changes when
its list would show something different, so a page refetches only then.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from models import Alert, ExtensionRequest, ExtensionStatus, Role, Ticket, TicketCoUnit, TicketStatus, User

from .callbacks import end_of_day
from .cycle.flags import instant
from .grading import part_awaited
from .policy import Policy

S = TicketStatus
UNIT_OPEN = (S.DISPATCHED, S.SIGNED)


def _stamp(*parts) -> str:
    """The figures a list depends on, as one string to compare."""
    return ":".join("" if part is None else str(part) for part in parts)


def _queue(session: Session) -> tuple[dict, dict]:
    """The manual dispatch queue: how many wait, and a stamp that moves on any change to one of them."""
    count, newest, versions = session.execute(
        select(func.count(), func.max(Ticket.id), func.sum(Ticket.version))
        .where(Ticket.status == S.PENDING_DISPATCH)).one()
    return {"queue": count}, {"queue": _stamp(count, newest, versions)}


def _unit(session: Session, user: User, policy: Policy, now: datetime) -> tuple[dict, dict, dict | None]:
    """A unit's new (unsigned), due-today and overdue work orders, and its latest dispatched ticket."""
    if not user.department_id:
        return {"new": 0, "due_today": 0, "overdue": 0}, {"inbox": ""}, None
    at, day_end = instant(now), instant(end_of_day(policy, now))
    mine = (Ticket.department_id == user.department_id, Ticket.status.in_(UNIT_OPEN))
    new, open_count, due_today, overdue, versions = session.execute(
        select(func.count().filter(Ticket.status == S.DISPATCHED), func.count(),
               func.count().filter(Ticket.reply_by >= at, Ticket.reply_by < day_end),
               func.count().filter(Ticket.reply_by < at), func.sum(Ticket.version))
        .where(*mine)).one()
    latest = session.execute(
        select(Ticket.number, Ticket.dispatched_at).where(Ticket.department_id == user.department_id,
                                                         Ticket.dispatched_at.is_not(None))
        .order_by(Ticket.dispatched_at.desc()).limit(1)).first()
    co_new, co_open, co_versions, co_latest = _co_handled(session, user.department_id)
    if co_latest is not None and (latest is None or co_latest.at > latest.dispatched_at):
        newest = {"number": co_latest.number, "at": co_latest.at.isoformat()}
    else:
        newest = {"number": latest.number, "at": latest.dispatched_at.isoformat()} if latest else None
    counts = {"new": new + co_new, "due_today": due_today, "overdue": overdue}
    stamp = _stamp(open_count, versions, co_new, co_open, co_versions, newest and newest["at"])
    return counts, {"inbox": stamp}, newest


def _co_handled(session: Session, department_id: int) -> tuple[int, int, int | None, Row | None]:
    """The open tickets the unit co-handles (协办): how many still await its part (new to it), how many in all,
    their versions, and the one that reached it last (added as co-unit, or a new round began)."""
    c = TicketCoUnit
    arrived = case((c.added_at > Ticket.dispatched_at, c.added_at), else_=Ticket.dispatched_at)
    base = select().select_from(c).join(Ticket, Ticket.id == c.ticket_id).where(
        c.department_id == department_id, Ticket.status.in_(UNIT_OPEN))
    awaited, count, versions = session.execute(
        base.add_columns(func.count().filter(part_awaited()), func.count(), func.sum(Ticket.version))).one()
    latest = session.execute(base.add_columns(Ticket.number, arrived.label("at"))
                             .order_by(arrived.desc(), Ticket.id.desc()).limit(1)).first()
    return awaited, count, versions, latest


def _supervisor(session: Session, policy: Policy, now: datetime) -> tuple[dict, dict]:
    """Callbacks due today and overdue, extensions waiting for approval, hot spots nobody has handled."""
    at, day_end = instant(now), instant(end_of_day(policy, now))
    due, overdue, versions = session.execute(
        select(func.count().filter((Ticket.callback_due_at < day_end) | Ticket.callback_due_at.is_(None)),
               func.count().filter(Ticket.callback_due_at < at), func.sum(Ticket.version))
        .where(Ticket.status == S.REPLIED)).one()
    extensions = session.scalar(select(func.count()).select_from(ExtensionRequest)
                                .where(ExtensionRequest.status == ExtensionStatus.PENDING))
    alerts, newest_alert = session.execute(
        select(func.count().filter(Alert.acknowledged_at.is_(None)), func.max(Alert.id))).one()
    counts = {"callbacks_due": due, "callbacks_overdue": overdue, "extensions": extensions, "alerts": alerts}
    return counts, {"callbacks": _stamp(due, versions), "alerts": _stamp(alerts, newest_alert)}


def live_counts(session: Session, user: User, policy: Policy, now: datetime) -> dict:
    """The counts and list stamps of `user`'s role (a unit user: their unit only)."""
    counts: dict = {}
    stamps: dict = {}
    latest = None
    if user.role in (Role.DISPATCHER, Role.ADMIN):
        counts, stamps = _queue(session)
    elif user.role == Role.DEPARTMENT:
        counts, stamps, latest = _unit(session, user, policy, now)
    elif user.role == Role.SUPERVISOR:
        counts, stamps = _supervisor(session, policy, now)
    return {"counts": counts, "stamps": stamps, "latest": latest}
