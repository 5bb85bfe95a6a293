"""The operational figures /metrics shows, read from the database so every host reports the same."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models import EventAction, JobRun, Ticket, TicketEvent, TicketStatus

from . import outbox

RATIO_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Figures:
    """A snapshot of the service's state."""

    tickets_by_channel: dict[str, int]
    auto_dispatch_ratio: float  # tickets dispatched by the model / tickets created, over the last 24 hours
    queue_size: int  # waiting for a dispatcher
    overdue: int  # open tickets past their sign-by or reply-by
    outbox: dict[tuple[str, str], int]  # (status, channel) → messages not yet sent
    job_runs: dict[str, int] = field(default_factory=dict)


def snapshot(session: Session, now: datetime) -> Figures:
    """Count what the metrics show."""
    t = Ticket
    by_channel = {channel.value: n for channel, n in
                  session.execute(select(t.channel, func.count()).group_by(t.channel))}
    since = now - RATIO_WINDOW
    created = session.scalar(select(func.count()).where(t.created_at >= since)) or 0
    routed = session.scalar(select(func.count(func.distinct(TicketEvent.ticket_id))).where(
        TicketEvent.action == EventAction.ROUTED, TicketEvent.at >= since)) or 0
    queue = session.scalar(select(func.count()).where(t.status == TicketStatus.PENDING_DISPATCH)) or 0
    overdue = session.scalar(select(func.count()).where(or_(
        and_(t.status == TicketStatus.DISPATCHED, t.sign_by < now),
        and_(t.status.in_((TicketStatus.DISPATCHED, TicketStatus.SIGNED)), t.reply_by < now)))) or 0
    runs = {job: n for job, n in session.execute(
        select(JobRun.job, func.count()).where(JobRun.finished_at.is_not(None)).group_by(JobRun.job))}
    return Figures(by_channel, routed / created if created else 0.0, queue, overdue, outbox.backlog(session), runs)
