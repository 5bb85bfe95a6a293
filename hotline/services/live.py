"""What the open pages poll (every ~20 s): each role's counts for the menu and a stamp per live list.

Every open page of every desk asks, so each figure is one bounded aggregate over an index: the manual queue
and a unit's open work orders are small sets reached by (status) and (department_id, status, reply_by); the
callback list by the partial index of unclosed tickets; hot spots and extensions are few. A stamp changes when
its list would show something different, so a page refetches only then.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Alert, ExtensionRequest, ExtensionStatus, Role, Ticket, TicketStatus, User

from .callbacks import end_of_day
from .cycle.flags import instant
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
    newest = {"number": latest.number, "at": latest.dispatched_at.isoformat()} if latest else None
    counts = {"new": new, "due_today": due_today, "overdue": overdue}
    return counts, {"inbox": _stamp(open_count, versions, newest and newest["at"])}, newest


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
